// Draws the objects listed on the page (GeoJSON in #list-map-features), each linking to its change form.
window.showListFeatures = function (map) {
  const features = JSON.parse(document.getElementById("list-map-features").textContent);
  const layer = L.geoJSON(features, {
    // Dots rather than pins: a page of sites stays readable where they cluster.
    pointToLayer: (feature, latlng) => L.circleMarker(latlng, { radius: 5, weight: 1, fillOpacity: 0.7 }),
    onEachFeature: (feature, item) => {
      const link = document.createElement("a");
      link.href = feature.properties.url;
      link.textContent = feature.properties.label;
      item.bindPopup(link);
      item.bindTooltip(feature.properties.label);
    },
  }).addTo(map);
  if (layer.getLayers().length > 0) {
    map.fitBounds(layer.getBounds(), { maxZoom: 9, padding: [20, 20], animate: false }); // framed at once
  }
};
