// Leaflet's own words in the page's language (its zoom buttons, layers button, attribution), and the maps'
// scale, metric only (LEAFLET_CONFIG's SCALE), with its figures and units in that language too.
// A classic script after Leaflet and the JavaScript catalogue, before any map is made.
(function () {
  const numbers = new Intl.NumberFormat(document.documentElement.lang || "en");
  L.Control.Scale.prototype._updateMetric = function (maxMeters) {
    const meters = this._getRoundNum(maxMeters);
    const label = meters < 1000
      ? `${numbers.format(meters)} ${gettext("m")}`
      : `${numbers.format(meters / 1000)} ${gettext("km")}`;
    this._updateScale(this._mScale, label, meters / maxMeters);
  };

  L.Control.Zoom.prototype.options.zoomInTitle = gettext("Zoom in");
  L.Control.Zoom.prototype.options.zoomOutTitle = gettext("Zoom out");
  const attribution = L.Control.Attribution.prototype.options;
  attribution.prefix = attribution.prefix.replace(
    "A JavaScript library for interactive maps", gettext("A JavaScript library for interactive maps"),
  );
  const initLayout = L.Control.Layers.prototype._initLayout;
  L.Control.Layers.prototype._initLayout = function () {
    initLayout.call(this);
    this._layersLink.title = gettext("Layers");
  };
})();
