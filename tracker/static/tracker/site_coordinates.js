// Keeps a site's typed longitude/latitude and its marker on the map in step, both ways.
window.addEventListener("map:init", (event) => {
  const map = event.detail.map;
  map.on("map:loadfield", ({ field }) => {
    const longitude = document.getElementById("id_longitude");
    const latitude = document.getElementById("id_latitude");
    if (!longitude || !latitude) return;

    const placeTypedPoint = () => {
      const lon = parseFloat(longitude.value);
      const lat = parseFloat(latitude.value);
      if (!Number.isFinite(lon) || !Number.isFinite(lat)) return;
      field.drawnItems.clearLayers();
      field.drawnItems.addLayer(L.marker([lat, lon]));
      field.store.save(field.drawnItems);
      map.panTo([lat, lon]);
    };
    const showDrawnPoint = () => {
      const marker = field.drawnItems.getLayers()[0];
      if (!marker) return;
      const { lat, lng } = marker.getLatLng();
      longitude.value = lng.toFixed(6);
      latitude.value = lat.toFixed(6);
    };
    longitude.addEventListener("change", placeTypedPoint);
    latitude.addEventListener("change", placeTypedPoint);
    map.on("draw:created draw:edited", () => setTimeout(showDrawnPoint, 0));
  });
});
