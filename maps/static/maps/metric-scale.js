// The maps' scale, metric only (LEAFLET_CONFIG's SCALE), its figures and units in the page's language.
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
})();
