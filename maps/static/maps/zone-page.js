// /zones/<code>/: the zone on a map, its ceilings as of a date, each ceiling over time, its breaches.
import {
  ContactLines, SiteCells, addLegend, apiUrl, breachList, categoryName, ceilingsTable, config, dateControl, escapeHtml, formatDay,
  formatNumber, getJSON, holderLabel, isAbort, markZonePath, siteDetails, stateBadge, zoneStyle,
} from "./tracker-map.js";
import { periodsOver, stepChart } from "./step-chart.js";

const code = config.zone;
const zoneApi = (path, params) => apiUrl(`zones/${encodeURIComponent(code)}/${path}`, params);
const say = (format, values) => interpolate(format, values, true);

window.addEventListener("map:init", (event) => start(event.detail.map));

async function start(map) {
  map.createPane("contactLines").style.zIndex = 440;
  map.createPane("sites").style.zIndex = 450;
  addLegend(map);
  const outline = L.featureGroup().addTo(map);
  const lines = new ContactLines(map, "contactLines");
  lines.layer.addTo(map);
  const sites = new SiteCells(map, { pane: "sites", filters: { zone: code }, onSite: showSite });
  sites.layer.addTo(map);
  let history = [];
  let request = null;
  let fitted = false;

  async function redraw(asOf) {
    request?.abort();
    request = new AbortController();
    const { signal } = request;
    document.querySelectorAll(".as-of-text").forEach((node) => { node.textContent = formatDay(asOf); });
    try {
      const [feature, status] = await Promise.all([
        getJSON(zoneApi("", { as_of: asOf, simplify: 0.001 }), signal),
        getJSON(zoneApi("status/", { as_of: asOf }), signal),
        lines.load(asOf),
      ]);
      drawZone(feature, status.state);
      document.getElementById("zone-state").innerHTML = stateBadge(status.state);
      document.getElementById("ceilings").innerHTML = ceilingsTable(status.ceilings);
      document.getElementById("breaches").innerHTML = breachList(status.breaches);
      drawCharts(asOf);
      await sites.refresh(asOf);
      if (!control || asOf === control.value) document.body.dataset.asOf = asOf;
    } catch (error) {
      if (!isAbort(error)) {
        console.error(error);
        const message = say(gettext("Could not read the zone: %(error)s"), { error: error.message });
        document.getElementById("ceilings").innerHTML = `<p class="negative">${escapeHtml(message)}</p>`;
      }
    }
  }

  function drawZone(feature, state) {
    outline.clearLayers();
    if (!feature?.geometry) return;
    const path = L.geoJSON(feature, { style: () => zoneStyle(state, true) }).getLayers()[0];
    path.on("add", () => markZonePath(path, { ...feature.properties, compliance: state }));
    outline.addLayer(path);
    if (!fitted) {
      map.fitBounds(path.getBounds(), { padding: [16, 16], animate: false }); // framed at once, as the map page
      fitted = true;
    }
  }

  function drawCharts(asOf) {
    const charts = document.getElementById("charts");
    charts.replaceChildren();
    if (!history.length) {
      charts.innerHTML = `<p class="empty">${gettext("No ceiling has applied to this zone.")}</p>`;
    }
    for (const series of history) {
      const figure = document.createElement("figure");
      figure.className = "chart";
      figure.dataset.ceiling = series.ceiling;
      figure.innerHTML = `<h3>${escapeHtml(categoryName(series.category))} · ${escapeHtml(holderLabel(series))}</h3>
        <p class="key"><span class="counted-key">— ${gettext("counted")}</span> &nbsp; <span class="limit-key">- - ${gettext("limit")}</span>
        &nbsp; ${gettext("shaded: over the limit")}</p>`;
      figure.append(stepChart(series.points, { asOf }));
      charts.append(figure);
    }
    const periods = history.flatMap((series) => periodsOver(series.points).map((period) => ({ series, period })));
    document.getElementById("periods").innerHTML = periods.length
      ? `<ul class="breach-list">${periods.map(({ series, period }) => `<li>${escapeHtml(overTheLimit(series, period))}</li>`).join("")}</ul>`
      : `<p class="empty">${gettext("Never over a ceiling.")}</p>`;
  }

  function showSite(props, latlng) {
    L.popup({ maxWidth: 420 }).setLatLng(latlng).setContent(siteDetails(props)).openOn(map);
  }

  function keepInUrl(asOf) {
    window.history.replaceState(null, "", `?as_of=${asOf}`);
    document.getElementById("back-to-map").href = `${config.map}?as_of=${asOf}&zone=${encodeURIComponent(code)}`;
  }

  let control = null;
  control = await dateControl(config.asOf, (day) => {
    keepInUrl(day);
    redraw(day);
  });
  try {
    history = (await getJSON(zoneApi("history/"))).series ?? [];
  } catch (error) {
    console.error(error);
  }
  keepInUrl(control.value);
  await redraw(control.value);
}

function overTheLimit(series, period) {
  const values = {
    category: categoryName(series.category),
    holder: series.party ?? gettext("all parties"),
    from: formatDay(period.from),
    to: formatDay(period.to),
    worst: formatNumber(period.worst),
  };
  return period.to
    ? say(gettext("%(category)s · %(holder)s: over the limit from %(from)s to %(to)s (by up to %(worst)s)"), values)
    : say(gettext("%(category)s · %(holder)s: over the limit from %(from)s on (by up to %(worst)s)"), values);
}
