// /map/: every zone coloured by its compliance as of a date, with switchable layers and a side panel.
import {
  COLOURS, ContactLines, GRADE_COLOURS, gradeTags, SiteCells, addLegend, apiUrl, breachList, categoryName, ceilingsTable, config,
  dateControl, describeBreach, escapeHtml, formatDay, formatNumber, getAll, getJSON, isAbort, kindName, markZonePath, siteDetails,
  stateBadge, zoneName, zonePageUrl, zoneStyle,
} from "./tracker-map.js";

const KIND_NAMES = {
  area_of_application: gettext("area of application"),
  nested: gettext("nested zones"),
  flank: gettext("flank region"),
  national_territory: gettext("national territories"),
  demilitarized: gettext("demilitarized zones"),
  limitation: gettext("limitation zones"),
};
const say = (format, values) => interpolate(format, values, true);

const state = { asOf: config.asOf, zone: config.zone || null };

window.addEventListener("map:init", (event) => start(event.detail.map));

async function start(map) {
  const panes = [["inspections", 420], ["observations", 430], ["contactLines", 440], ["sites", 450], ["breaches", 460]];
  for (const [pane, zIndex] of panes) {
    map.createPane(pane).style.zIndex = zIndex;
  }
  const layers = L.control.layers(null, null, { collapsed: false, position: "topright" }).addTo(map);
  addLegend(map);

  const zones = new ZoneLayers(map, layers, (code) => selectZone(code));
  const lines = new ContactLines(map, "contactLines");
  const sites = new SiteCells(map, { pane: "sites", onSite: (props) => showSite(props) });
  const breaches = new ListedLayer(map, "breaches", drawBreaches);
  const inspections = new ListedLayer(map, "inspections", drawInspections);
  const observations = new ListedLayer(map, "observations", drawObservations);
  layers.addOverlay(lines.layer.addTo(map), gettext("Lines of contact"));
  layers.addOverlay(sites.layer.addTo(map), gettext("Declared sites"));
  layers.addOverlay(inspections.layer, gettext("Inspection areas"));
  layers.addOverlay(observations.layer, gettext("Observations"));
  layers.addOverlay(breaches.layer.addTo(map), gettext("Findings"));
  map.on("overlayadd", () => zones.restack());

  const gradeFilter = document.getElementById("grade-filter");
  gradeFilter.addEventListener("change", () => drawOthers(state.asOf));
  const panel = document.getElementById("panel");
  const panelBody = document.getElementById("panel-body");
  panel.querySelector(".close").addEventListener("click", () => selectZone(null));

  // Everything but the zones and the sites, which follow the map's view.
  function drawOthers(asOf) {
    return Promise.all([
      lines.load(asOf),
      breaches.load(apiUrl("violations/", { as_of: asOf, format: "geojson", page_size: 1000, grade: gradeFilter.value })),
      inspections.load(apiUrl("inspections/", { page_size: 1000 }), asOf),
      observations.load(apiUrl("observations/", { page_size: 1000 }), asOf),
      state.zone ? showZone(state.zone) : null,
    ]);
  }

  function drawn(asOf) {
    if (asOf === state.asOf) map.getContainer().dataset.asOf = asOf;
  }

  async function redraw() {
    const asOf = state.asOf;
    await Promise.all([zones.load(asOf, state.zone), sites.refresh(asOf), drawOthers(asOf)]);
    drawn(asOf);
  }

  function keepInUrl() {
    const params = new URLSearchParams({ as_of: state.asOf });
    if (state.zone) params.set("zone", state.zone);
    window.history.replaceState(null, "", `?${params}`);
  }

  function selectZone(code) {
    state.zone = code;
    keepInUrl();
    zones.select(code);
    if (code) showZone(code);
    else closePanel();
  }

  function closePanel() {
    panel.hidden = true;
    delete panel.dataset.zone;
    delete panel.dataset.site;
  }

  let panelRequest = null;
  async function showZone(code) {
    panelRequest?.abort();
    panelRequest = new AbortController();
    const asOf = state.asOf;
    try {
      const [status, open] = await Promise.all([
        getJSON(apiUrl(`zones/${encodeURIComponent(code)}/status/`, { as_of: asOf }), panelRequest.signal),
        getJSON(apiUrl("concerns/", { zone: code, open: "true" }), panelRequest.signal),
      ]);
      const zone = zones.properties.get(code) ?? { code, name: "" };
      panelBody.innerHTML = `
        <h2>${escapeHtml(code)} — ${escapeHtml(zoneName(code, zone.name))}</h2>
        <p>${stateBadge(status.state)} <span class="note">${escapeHtml(config.zoneKinds[zone.kind] ?? zone.kind ?? "")}
          · ${escapeHtml(say(gettext("as of %(day)s"), { day: formatDay(status.as_of) }))}</span></p>
        <p><a href="${zonePageUrl(code, asOf)}" class="zone-page-link">${gettext("Zone page: each ceiling over time")}</a></p>
        <h3>${gettext("Ceilings")}</h3>${ceilingsTable(status.ceilings)}
        <h3>${gettext("Breaches")}</h3>${breachList(status.breaches)}
        <h3>${gettext("Open concerns")}</h3>${concernList(open.results)}`;
      delete panel.dataset.site;
      panel.dataset.zone = code;
      panel.dataset.asOf = asOf;
      panel.hidden = false;
    } catch (error) {
      if (isAbort(error)) return;
      panelBody.innerHTML = `<h2>${escapeHtml(code)}</h2>
        <p class="negative">${escapeHtml(say(gettext("Could not read the zone: %(error)s"), { error: error.message }))}</p>`;
      panel.hidden = false;
    }
  }

  function showSite(props) {
    state.zone = null;
    keepInUrl();
    zones.select(null);
    panelBody.innerHTML = siteDetails(props);
    delete panel.dataset.zone;
    panel.dataset.site = props.site;
    panel.hidden = false;
  }

  // The slider fills in when the change dates arrive; nothing waits for them.
  dateControl(state.asOf, (day) => {
    state.asOf = day;
    keepInUrl();
    redraw();
  });
  keepInUrl();
  const asOf = state.asOf;
  const others = drawOthers(asOf);
  // Zones first, to frame the map, so the sites are asked for once, for the view they will fill.
  await zones.load(asOf, state.zone);
  const fitted = (state.zone && zones.bounds(state.zone)) || zones.bounds();
  // Framed at once, not animated: the page is drawn (data-as-of) only once the map stands still.
  if (fitted?.isValid()) map.fitBounds(fitted, { padding: [20, 20], animate: false });
  await Promise.all([sites.refresh(asOf), others]);
  drawn(asOf);
}

// Zones, one switchable group per kind; larger zones underneath so nested ones stay clickable.
class ZoneLayers {
  constructor(map, control, onSelect) {
    this.map = map;
    this.control = control;
    this.onSelect = onSelect;
    this.groups = new Map();
    this.paths = new Map();
    this.properties = new Map();
    this.selected = null;
    this.controller = null;
  }

  group(kind) {
    if (!this.groups.has(kind)) {
      const group = L.featureGroup().addTo(this.map);
      this.groups.set(kind, group);
      this.control.addOverlay(group, escapeHtml(say(gettext("Zones: %(kind)s"), { kind: KIND_NAMES[kind] ?? kind })));
    }
    return this.groups.get(kind);
  }

  async load(asOf, selected) {
    this.controller?.abort();
    this.controller = new AbortController();
    this.selected = selected;
    let features;
    try {
      features = await getAll(apiUrl("zones/", { as_of: asOf, simplify: 0.005, precision: 5, page_size: 1000 }), this.controller.signal);
    } catch (error) {
      if (!isAbort(error)) console.error(error);
      return;
    }
    for (const group of this.groups.values()) group.clearLayers();
    this.paths.clear();
    this.properties.clear();
    for (const feature of features) {
      const props = feature.properties;
      this.properties.set(props.code, props);
      if (!feature.geometry) continue;
      const layer = L.geoJSON(feature, { style: () => zoneStyle(props.compliance, props.code === selected) });
      const path = layer.getLayers()[0];
      path.on("add", () => markZonePath(path, props));
      path.on("click", (event) => {
        L.DomEvent.stopPropagation(event);
        this.onSelect(props.code);
      });
      path.bindTooltip(`${escapeHtml(props.code)} — ${escapeHtml(zoneName(props.code, props.name))}`, { sticky: true });
      this.paths.set(props.code, path);
      this.group(props.kind).addLayer(path);
    }
    this.restack();
  }

  restack() {
    const byArea = [...this.paths.values()].sort((a, b) => area(b.getBounds()) - area(a.getBounds()));
    for (const path of byArea) if (this.map.hasLayer(path)) path.bringToFront();
  }

  select(code) {
    this.selected = code;
    for (const [zone, path] of this.paths) {
      path.setStyle(zoneStyle(this.properties.get(zone).compliance, zone === code));
    }
  }

  bounds(code) {
    if (code) return this.paths.get(code)?.getBounds();
    const all = [...this.paths.values()];
    return all.length ? L.featureGroup(all).getBounds() : null;
  }
}

function area(bounds) {
  return (bounds.getEast() - bounds.getWest()) * (bounds.getNorth() - bounds.getSouth());
}

// A layer read whole from a list endpoint and redrawn for each date.
class ListedLayer {
  constructor(map, pane, draw) {
    this.map = map;
    this.pane = pane;
    this.draw = draw;
    this.layer = L.layerGroup();
    this.controller = null;
    this.pending = null;
    this.layer.on("add", () => this.pending && this.load(...this.pending));
  }

  async load(url, asOf) {
    this.pending = [url, asOf];
    if (!this.map.hasLayer(this.layer)) return;
    this.controller?.abort();
    this.controller = new AbortController();
    try {
      const items = await getAll(url, this.controller.signal);
      this.layer.clearLayers();
      this.draw(this.layer, items, this.pane, asOf);
    } catch (error) {
      if (!isAbort(error)) console.error(error);
    }
  }
}

// A concern's state by its code, in the page's language (ConcernState's labels, maps/views.py).
const CONCERN_STATES = config.concernStates;

function concernList(concerns) {
  if (!concerns.length) return `<p class="note">${gettext("None you may see.")}</p>`;
  const items = concerns.map((c) => `<li class="concern ${escapeHtml(c.state)}">
    <a href="/admin/tracker/concern/?q=${encodeURIComponent(c.reference)}">${escapeHtml(c.reference)}</a>
    ${escapeHtml(say(gettext("%(by)s → %(against)s: %(state)s, answer due %(due)s"), {
      by: c.raised_by, against: c.raised_against, state: CONCERN_STATES[c.state] ?? c.state, due: formatDay(c.answer_due),
    }))}</li>`);
  return `<ul class="concerns">${items.join("")}</ul>`;
}

function drawBreaches(layer, features, pane) {
  for (const feature of features) {
    if (!feature.geometry) continue;
    const breach = { ...feature.properties };
    // A breached zone is already red: its outline here only adds emphasis, and lets clicks reach the zone.
    // Points (each of a MultiPoint's too) keep their filled mark, and open the breach's popup.
    const shape = L.geoJSON(feature, {
      pane,
      interactive: false,
      style: (part) => (part.geometry.type.endsWith("Point") ? {} : { color: COLOURS.breached, weight: 3, dashArray: "8 6", fill: false }),
      pointToLayer: (_, latlng) => L.circleMarker(latlng, {
        pane, radius: 7, color: "#fff", weight: 2, fillColor: GRADE_COLOURS[breach.grade] ?? COLOURS.breached,
        fillOpacity: 0.95, interactive: true,
      }),
    }).bindPopup(`<strong>${escapeHtml(kindName(breach.kind))}</strong> ${gradeTags(breach)}<br>${describeBreach(breach)}`);
    layer.addLayer(shape);
  }
}

function drawInspections(layer, items, pane, asOf) {
  for (const item of items) {
    const props = item.type === "Feature" ? item.properties : item;
    const geometry = item.type === "Feature" ? item.geometry : item.area;
    if (!geometry || (props.date && props.date > asOf)) continue;
    L.geoJSON(geometry, { pane, style: { color: "#6a3d9a", weight: 2, fillOpacity: 0.15 } })
      .bindPopup(`<strong>${escapeHtml(say(gettext("Inspection %(reference)s"), { reference: props.reference }))}</strong><br>
        ${escapeHtml(say(gettext("%(day)s: %(inspecting)s in %(inspected)s"), {
          day: formatDay(props.date), inspecting: props.inspecting_party, inspected: props.inspected_party,
        }))}`)
      .addTo(layer);
  }
}

function drawObservations(layer, features, pane, asOf) {
  for (const feature of features) {
    const props = feature.properties ?? {};
    if (!feature.geometry || (props.observed_on && props.observed_on > asOf)) continue;
    const [lon, lat] = feature.geometry.coordinates;
    L.circleMarker([lat, lon], { pane, radius: 5, color: "#6a3d9a", weight: 2, fillColor: "#fff", fillOpacity: 1 })
      .bindPopup(`<strong>${escapeHtml(say(gettext("Observation %(reference)s"), { reference: props.reference }))}</strong><br>
        ${escapeHtml(say(props.party ? gettext("%(day)s: %(count)s %(category)s (%(party)s)") : gettext("%(day)s: %(count)s %(category)s"), {
          day: formatDay(props.observed_on), count: formatNumber(props.count), category: categoryName(props.category), party: props.party,
        }))}`)
      .addTo(layer);
  }
}
