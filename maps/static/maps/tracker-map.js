// What the map page and the zone pages share: compliance colours, reading the API, the date
// control, the layer of declared sites gathered per map cell, the lines of contact, the legend, and
// panel contents. Words through the page's JavaScript catalogue (gettext, /jsi18n/), figures and days as
// the page's language writes them.

export const COLOURS = { breached: "#c62828", near: "#ef8f00", within: "#2e7d32", none: "#808080" };
// A finding's grade (CFE Art. XIII.3; Protocol on Inspection VI.38, VII.11): a breach, or an indicator to clarify.
export const GRADE_COLOURS = { breach: "#c62828", indicator: "#ef8f00" };
export const STATE_NAMES = {
  breached: gettext("breached"),
  near: gettext("near a ceiling"),
  within: gettext("within limits"),
  none: gettext("no ceiling"),
};
const SITE_COLOUR = "#1d4f91";
const CONTACT_LINE_STYLE = { color: "#1a1a1a", weight: 3, opacity: 0.9, dashArray: "10 6" };

export const config = JSON.parse(document.getElementById("page-config").textContent);
// Kinds, grades and states of findings, categories and treaties by code, in the page's language (maps/views.py).
const LABELS = config.labels;

export const LANGUAGE = document.documentElement.lang || "en";
const NUMBERS = new Intl.NumberFormat(LANGUAGE);
const DAYS = new Intl.DateTimeFormat(LANGUAGE, { day: "2-digit", month: "2-digit", year: "numeric", timeZone: "UTC" });

export function formatNumber(value) {
  return value === null || value === undefined || value === "" ? "" : NUMBERS.format(value);
}

// A day (YYYY-MM-DD): as it is in English, as the tracker always wrote it and the API carries it; 01.05.2025 in
// Ukrainian and Russian.
export function formatDay(day) {
  if (!day || LANGUAGE.startsWith("en")) return day ?? "";
  return DAYS.format(new Date(`${day}T00:00:00Z`));
}

const label = (names, code) => names[code] ?? code ?? "";
export const kindName = (code) => label(LABELS.kinds, code);
export const categoryName = (code) => label(LABELS.categories, code);
export const treatyName = (name) => label(LABELS.treaties, name);
export const zoneName = (code, name) => config.zoneNames[code] ?? name ?? "";
const say = (format, values) => interpolate(format, values, true);

export function apiUrl(path, params = {}) {
  const url = new URL(config.api + path, window.location.origin);
  for (const [name, value] of Object.entries(params)) {
    if (value !== undefined && value !== null && value !== "") url.searchParams.set(name, value);
  }
  return url.toString();
}

export async function getJSON(url, signal) {
  const response = await fetch(url, { signal });
  if (!response.ok) throw new Error(say(gettext("%(status)s %(text)s: %(url)s"), { status: response.status, text: response.statusText, url }));
  return response.json();
}

// Every item of a paginated answer (a FeatureCollection's features or a list's results), page by page.
export async function getAll(url, signal) {
  const items = [];
  let next = url;
  while (next) {
    const body = await getJSON(next, signal);
    if (Array.isArray(body)) return body;
    const page = body.features ?? body.results?.features ?? body.results ?? [];
    items.push(...page);
    next = body.next ?? null;
  }
  return items;
}

export function isAbort(error) {
  return error?.name === "AbortError";
}

export function escapeHtml(value) {
  return String(value ?? "").replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

export function zonePageUrl(code, asOf) {
  return `${config.zonePage.replace("CODE", encodeURIComponent(code))}?as_of=${asOf}`;
}

export function evidenceUrl(kind, name) {
  return config.evidence.replace("KIND", kind).replace("NAME", encodeURIComponent(name));
}

export function stateBadge(state) {
  const known = state in STATE_NAMES ? state : "none";
  return `<span class="state ${known}" data-state="${known}">${STATE_NAMES[known]}</span>`;
}

export function zoneStyle(compliance, selected = false) {
  const colour = COLOURS[compliance] ?? COLOURS.none;
  return { color: colour, weight: selected ? 4 : 2, opacity: 0.95, fillColor: colour, fillOpacity: 0.08 };
}

// Labels each zone's SVG path with its code and state, so the drawing can be read back (print, tests).
export function markZonePath(layer, properties) {
  const path = layer.getElement?.();
  if (!path) return;
  path.dataset.zone = properties.code;
  path.dataset.compliance = properties.compliance ?? "none";
}

// ---- the date: a calendar input and a slider over the dates where something changed ----

export async function dateControl(initial, onChange) {
  const input = document.getElementById("as-of");
  const slider = document.getElementById("as-of-slider");
  const previous = document.getElementById("previous-change");
  const next = document.getElementById("next-change");
  const note = document.getElementById("as-of-note");
  let dates = [];
  let value = initial;
  let timer = null;

  // The latest change on or before ``day`` (the state shown then), or -1 before the first.
  const indexOf = (day) => {
    let found = -1;
    dates.forEach((date, index) => {
      if (date <= day) found = index;
    });
    return found;
  };
  const show = () => {
    input.value = value;
    const index = indexOf(value);
    slider.value = Math.max(index, 0);
    previous.disabled = !dates.some((date) => date < value);
    next.disabled = !dates.some((date) => date > value);
    const count = dates.length;
    if (!count) note.textContent = gettext("no recorded changes");
    else if (index < 0) {
      note.textContent = say(ngettext("before the first of %(count)s change", "before the first of %(count)s changes", count), { count: formatNumber(count) });
    } else {
      const values = { number: formatNumber(index + 1), count: formatNumber(count), day: formatDay(dates[index]) };
      note.textContent = dates[index] === value
        ? say(ngettext("change %(number)s of %(count)s", "change %(number)s of %(count)s", count), values)
        : say(ngettext("change %(number)s of %(count)s (%(day)s)", "change %(number)s of %(count)s (%(day)s)", count), values);
    }
  };
  const set = (day, delay = 0) => {
    if (!day || day === value) return show();
    value = day;
    show();
    clearTimeout(timer);
    timer = setTimeout(() => onChange(value), delay);
  };

  input.addEventListener("change", () => set(input.value));
  slider.addEventListener("input", () => set(dates[Number(slider.value)], 120));
  previous.addEventListener("click", () => set(dates.filter((date) => date < value).at(-1)));
  next.addEventListener("click", () => set(dates.find((date) => date > value)));
  try {
    dates = (await getJSON(apiUrl("dates/"))).dates ?? [];
  } catch (error) {
    note.textContent = gettext("change dates unavailable");
    console.error(error);
  }
  slider.max = Math.max(dates.length - 1, 0);
  slider.disabled = dates.length < 2;
  show();
  return { get value() { return value; }, set };
}

// ---- declared sites, gathered per map cell by the server ----

export class SiteCells {
  constructor(map, { pane, filters = {}, onSite }) {
    this.map = map;
    this.pane = pane;
    this.filters = filters;
    this.onSite = onSite;
    this.layer = L.layerGroup();
    this.asOf = null;
    this.controller = null;
    map.on("moveend", () => this.map.hasLayer(this.layer) && this.refresh());
    this.layer.on("add", () => this.refresh());
  }

  async refresh(asOf = this.asOf) {
    this.asOf = asOf;
    if (!asOf || !this.map.hasLayer(this.layer)) return;
    this.controller?.abort();
    this.controller = new AbortController();
    const bounds = this.map.getBounds().pad(0.2);
    const bbox = [
      Math.max(bounds.getWest(), -180), Math.max(bounds.getSouth(), -85),
      Math.min(bounds.getEast(), 180), Math.min(bounds.getNorth(), 85),
    ].map((n) => n.toFixed(4)).join(",");
    const url = apiUrl("holdings/cells/", { as_of: asOf, zoom: this.map.getZoom(), bbox, ...this.filters });
    try {
      const cells = await getJSON(url, this.controller.signal);
      this.draw(cells.features);
    } catch (error) {
      if (!isAbort(error)) console.error(error);
    }
  }

  draw(features) {
    this.layer.clearLayers();
    for (const feature of features) {
      const [lon, lat] = feature.geometry.coordinates;
      const props = feature.properties;
      this.layer.addLayer(props.site ? this.site([lat, lon], props) : this.cell([lat, lon], props));
    }
    this.map.getContainer().dataset.sitesDrawn = String(features.length);
  }

  site(latlng, props) {
    const marker = L.circleMarker(latlng, {
      pane: this.pane,
      radius: Math.min(4 + Math.sqrt(props.total) / 2, 20),
      color: "#fff", weight: 1.5, fillColor: SITE_COLOUR, fillOpacity: 0.8,
    });
    marker.bindTooltip(say(ngettext("%(site)s %(name)s: %(total)s item", "%(site)s %(name)s: %(total)s items", props.total), {
      site: escapeHtml(props.site), name: escapeHtml(props.name), total: formatNumber(props.total),
    }));
    marker.on("click", () => this.onSite?.(props, latlng));
    marker.on("add", () => { marker.getElement().dataset.site = props.site; });
    return marker;
  }

  cell(latlng, props) {
    const size = Math.round(22 + 7 * Math.log10(props.sites));
    const icon = L.divIcon({
      className: "site-cell",
      html: `<span>${props.sites >= 1000 ? `${Math.round(props.sites / 1000)}k` : props.sites}</span>`,
      iconSize: [size, size],
    });
    const title = say(ngettext("%(sites)s site, %(total)s items", "%(sites)s sites, %(total)s items", props.sites), {
      sites: formatNumber(props.sites), total: formatNumber(props.total),
    });
    const marker = L.marker(latlng, { icon, pane: this.pane, title });
    marker.on("click", () => this.map.setView(latlng, Math.min(this.map.getZoom() + 2, this.map.getMaxZoom())));
    return marker;
  }
}

// ---- lines of contact, each on its course in force on the day ----

export class ContactLines {
  constructor(map, pane) {
    this.map = map;
    this.pane = pane;
    this.layer = L.featureGroup();
    this.controller = null;
  }

  async load(asOf) {
    this.controller?.abort();
    this.controller = new AbortController();
    let features;
    try {
      features = await getAll(apiUrl("contact-lines/", { as_of: asOf, page_size: 1000 }), this.controller.signal);
    } catch (error) {
      if (!isAbort(error)) console.error(error);
      return;
    }
    this.layer.clearLayers();
    for (const feature of features) {
      if (!feature.geometry) continue;
      const code = feature.properties.code;
      const line = L.geoJSON(feature, { pane: this.pane, style: CONTACT_LINE_STYLE });
      line.eachLayer((path) => path.on("add", () => { path.getElement().dataset.contactLine = code; }));
      line.bindTooltip(escapeHtml(code), { sticky: true });
      this.layer.addLayer(line);
    }
    this.map.getContainer().dataset.contactLinesDrawn = String(features.length);
  }
}

// ---- legend ----

export function addLegend(map) {
  const legend = L.control({ position: "bottomright" });
  legend.onAdd = () => {
    const box = L.DomUtil.create("div", "legend");
    const states = Object.entries(STATE_NAMES)
      .map(([state, name]) => `<div><span class="swatch ${state}"></span>${name}</div>`)
      .join("");
    box.innerHTML = `<strong>${gettext("Zones")}</strong>${states}
      <div><span class="contact-line-key"></span>${gettext("line of contact")}</div>
      <div><span class="dot"></span>${gettext("declared site (size: holdings)")}</div>
      <div><span class="site-cell">9</span>${gettext("sites together")}</div>
      <strong>${gettext("Findings")}</strong>
      <div><span class="dot breach-mark"></span>${gettext("breach: a limit exceeded, a deadline missed")}</div>
      <div><span class="dot breach-mark indicator"></span>${gettext("indicator: to be clarified")}</div>
      <div class="note">${say(gettext("states: %(states)s"), { states: Object.values(LABELS.states).join(", ") })}</div>`;
    return box;
  };
  return legend.addTo(map);
}

// ---- panel contents ----

// Who a ceiling limits: its party, or all parties together.
export function holderLabel(row) {
  if (row.applies_to === "all") return gettext("all parties");
  return row.party ?? row.applies_to;
}

export function ceilingsTable(ceilings) {
  if (!ceilings.length) return `<p class="empty">${gettext("No ceiling in force.")}</p>`;
  const rows = ceilings.map((row) => `
    <tr data-ceiling="${row.ceiling}" data-party="${escapeHtml(row.party ?? "")}" data-category="${escapeHtml(row.category)}">
      <td>${escapeHtml(categoryName(row.category))}${row.counting === "active" ? ` <span class="note">${gettext("active")}</span>` : ""}</td>
      <td>${escapeHtml(holderLabel(row))}</td>
      <td class="number">${formatNumber(row.counted)}</td>
      <td class="number">${formatNumber(row.limit)}</td>
      <td class="number ${row.headroom < 0 ? "negative" : ""}">${formatNumber(row.headroom)}</td>
      <td class="note">${escapeHtml(treatyName(row.treaty))}</td>
    </tr>`);
  return `<table class="ceilings-table">
    <thead><tr><th>${gettext("Category")}</th><th>${gettext("Party")}</th><th class="number">${gettext("Counted")}</th>
    <th class="number">${gettext("Limit")}</th><th class="number">${gettext("Headroom")}</th><th>${gettext("Treaty")}</th></tr></thead>
    <tbody>${rows.join("")}</tbody></table>`;
}

export function describeBreach(breach) {
  const values = {
    who: breach.party ? escapeHtml(breach.party) : gettext("all parties"),
    what: escapeHtml(categoryName(breach.category)),
    zone: escapeHtml(breach.zone),
    counted: formatNumber(breach.counted),
    limit: formatNumber(breach.limit),
    excess: `${breach.excess > 0 ? "+" : ""}${formatNumber(breach.excess)}`,
    distance: escapeHtml(formatNumber(breach.evidence?.distance_km)),
    line: escapeHtml(breach.evidence?.line),
    site: escapeHtml(breach.evidence?.site),
    object: escapeHtml(breach.evidence?.object),
    change: escapeHtml(breach.evidence?.change),
  };
  switch (breach.kind) {
    case "ceiling_exceeded":
      return say(gettext("%(who)s: %(counted)s %(what)s counted in %(zone)s, limit %(limit)s (%(excess)s)"), values);
    case "inspection_discrepancy":
      return say(gettext("%(who)s: inspectors found %(counted)s %(what)s, %(limit)s declared"), values);
    case "observation_discrepancy":
      return say(gettext("%(who)s: %(counted)s %(what)s observed, %(limit)s declared"), values);
    case "late_notification":
      return say(gettext("%(who)s: notified after %(counted)s days, deadline %(limit)s days"), values);
    case "temporary_allowance_exceeded":
      return say(gettext("%(who)s: %(counted)s %(what)s counted in %(zone)s, limit with the temporary allowance %(limit)s (%(excess)s)"), values);
    case "within_withdrawal_distance":
      return say(gettext("%(who)s: %(counted)s %(what)s within %(distance)s km of %(line)s"), values);
    case "storage_outside_designated_site":
      return say(gettext("%(who)s: %(counted)s %(what)s in storage at %(site)s, no designated storage site"), values);
    case "unnotified_change":
      return say(gettext("%(who)s: %(what)s of %(object)s went from %(limit)s to %(counted)s with no change notification"), values);
    case "short_notice":
      return say(gettext("%(who)s: %(object)s %(change)s with %(counted)s days' notice, %(limit)s asked"), values);
    default:
      return escapeHtml(label(LABELS.kinds, breach.kind));
  }
}

// Evidence names records by kind (``sites: [codes]``, ``notification: ref``…), or lists records that name
// themselves (``sites: [{site: code, km: …}]``); other keys describe the breach.
const EVIDENCE_NAMES = {
  ceiling: gettext("ceiling"),
  zone: gettext("zone"),
  site: gettext("site"),
  notification: gettext("notification"),
  inspection: gettext("inspection"),
  observation: gettext("observation"),
};
const EVIDENCE_KINDS = Object.keys(EVIDENCE_NAMES);

export function evidenceLinks(evidence = {}) {
  const links = [];
  for (const [key, value] of Object.entries(evidence)) {
    const kind = key.replace(/s$/, "");
    if (!EVIDENCE_KINDS.includes(kind)) continue;
    for (const item of [value].flat()) {
      const name = item !== null && typeof item === "object" ? item[kind] : item;
      if (name === null || name === undefined || typeof name === "object") continue;
      links.push(`<a href="${evidenceUrl(kind, name)}">${escapeHtml(EVIDENCE_NAMES[kind])} ${escapeHtml(name)}</a>`);
    }
  }
  return links.join(" ");
}

// The finding's grade, and its state in the findings register when it holds it.
export function gradeTags(breach) {
  const state = breach.state
    ? ` <span class="finding-state ${escapeHtml(breach.state)}">${escapeHtml(label(LABELS.states, breach.state))}</span>`
    : "";
  return `<span class="grade ${escapeHtml(breach.grade)}">${escapeHtml(label(LABELS.grades, breach.grade))}</span>${state}`;
}

export function breachList(breaches) {
  if (!breaches.length) return `<p class="empty">${gettext("No breach.")}</p>`;
  const items = breaches.map((breach) => `
    <li data-kind="${escapeHtml(breach.kind)}" data-grade="${escapeHtml(breach.grade)}">
      <strong>${escapeHtml(kindName(breach.kind))}</strong> ${gradeTags(breach)}
      ${breach.treaty ? `<span class="note">${escapeHtml(treatyName(breach.treaty))}</span>` : ""}<br>
      ${describeBreach(breach)}<br>
      <span class="evidence note">${gettext("Evidence:")} ${evidenceLinks(breach.evidence) || gettext("none recorded")}</span>
    </li>`);
  return `<ul class="breach-list">${items.join("")}</ul>`;
}

// A holding line's status (HoldingStatus), in a table's one word.
const STATUS_NAMES = {
  active: pgettext("holding status", "active"),
  storage: pgettext("holding status", "storage"),
  temporary: pgettext("holding status", "temporary"),
};

export function siteDetails(props) {
  const rows = (props.holdings ?? []).map((line) => `
    <tr><td>${escapeHtml(categoryName(line.category))}</td><td>${escapeHtml(STATUS_NAMES[line.status] ?? line.status)}</td>
    <td class="number">${formatNumber(line.quantity)}</td>
    <td><a href="${evidenceUrl("notification", line.notification)}">${escapeHtml(line.notification)}</a></td></tr>`);
  return `<h2>${escapeHtml(props.site)} — ${escapeHtml(props.name)}</h2>
    <p class="note">${escapeHtml(props.party)}${props.unit ? ` · ${escapeHtml(props.unit)}` : ""} ·
      <a href="${evidenceUrl("site", props.site)}">${gettext("site record")}</a></p>
    <h3>${gettext("Holdings")}</h3>
    <table class="holdings-table"><thead><tr><th>${gettext("Category")}</th><th>${gettext("Status")}</th>
    <th class="number">${gettext("Quantity")}</th><th>${gettext("Notification")}</th></tr></thead><tbody>${rows.join("")}</tbody>
    <tfoot><tr><th colspan="2">${gettext("Total")}</th><th class="number">${formatNumber(props.total)}</th><th></th></tr></tfoot></table>`;
}
