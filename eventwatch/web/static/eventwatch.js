// EventWatch map page: events on a map, a brushable timeline, filters kept in
// the URL, and a detail panel with the evidence highlighted in each article.
//
// Libraries (Leaflet, Leaflet.markercluster, topojson-client, uPlot) are loaded
// as classic scripts from /static/vendor/ before this module runs.
//
// Everything that comes from the API (article text, titles, place and actor
// names) is untrusted: it is put into the page only with textContent /
// createTextNode, never as HTML.

const L = window.L;
const topojson = window.topojson;
const uPlot = window.uPlot;

// ACLED event types, with a colour-blind-safe palette (Okabe-Ito).
const TYPES = [
  ["Battles", "#D55E00"],
  ["Explosions/Remote violence", "#E69F00"],
  ["Violence against civilians", "#CC79A7"],
  ["Protests", "#0072B2"],
  ["Riots", "#009E73"],
  ["Strategic developments", "#56B4E9"],
];
const TYPE_COLOUR = new Map(TYPES);
const OTHER_COLOUR = "#777777";

// Filters the form edits, and the API parameters passed through from the URL
// even though the page has no control for them.
const FORM_PARAMS = ["start", "end", "event_type", "country", "ceasefire_violation", "min_fatalities", "q"];
const PASS_PARAMS = ["admin1", "sub_event_type", "actor", "bbox"];
const FILTER_PARAMS = [...FORM_PARAMS, ...PASS_PARAMS];

const PAGE = 1000;          // events per API request
const MAX_EVENTS = 20000;   // the most the map loads at once

const $ = (id) => document.getElementById(id);

// ---------------------------------------------------------------- helpers

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) continue;
    if (key === "class") node.className = value;
    else if (key === "text") node.textContent = String(value);
    else if (key === "dataset") Object.assign(node.dataset, value);
    else node.setAttribute(key, value === true ? "" : String(value));
  }
  for (const child of children) {
    if (child === undefined || child === null || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

function colourOf(type) {
  return TYPE_COLOUR.get(type) || OTHER_COLOUR;
}

function radiusOf(fatalities) {
  const n = Math.max(0, Number(fatalities) || 0);
  return Math.min(24, 5 + 2.4 * Math.sqrt(n));
}

const numberFormat = new Intl.NumberFormat("en");
const fmt = (n) => numberFormat.format(n);
const plural = (n, one, many) => `${fmt(n)} ${n === 1 ? one : many}`;

function safeUrl(url) {
  // Only http(s) links become clickable; anything else (javascript:, data:) is shown as text.
  try {
    const parsed = new URL(String(url), window.location.href);
    return parsed.protocol === "http:" || parsed.protocol === "https:" ? parsed.href : null;
  } catch {
    return null;
  }
}

async function getJSON(url, options = {}) {
  const response = await fetch(url, { headers: { Accept: "application/json" }, ...options });
  if (!response.ok) {
    let detail = "";
    try {
      const body = await response.json();
      detail = typeof body.detail === "string" ? body.detail : JSON.stringify(body.detail ?? body);
    } catch {
      detail = response.statusText;
    }
    throw new Error(`${response.status} ${detail}`.trim());
  }
  return response.json();
}

// ---------------------------------------------------------------- state and URL

const state = {
  filters: {},         // current filter values (strings), as in the URL
  selected: null,      // event id shown in the detail panel
  tiles: false,        // online tile layer on
  events: [],
  total: 0,
  loadToken: 0,
};

function readUrl() {
  const params = new URLSearchParams(window.location.search);
  const filters = {};
  for (const name of FILTER_PARAMS) {
    const value = params.get(name);
    if (value !== null && value.trim() !== "") filters[name] = value.trim();
  }
  state.filters = filters;
  state.selected = params.get("event") || null;
  state.tiles = params.get("tiles") === "osm";
}

function writeUrl(push) {
  const params = new URLSearchParams();
  for (const name of FILTER_PARAMS) {
    if (state.filters[name] !== undefined) params.set(name, state.filters[name]);
  }
  if (state.selected) params.set("event", state.selected);
  if (state.tiles) params.set("tiles", "osm");
  const query = params.toString();
  const url = `${window.location.pathname}${query ? `?${query}` : ""}`;
  if (url === `${window.location.pathname}${window.location.search}`) return;
  if (push) window.history.pushState(null, "", url);
  else window.history.replaceState(null, "", url);
}

function apiQuery(filters, extra = {}) {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(filters)) params.set(name, value);
  for (const [name, value] of Object.entries(extra)) params.set(name, String(value));
  return params.toString();
}

// ---------------------------------------------------------------- form

const form = $("filters");

function fillForm() {
  for (const name of FORM_PARAMS) {
    const input = form.elements[name];
    if (!input) continue;
    const value = state.filters[name] ?? "";
    if (input.tagName === "SELECT" && value && ![...input.options].some((o) => o.value === value)) {
      input.append(el("option", { value, text: value }));
    }
    input.value = value;
  }
  const passed = PASS_PARAMS.filter((name) => state.filters[name] !== undefined);
  const note = $("extra-filters");
  note.hidden = passed.length === 0;
  note.textContent = passed.length
    ? `Also filtered by ${passed.map((n) => `${n.replace(/_/g, " ")} = ${state.filters[n]}`).join(", ")} (from the link).`
    : "";
  $("online-tiles").checked = state.tiles;
  $("clear-dates").hidden = !(state.filters.start || state.filters.end);
}

function readForm() {
  const filters = {};
  for (const name of FORM_PARAMS) {
    const input = form.elements[name];
    const value = input ? String(input.value).trim() : "";
    if (value !== "") filters[name] = value;
  }
  if (filters.min_fatalities !== undefined) {
    const n = Math.floor(Number(filters.min_fatalities));
    if (!Number.isFinite(n) || n <= 0) delete filters.min_fatalities;
    else filters.min_fatalities = String(n);
  }
  for (const name of PASS_PARAMS) {
    if (state.filters[name] !== undefined) filters[name] = state.filters[name];
  }
  return filters;
}

function setFilters(filters, { push = true, refit = true } = {}) {
  state.filters = filters;
  fillForm();
  writeUrl(push);
  load({ refit });
}

function buildTypeOptions() {
  const select = $("f-event_type");
  for (const [type] of TYPES) select.append(el("option", { value: type, text: type }));
}

// ---------------------------------------------------------------- legend

function buildLegend() {
  const list = $("legend-types");
  for (const [type, colour] of [...TYPES, ["Other", OTHER_COLOUR]]) {
    if (type === "Other") continue;
    list.append(
      el("li", { dataset: { type } },
        el("span", { class: "swatch", style: `background:${colour}` }),
        el("span", { class: "legend-label", text: type }),
        el("span", { class: "legend-count", text: "" })),
    );
  }
  const sizes = $("legend-sizes");
  sizes.append(el("span", { class: "legend-size-title", text: "Fatalities" }));
  for (const n of [0, 1, 10, 50]) {
    const r = radiusOf(n);
    sizes.append(
      el("span", { class: "size-item" },
        el("span", { class: "size-dot", style: `width:${2 * r}px;height:${2 * r}px` }),
        el("span", { text: n === 50 ? "50+" : String(n) })),
    );
  }
}

function updateLegendCounts(events) {
  const counts = new Map();
  for (const event of events) counts.set(event.event_type, (counts.get(event.event_type) || 0) + 1);
  for (const item of document.querySelectorAll("#legend-types li")) {
    const n = counts.get(item.dataset.type) || 0;
    item.querySelector(".legend-count").textContent = fmt(n);
    item.classList.toggle("empty", n === 0);
  }
}

// ---------------------------------------------------------------- map

const map = L.map("map", { worldCopyJump: true, minZoom: 2, maxZoom: 14, zoomSnap: 0.5 })
  .setView([25, 20], 2);
map.attributionControl.setPrefix(false);
map.attributionControl.addAttribution("Natural Earth (world-atlas)");

const basemapPane = map.createPane("basemap");
basemapPane.style.zIndex = 250;
let onlineTiles = null;

async function loadBasemap() {
  try {
    const topo = await getJSON("/static/vendor/world-atlas/countries-50m.json");
    const countries = topojson.feature(topo, topo.objects.countries);
    const borders = topojson.mesh(topo, topo.objects.countries, (a, b) => a !== b);
    L.geoJSON(countries, {
      pane: "basemap",
      interactive: false,
      style: { stroke: false, fillColor: "#f4f1ea", fillOpacity: 1 },
    }).addTo(map);
    L.geoJSON(borders, {
      pane: "basemap",
      interactive: false,
      style: { color: "#b9b2a5", weight: 0.8, opacity: 1, fill: false },
    }).addTo(map);
  } catch (error) {
    console.warn("basemap unavailable:", error.message);
  }
}

function setOnlineTiles(on) {
  state.tiles = on;
  if (on && !onlineTiles) {
    onlineTiles = L.tileLayer("https://tile.openstreetmap.org/{z}/{x}/{y}.png", {
      maxZoom: 19,
      attribution: "© OpenStreetMap contributors",
    });
  }
  if (on) onlineTiles.addTo(map);
  else if (onlineTiles) onlineTiles.remove();
  document.body.classList.toggle("tiles-on", on);
}

function clusterIcon(cluster) {
  const markers = cluster.getAllChildMarkers();
  const counts = new Map();
  let fatalities = 0;
  for (const marker of markers) {
    const event = marker.options.event;
    counts.set(event.event_type, (counts.get(event.event_type) || 0) + 1);
    fatalities += Number(event.fatalities) || 0;
  }
  const dominant = [...counts.entries()].sort((a, b) => b[1] - a[1])[0][0];
  const n = markers.length;
  const size = Math.round(Math.min(56, 26 + 7 * Math.log10(n + 1) + 3 * Math.log10(fatalities + 1)));
  const node = el("div", {
    class: "cluster",
    style: `width:${size}px;height:${size}px;border-color:${colourOf(dominant)}`,
    title: `${plural(n, "event", "events")}, ${plural(fatalities, "fatality", "fatalities")}`,
    dataset: { count: String(n) },
  }, el("span", { text: fmt(n) }));
  return L.divIcon({ html: node, className: "cluster-icon", iconSize: [size, size] });
}

const clusters = L.markerClusterGroup({
  maxClusterRadius: 44,
  showCoverageOnHover: false,
  spiderfyOnMaxZoom: true,
  chunkedLoading: true,
  iconCreateFunction: clusterIcon,
});
map.addLayer(clusters);

function tooltipFor(event) {
  return el("div", { class: "tip" },
    el("strong", { text: event.location || event.admin1 || event.country || "Unknown place" }),
    el("div", { text: `${event.event_date || "undated"} · ${event.sub_event_type || event.event_type || ""}` }),
    el("div", { text: `${plural(Number(event.fatalities) || 0, "fatality", "fatalities")}` }));
}

function markerFor(event) {
  const marker = L.circleMarker([event.latitude, event.longitude], {
    radius: radiusOf(event.fatalities),
    color: "#ffffff",
    weight: 1.2,
    fillColor: colourOf(event.event_type),
    fillOpacity: 0.88,
    className: "ew-marker",
    event,
  });
  marker.bindTooltip(tooltipFor(event), { direction: "top", offset: [0, -4] });
  marker.on("add", () => {
    const path = marker.getElement();
    if (!path) return;
    path.dataset.eventId = event.event_id;
    path.classList.toggle("selected", event.event_id === state.selected);
  });
  marker.on("click", () => selectEvent(event.event_id, { push: true }));
  return marker;
}

function drawEvents(events, refit) {
  clusters.clearLayers();
  const placed = events.filter((e) => Number.isFinite(e.latitude) && Number.isFinite(e.longitude));
  clusters.addLayers(placed.map(markerFor));
  const mapBox = $("map");
  mapBox.dataset.drawn = String(placed.length);
  mapBox.dataset.unplaced = String(events.length - placed.length);
  if (refit && placed.length) {
    const bounds = L.latLngBounds(placed.map((e) => [e.latitude, e.longitude]));
    map.fitBounds(bounds.pad(0.15), { maxZoom: 5, animate: false });
  }
  return placed.length;
}

// ---------------------------------------------------------------- data loading

async function fetchEvents(filters, token) {
  const events = [];
  let total = 0;
  for (let offset = 0; offset < MAX_EVENTS; offset += PAGE) {
    const page = await getJSON(`/api/events?${apiQuery(filters, { limit: PAGE, offset })}`);
    if (token !== state.loadToken) return null;
    total = page.total;
    events.push(...page.events);
    if (!page.events.length || events.length >= total) break;
  }
  return { events, total };
}

function summarise(events, total, drawn) {
  const fatalities = events.reduce((sum, e) => sum + (Number(e.fatalities) || 0), 0);
  const days = new Set(events.map((e) => e.event_date).filter(Boolean)).size;
  const parts = [
    `${plural(total, "event", "events")}`,
    `${plural(fatalities, "fatality", "fatalities")}`,
    `${plural(days, "day", "days")}`,
  ];
  let text = parts.join(" · ");
  if (events.length < total) text += ` — showing the first ${fmt(events.length)}`;
  if (drawn < events.length) text += ` — ${fmt(events.length - drawn)} without coordinates not on the map`;
  const summary = $("summary");
  summary.textContent = text;
  summary.dataset.total = String(total);
}

async function load({ refit = true } = {}) {
  const token = ++state.loadToken;
  document.body.dataset.state = "loading";
  $("summary").textContent = "Loading events…";
  try {
    const [result] = await Promise.all([fetchEvents(state.filters, token), loadTimeline(token)]);
    if (!result || token !== state.loadToken) return;
    state.events = result.events;
    state.total = result.total;
    const drawn = drawEvents(result.events, refit);
    summarise(result.events, result.total, drawn);
    updateLegendCounts(result.events);
    updateCountryList(result.events);
    document.body.dataset.state = "ready";
  } catch (error) {
    if (token !== state.loadToken) return;
    document.body.dataset.state = "error";
    $("summary").textContent = `Could not load events: ${error.message}`;
  }
}

const knownCountries = new Set();
function updateCountryList(events) {
  let changed = false;
  for (const event of events) {
    if (event.country && !knownCountries.has(event.country)) {
      knownCountries.add(event.country);
      changed = true;
    }
  }
  if (!changed) return;
  const list = $("country-list");
  list.replaceChildren(...[...knownCountries].sort().map((c) => el("option", { value: c })));
}

// ---------------------------------------------------------------- timeline

const DAY = 86400;
const BRUSH_HINT = "Drag across the chart to filter by date.";
const DAY_INCRS = [1, 2, 7, 14, 30, 60, 90, 180, 365, 730, 1825].map((d) => d * DAY);
let chart = null;
let timelineDays = [];   // unix seconds of each day shown

function dayToSeconds(iso) {
  return Date.parse(`${iso}T00:00:00Z`) / 1000;
}

function secondsToDay(seconds) {
  return new Date(seconds * 1000).toISOString().slice(0, 10);
}

function dailyRows(body) {
  // Accept [{date, events, fatalities}], {days: [...]}, or {date: [...], events: [...], ...}.
  let rows = Array.isArray(body) ? body : null;
  if (!rows && body && typeof body === "object") {
    rows = body.days || body.daily || body.stats || body.data || null;
    if (!rows && Array.isArray(body.date)) {
      rows = body.date.map((d, i) => ({ date: d, events: body.events?.[i], fatalities: body.fatalities?.[i] }));
    }
  }
  return (rows || []).map((r) => ({
    date: r.date || r.day || r.event_date,
    events: Number(r.events ?? r.count ?? r.n ?? 0) || 0,
    fatalities: Number(r.fatalities ?? 0) || 0,
  })).filter((r) => r.date);
}

async function loadTimeline(token) {
  // The timeline shows every day the other filters allow, so a brush can widen as well as narrow.
  const filters = { ...state.filters };
  delete filters.start;
  delete filters.end;
  let rows;
  try {
    rows = dailyRows(await getJSON(`/api/stats/daily?${apiQuery(filters)}`));
  } catch (error) {
    console.warn("daily statistics unavailable:", error.message);
    rows = [];
  }
  if (token !== state.loadToken) return;
  drawTimeline(rows);
}

function drawTimeline(rows) {
  const box = $("timeline");
  const byDay = new Map(rows.map((r) => [dayToSeconds(r.date), r]));
  const xs = [];
  if (rows.length) {
    let first = Math.min(...byDay.keys());
    let last = Math.max(...byDay.keys());
    if (last - first < 6 * DAY) { first -= 3 * DAY; last += 3 * DAY; } else { first -= DAY; last += DAY; }
    for (let t = first; t <= last && xs.length < 5000; t += DAY) xs.push(t);
  }
  timelineDays = xs;
  const events = xs.map((t) => byDay.get(t)?.events ?? 0);
  // Fatalities are dots on the days that have any (no dot for a day without events).
  const fatalities = xs.map((t) => (byDay.has(t) ? byDay.get(t).fatalities : null));
  box.dataset.days = String(rows.length);
  if (chart) { chart.destroy(); chart = null; }
  box.replaceChildren();
  if (!xs.length) {
    box.append(el("p", { class: "empty-chart", text: "No dated events for these filters." }));
    return;
  }
  const width = Math.max(300, box.clientWidth);
  const height = Math.max(100, box.clientHeight || 120);
  const font = "11px system-ui, sans-serif";
  const integers = (u, vals) => vals.map((v) => (Number.isInteger(v) ? fmt(v) : ""));
  const opts = {
    width,
    height,
    legend: { show: false },
    cursor: { drag: { x: true, y: false, setScale: false }, points: { show: false }, y: false },
    select: { show: true },
    scales: {
      x: { time: true },
      events: { range: (u, min, max) => [0, Math.max(1, max)] },
      fat: { range: (u, min, max) => [0, Math.max(1, max * 1.1)] },
    },
    axes: [
      { stroke: "#555", grid: { stroke: "#eee" }, ticks: { stroke: "#ccc" }, font, space: 70, incrs: DAY_INCRS },
      { scale: "events", stroke: "#0b4f6c", grid: { stroke: "#eee" }, size: 40, font, values: integers },
      { scale: "fat", side: 1, stroke: "#a33", grid: { show: false }, size: 44, font, values: integers },
    ],
    series: [
      {},
      {
        label: "Events",
        scale: "events",
        stroke: "#0b4f6c",
        fill: "rgba(11, 79, 108, 0.7)",
        width: 0,
        paths: uPlot.paths.bars({ size: [0.85, 24, 3], align: 0 }),
        points: { show: false },
      },
      {
        label: "Fatalities",
        scale: "fat",
        stroke: "#c0392b",
        fill: "#c0392b",
        width: 0,
        paths: () => null,
        points: { show: true, size: 7, width: 1, stroke: "#ffffff", fill: "#c0392b" },
      },
    ],
    hooks: {
      setSelect: [(u) => {
        if (u.select.width < 3) return;
        const from = u.posToVal(u.select.left, "x");
        const to = u.posToVal(u.select.left + u.select.width, "x");
        const filters = { ...state.filters, start: secondsToDay(Math.round(from / DAY) * DAY), end: secondsToDay(Math.round(to / DAY) * DAY) };
        if (filters.end < filters.start) filters.end = filters.start;
        setFilters(filters, { push: true, refit: false });
      }],
      setCursor: [(u) => {
        const i = u.cursor.idx;
        $("readout").textContent = i == null ? BRUSH_HINT
          : `${secondsToDay(xs[i])}: ${plural(events[i], "event", "events")}, ${plural(fatalities[i] ?? 0, "fatality", "fatalities")}`;
      }],
      draw: [(u) => shadeOutsideRange(u)],
    },
  };
  chart = new uPlot(opts, [xs, events, fatalities], box);
  $("readout").textContent = BRUSH_HINT;
}

function shadeOutsideRange(u) {
  const { start, end } = state.filters;
  if (!start && !end) return;
  const ctx = u.ctx;
  const { left, top, width, height } = u.bbox;
  const x0 = start ? u.valToPos(dayToSeconds(start) - DAY / 2, "x", true) : left;
  const x1 = end ? u.valToPos(dayToSeconds(end) + DAY / 2, "x", true) : left + width;
  ctx.save();
  ctx.fillStyle = "rgba(255, 255, 255, 0.7)";
  if (x0 > left) ctx.fillRect(left, top, Math.min(x0, left + width) - left, height);
  if (x1 < left + width) ctx.fillRect(Math.max(x1, left), top, left + width - Math.max(x1, left), height);
  ctx.strokeStyle = "#0b4f6c";
  ctx.lineWidth = 1;
  ctx.setLineDash([4, 3]);
  for (const x of [x0, x1]) {
    if (x > left && x < left + width) {
      ctx.beginPath();
      ctx.moveTo(x, top);
      ctx.lineTo(x, top + height);
      ctx.stroke();
    }
  }
  ctx.restore();
}

new ResizeObserver(() => {
  const box = $("timeline");
  if (chart && box.clientWidth > 0) chart.setSize({ width: box.clientWidth, height: Math.max(110, box.clientHeight) });
  map.invalidateSize();
}).observe($("timeline"));

// ---------------------------------------------------------------- detail panel

function evidenceRanges(text, evidence) {
  // Where each evidence sentence sits in the article text (whitespace-tolerant,
  // in order of appearance); returns merged [start, end) ranges.
  const pieces = [];
  const sources = Array.isArray(evidence) ? evidence : [evidence];
  for (const item of sources) {
    if (!item) continue;
    for (const piece of String(item).split(/(?<=[.!?]['"”’)]*)\s+(?=\S)/)) {
      if (piece.trim().length >= 3) pieces.push(piece.trim());
    }
  }
  const ranges = [];
  let from = 0;
  for (const piece of pieces) {
    const pattern = piece.replace(/[.*+?^${}()|[\]\\]/g, "\\$&").replace(/\s+/g, "\\s+");
    const re = new RegExp(pattern, "g");
    re.lastIndex = from;
    let match = re.exec(text);
    if (!match) {
      re.lastIndex = 0;
      match = re.exec(text);
    }
    if (match) {
      ranges.push([match.index, match.index + match[0].length]);
      from = match.index + match[0].length;
    }
  }
  ranges.sort((a, b) => a[0] - b[0]);
  const merged = [];
  for (const [s, e] of ranges) {
    const last = merged[merged.length - 1];
    if (last && s <= last[1] + 1 && !/\n\s*\n/.test(text.slice(last[1], s))) last[1] = Math.max(last[1], e);
    else merged.push([s, e]);
  }
  return merged;
}

function highlightedText(text, evidence) {
  // The article as text nodes, with the evidence in <mark> elements.
  const container = el("div", { class: "article-text" });
  const ranges = evidenceRanges(text, evidence);
  let at = 0;
  for (const [s, e] of ranges) {
    if (s > at) container.append(document.createTextNode(text.slice(at, s)));
    container.append(el("mark", { class: "evidence", text: text.slice(s, e) }));
    at = e;
  }
  if (at < text.length) container.append(document.createTextNode(text.slice(at)));
  container.dataset.highlights = String(ranges.length);
  return container;
}

function field(label, value) {
  if (value === undefined || value === null || value === "") return null;
  return [el("dt", { text: label }), el("dd", { text: value })];
}

function eventFields(event) {
  const dl = el("dl", { class: "fields" });
  const rows = [
    field("Date", event.event_date),
    field("Type", event.event_type),
    field("Sub-event", event.sub_event_type),
    field("Actor 1", event.actor1),
    field("Actor 2", event.actor2),
    field("Place", [event.location, event.admin1, event.country].filter(Boolean).join(", ")),
    field("Coordinates", Number.isFinite(event.latitude) ? `${event.latitude.toFixed(4)}, ${event.longitude.toFixed(4)}` : null),
    field("Fatalities", event.fatalities ?? 0),
    field("Injuries", event.injuries ?? null),
    field("Ceasefire violation", event.ceasefire_violation ? "yes" : "no"),
    field("Notes", event.notes),
    field("Sources", event.source),
  ];
  for (const row of rows) if (row) dl.append(...row);
  return dl;
}

async function articleSection(article) {
  const url = safeUrl(article.url);
  const meta = [article.source, article.published].filter(Boolean).join(" · ");
  const section = el("section", { class: "article", dataset: { articleId: article.id || "" } },
    el("h3", {}, url ? el("a", { href: url, target: "_blank", rel: "noopener noreferrer", text: article.title || url })
      : (article.title || "Untitled article")),
    meta ? el("p", { class: "meta", text: meta }) : null);
  let text = article.text;
  if (typeof text !== "string" && article.id) {
    try {
      text = (await getJSON(`/api/articles/${encodeURIComponent(article.id)}`)).text;
    } catch (error) {
      section.append(el("p", { class: "hint", text: `Article text unavailable (${error.message}).` }));
    }
  }
  if (typeof text === "string" && text) {
    const body = highlightedText(text, article.evidence);
    if (body.dataset.highlights === "0" && article.evidence) {
      section.append(el("blockquote", { class: "evidence-quote" }, el("mark", { class: "evidence", text: String(article.evidence) })));
    }
    section.append(body);
  } else if (article.evidence) {
    section.append(el("blockquote", { class: "evidence-quote" }, el("mark", { class: "evidence", text: String(article.evidence) })));
  }
  return section;
}

let detailToken = 0;
function markSelected() {
  for (const path of document.querySelectorAll("path.ew-marker")) {
    path.classList.toggle("selected", path.dataset.eventId === state.selected);
  }
}

async function selectEvent(id, { push = false } = {}) {
  const token = ++detailToken;
  state.selected = id;
  markSelected();
  writeUrl(push);
  const panel = $("detail");
  const body = $("detail-body");
  panel.hidden = false;
  panel.dataset.state = "loading";
  document.body.classList.add("detail-open");
  $("detail-title").textContent = "Loading…";
  body.replaceChildren(el("p", { class: "hint", text: "Loading event…" }));
  map.invalidateSize();
  try {
    const event = await getJSON(`/api/events/${encodeURIComponent(id)}`);
    if (token !== detailToken) return;
    $("detail-title").textContent = [event.sub_event_type || event.event_type, event.location].filter(Boolean).join(" — ") || "Event";
    const articles = Array.isArray(event.articles) ? event.articles : [];
    const sections = await Promise.all(articles.map(articleSection));
    if (token !== detailToken) return;
    body.replaceChildren(
      el("div", { class: "type-band", style: `background:${colourOf(event.event_type)}` }),
      eventFields(event),
      el("h3", { class: "sources-title", text: articles.length ? `${plural(articles.length, "source article", "source articles")}, evidence highlighted` : "No source articles stored" }),
      ...sections,
    );
    panel.dataset.state = "ready";
    panel.dataset.eventId = event.event_id || id;
  } catch (error) {
    if (token !== detailToken) return;
    $("detail-title").textContent = "Event unavailable";
    body.replaceChildren(el("p", { class: "hint", text: `Could not load event ${id}: ${error.message}` }));
    panel.dataset.state = "error";
  }
}

function closeDetail({ push = true } = {}) {
  detailToken++;
  state.selected = null;
  markSelected();
  $("detail").hidden = true;
  document.body.classList.remove("detail-open");
  map.invalidateSize();
  writeUrl(push);
}

// ---------------------------------------------------------------- wiring

form.addEventListener("submit", (e) => {
  e.preventDefault();
  setFilters(readForm());
});
for (const name of ["event_type", "ceasefire_violation", "start", "end"]) {
  form.elements[name].addEventListener("change", () => setFilters(readForm()));
}
form.elements.min_fatalities.addEventListener("change", () => setFilters(readForm()));
form.elements.country.addEventListener("change", () => setFilters(readForm()));
$("reset").addEventListener("click", () => {
  for (const name of PASS_PARAMS) delete state.filters[name];
  form.reset();
  setFilters({});
});
$("clear-dates").addEventListener("click", () => {
  const filters = { ...state.filters };
  delete filters.start;
  delete filters.end;
  setFilters(filters, { refit: false });
});
$("detail-close").addEventListener("click", () => closeDetail());
document.addEventListener("keydown", (e) => {
  if (e.key === "Escape" && state.selected) closeDetail();
});
$("online-tiles").addEventListener("change", (e) => {
  setOnlineTiles(e.target.checked);
  writeUrl(false);
});
window.addEventListener("popstate", () => {
  readUrl();
  fillForm();
  setOnlineTiles(state.tiles);
  load({ refit: true });
  if (state.selected) selectEvent(state.selected);
  else if (!$("detail").hidden) closeDetail({ push: false });
});

buildTypeOptions();
buildLegend();
readUrl();
fillForm();
setOnlineTiles(state.tiles);
loadBasemap();
load({ refit: true });
if (state.selected) selectEvent(state.selected);

// For tests and debugging: the page's state, read-only by convention.
window.eventwatch = { state, map, clusters };
