// Draws the objects listed on the page (GeoJSON in #list-map-features), each linking to its change form.
window.showListFeatures = function (map) {
  const features = JSON.parse(document.getElementById("list-map-features").textContent);
  const layer = L.geoJSON(features, {
    onEachFeature: (feature, item) => {
      const link = document.createElement("a");
      link.href = feature.properties.url;
      link.textContent = feature.properties.label;
      item.bindPopup(link);
      item.bindTooltip(feature.properties.label);
    },
  }).addTo(map);
  if (layer.getLayers().length > 0) {
    map.fitBounds(layer.getBounds(), { maxZoom: 9, padding: [20, 20] });
  }
};
