// A step chart in inline SVG: holdings counted against a ceiling's limit, changing only on change dates.
const SVG = "http://www.w3.org/2000/svg";
const DAY = 86400000;
const MARGIN = { top: 12, right: 14, bottom: 28, left: 52 };
const LANGUAGE = document.documentElement.lang || "en";
const NUMBERS = new Intl.NumberFormat(LANGUAGE);
const MONTHS = new Intl.DateTimeFormat(LANGUAGE, { month: "short", year: "numeric", timeZone: "UTC" });
const YEARS = new Intl.DateTimeFormat(LANGUAGE, { year: "numeric", timeZone: "UTC" });
const DAYS = new Intl.DateTimeFormat(LANGUAGE, { day: "numeric", month: "short", year: "numeric", timeZone: "UTC" });

function element(name, attributes = {}, text = null) {
  const node = document.createElementNS(SVG, name);
  for (const [key, value] of Object.entries(attributes)) node.setAttribute(key, value);
  if (text !== null) node.textContent = text;
  return node;
}

const time = (day) => Date.parse(`${day}T00:00:00Z`);
const isoDay = (ms) => new Date(ms).toISOString().slice(0, 10);

// Round numbers for the value axis: 1, 2 or 5 times a power of ten.
function valueTicks(max, count = 5) {
  const rough = max / count;
  const power = 10 ** Math.floor(Math.log10(rough || 1));
  const step = [1, 2, 5, 10].map((m) => m * power).find((s) => s >= rough) ?? power * 10;
  const ticks = [];
  for (let value = 0; value <= max + step / 2; value += step) ticks.push(value);
  return ticks;
}

// Year ticks over long spans, months (every 1, 2, 3 or 6) over short ones.
function timeTicks(start, end) {
  const first = new Date(start);
  const years = (end - start) / (365.25 * DAY);
  const monthsStep = years > 4 ? 12 * Math.ceil(years / 6) : [1, 2, 3, 6, 12].find((m) => (years * 12) / m <= 7) ?? 12;
  const ticks = [];
  let cursor = Date.UTC(first.getUTCFullYear(), monthsStep >= 12 ? 0 : first.getUTCMonth(), 1);
  while (cursor <= end) {
    if (cursor >= start) ticks.push(cursor);
    const date = new Date(cursor);
    cursor = Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + monthsStep, 1);
  }
  return { ticks, label: (ms) => (monthsStep >= 12 ? YEARS : MONTHS).format(new Date(ms)) };
}

// A step line through ``points`` (value may be null: no line there), held to ``end``.
function stepPath(points, key, x, y, end) {
  const parts = [];
  let drawing = false;
  points.forEach((point, index) => {
    const value = point[key];
    if (value === null || value === undefined) {
      drawing = false;
      return;
    }
    const until = index + 1 < points.length ? time(points[index + 1].date) : end;
    const level = y(value).toFixed(1);
    parts.push(drawing ? `V${level}` : `M${x(time(point.date)).toFixed(1)} ${level}`, `H${x(until).toFixed(1)}`);
    drawing = true;
  });
  return parts.join("");
}

/**
 * ``points``: [{date, counted, limit}] at each change date, oldest first. Options: ``end`` (last
 * day shown; the last values hold until then) and ``asOf`` (marked with a dotted line).
 */
export function stepChart(points, { end, asOf, width = 560, height = 220 } = {}) {
  const svg = element("svg", { viewBox: `0 0 ${width} ${height}`, role: "img" });
  if (!points.length) return svg;
  const start = time(points[0].date);
  const last = Math.max(time(points.at(-1).date), end ? time(end) : 0, asOf ? time(asOf) : 0);
  const finish = last + Math.max((last - start) * 0.04, 15 * DAY);
  const highest = Math.max(1, ...points.flatMap((p) => [p.counted ?? 0, p.limit ?? 0]));
  const yTicks = valueTicks(highest * 1.08);
  const top = yTicks.at(-1);
  const plotWidth = width - MARGIN.left - MARGIN.right;
  const plotHeight = height - MARGIN.top - MARGIN.bottom;
  const x = (ms) => MARGIN.left + ((ms - start) / (finish - start || 1)) * plotWidth;
  const y = (value) => MARGIN.top + plotHeight - (value / top) * plotHeight;

  const grid = element("g", { class: "grid" });
  const axis = element("g", { class: "axis" });
  for (const value of yTicks) {
    grid.append(element("line", { x1: MARGIN.left, x2: width - MARGIN.right, y1: y(value), y2: y(value) }));
    axis.append(element("text", { x: MARGIN.left - 6, y: y(value) + 4, "text-anchor": "end" }, NUMBERS.format(value)));
  }
  const { ticks, label } = timeTicks(start, finish);
  for (const tick of ticks) {
    axis.append(element("line", { x1: x(tick), x2: x(tick), y1: height - MARGIN.bottom, y2: height - MARGIN.bottom + 4 }));
    axis.append(element("text", { x: x(tick), y: height - MARGIN.bottom + 16, "text-anchor": "middle" }, label(tick)));
  }
  axis.append(element("path", { d: `M${MARGIN.left} ${MARGIN.top}V${height - MARGIN.bottom}H${width - MARGIN.right}`, fill: "none" }));
  svg.append(grid, axis);

  // Where the count was over the limit, the excess is shaded.
  const excess = element("g", { class: "excess" });
  points.forEach((point, index) => {
    if (point.limit === null || point.counted === null || point.counted <= point.limit) return;
    const from = x(time(point.date));
    const to = x(index + 1 < points.length ? time(points[index + 1].date) : finish);
    excess.append(element("rect", { x: from, y: y(point.counted), width: Math.max(to - from, 1), height: y(point.limit) - y(point.counted) }));
  });
  svg.append(excess);
  svg.append(element("path", { class: "limit", d: stepPath(points, "limit", x, y, finish) }));
  svg.append(element("path", { class: "counted", d: stepPath(points, "counted", x, y, finish) }));

  const dots = element("g", { class: "changes" });
  for (const point of points) {
    if (point.counted === null || point.counted === undefined) continue;
    const dot = element("circle", { cx: x(time(point.date)), cy: y(point.counted), r: 3, fill: "#1d4f91" });
    const values = { day: DAYS.format(new Date(time(point.date))), counted: NUMBERS.format(point.counted) };
    const text = point.limit === null || point.limit === undefined
      ? interpolate(gettext("%(day)s: %(counted)s counted, no limit"), values, true)
      : interpolate(gettext("%(day)s: %(counted)s counted, limit %(limit)s"), { ...values, limit: NUMBERS.format(point.limit) }, true);
    dot.append(element("title", {}, text));
    dots.append(dot);
  }
  svg.append(dots);

  if (asOf && time(asOf) >= start) {
    svg.append(element("line", { class: "today", x1: x(time(asOf)), x2: x(time(asOf)), y1: MARGIN.top, y2: height - MARGIN.bottom }));
    // Near the right edge the day is written to the left of its line, so that it is not cut off.
    const nearEnd = x(time(asOf)) > width - MARGIN.right - 90;
    svg.append(element("text", {
      x: x(time(asOf)) + (nearEnd ? -3 : 3), y: MARGIN.top + 9, fill: "#5f6b76", "text-anchor": nearEnd ? "end" : "start",
    }, DAYS.format(new Date(time(asOf)))));
  }
  return svg;
}

// The periods in which the count was over the limit: [{from, to (null: still), worst}].
export function periodsOver(points) {
  const periods = [];
  let open = null;
  for (const point of points) {
    const over = point.limit !== null && point.counted !== null && point.counted > point.limit;
    if (over && !open) open = { from: point.date, to: null, worst: 0 };
    if (over) open.worst = Math.max(open.worst, point.counted - point.limit);
    if (!over && open) {
      open.to = isoDay(time(point.date) - DAY);
      periods.push(open);
      open = null;
    }
  }
  if (open) periods.push(open);
  return periods;
}
