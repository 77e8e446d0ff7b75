/* sitrep: the analysts' page. Plain ES2020, no libraries, nothing loaded from elsewhere.
 *
 * Views (hash routes): #/ map, timeline, filters and list; #/incident/<id>; #/outlets;
 * #/outlet/<name>; #/check. Everything the server returns that came from an article (titles,
 * texts, outlet and place names) is put into the page as text nodes only, never parsed as HTML.
 * Evidence offsets are Python string indices (code points); JavaScript strings count UTF-16
 * units, so offsets are converted before slicing (see codePointMap).
 */
"use strict";

(() => {
  // ---------------------------------------------------------------------------------------
  // Constants

  // Event types with the map's colours, as knowledge/event_types.yaml defines them (the
  // server writes them into /event-types.js, loaded before this file).
  const TYPOLOGY = window.SITREP_EVENT_TYPES || { types: [], sub_event_types: [] };
  const EVENT_TYPES = TYPOLOGY.types.map((t) => [t.name, t.label, t.colour]);
  const EVENT_LABEL = new Map(EVENT_TYPES.map(([k, label]) => [k, label]));
  const EVENT_COLOR = new Map(EVENT_TYPES.map(([k, , colour]) => [k, colour]));
  const FALLBACK_COLOR = "#8a8f98";

  const FLAGS = {
    figures_disagree: ["figures disagree", "Two sources' current figures differ by more than 25% and by more than 2 deaths."],
    perpetrator_disputed: ["perpetrator disputed", "Reports name perpetrators with no actor in common."],
    denial: ["denied", "A source denies that the act took place."],
    single_source: ["single source", "Only one independent source reports it."],
  };
  const CATEGORIES = ["total", "civilians", "children", "women", "combatants"];
  const KIND_LABEL = {
    monitor: "monitor", service: "rescue / medical", reporter: "reporter", local: "local",
    other: "other", media: "media", party: "party to the conflict",
  };

  const PAGE_SIZE = 50;
  const MAX_LAT = 85.0511287798;
  const CELL = 46;                  // clustering grid, in CSS pixels
  // World width in pixels from which division borders are drawn: first in the countries
  // that have incidents, then everywhere.
  const ADMIN1_ACTIVE_SCALE = 2400;
  const ADMIN1_ALL_SCALE = 12000;
  const FIT_MAX_SCALE = 256 * 2 ** 12;
  const MAX_SCALE = 256 * 2 ** 17;
  const DAY_MS = 86400000;

  const COLORS = {
    water: "#d7e3ec", land: "#f6f4ef", landActive: "#efe7d6", border: "#a9a59b",
    admin1: "#cbc5b7", label: "#5d6168", adminLabel: "#8a8577",
  };

  // ---------------------------------------------------------------------------------------
  // Small helpers

  const $ = (sel, root = document) => root.querySelector(sel);

  /** An element with attributes and children; strings become text nodes, never HTML. */
  function el(tag, attrs, ...children) {
    const e = document.createElement(tag);
    if (attrs) {
      for (const [k, v] of Object.entries(attrs)) {
        if (v === null || v === undefined || v === false) continue;
        if (k === "class") e.className = v;
        else if (k === "text") e.textContent = String(v);
        else if (k === "dataset") Object.assign(e.dataset, v);
        else if (k.startsWith("on") && typeof v === "function") e.addEventListener(k.slice(2), v);
        else e.setAttribute(k, v === true ? "" : String(v));
      }
    }
    appendAll(e, children);
    return e;
  }

  /** Append children (nested arrays flattened; null, undefined and false skipped), as text unless nodes. */
  function appendAll(node, children) {
    for (const c of children.flat(Infinity)) {
      if (c === null || c === undefined || c === false) continue;
      node.append(c instanceof Node ? c : document.createTextNode(String(c)));
    }
    return node;
  }

  /** Replace a node's children, by the rules of appendAll. */
  function fill(node, ...children) {
    node.replaceChildren();
    return appendAll(node, children);
  }

  function fmtInt(n) {
    return n === null || n === undefined || Number.isNaN(n) ? "–" : Number(n).toLocaleString("en-US");
  }

  function fmtShort(n) {
    if (n >= 10000) return Math.round(n / 1000) + "k";
    if (n >= 1000) return (n / 1000).toFixed(1).replace(/\.0$/, "") + "k";
    return String(n);
  }

  function eventLabel(t) {
    if (!t) return "Unknown";
    return EVENT_LABEL.get(t) || (t.charAt(0).toUpperCase() + t.slice(1).replace(/_/g, " "));
  }

  function eventColor(t) {
    return EVENT_COLOR.get(t) || FALLBACK_COLOR;
  }

  function dayNum(iso) {
    const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(iso || "");
    return m ? Date.UTC(+m[1], +m[2] - 1, +m[3]) / DAY_MS : null;
  }

  function dayStr(n) {
    return new Date(n * DAY_MS).toISOString().slice(0, 10);
  }

  const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

  function fmtDay(iso) {
    const n = dayNum(iso);
    if (n === null) return iso || "undated";
    const d = new Date(n * DAY_MS);
    return `${d.getUTCDate()} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()}`;
  }

  function dateText(item) {
    if (!item.date) return "undated";
    let s = item.date;
    if (item.date_end && item.date_end !== item.date) s += " – " + item.date_end;
    return s;
  }

  function placeText(item) {
    const parts = [];
    for (const p of [item.place, item.admin1, countryName(item.country)]) {
      if (p && !parts.includes(p)) parts.push(p);
    }
    return parts.join(", ") || "unknown place";
  }

  function countryName(code) {
    if (!code) return null;
    return state.countryNames.get(code) || code;
  }

  function unique(xs) {
    return [...new Set(xs)];
  }

  /** A count as "best (low–high)"; its text (as the article words it) goes to the title. */
  function countCell(c) {
    if (!c) return el("span", { class: "muted" }, "–");
    const { low, best, high } = c;
    const out = el("span", { class: "count", title: c.text || null });
    if (best !== null && best !== undefined) {
      out.append(el("b", null, fmtInt(best)));
      if ((low !== null && low !== undefined && low !== best) || (high !== null && high !== undefined && high !== best)) {
        out.append(" ", el("span", { class: "range" }, `(${low ?? "?"}–${high ?? "?"})`));
      }
    } else if (low !== null && low !== undefined && high !== null && high !== undefined) {
      out.append(el("b", null, `${fmtInt(low)}–${fmtInt(high)}`));
    } else if (low !== null && low !== undefined) {
      out.append(el("b", null, "≥ " + fmtInt(low)));
    } else if (high !== null && high !== undefined) {
      out.append(el("b", null, "≤ " + fmtInt(high)));
    } else {
      out.append(el("span", { class: "muted" }, "–"));
    }
    return out;
  }

  function flagBadges(flags) {
    return (flags || []).map((f) => el("span", {
      class: "badge flag-" + f.replace(/[^a-z_]/g, ""), title: (FLAGS[f] || [f, ""])[1] || null,
    }, (FLAGS[f] || [f.replace(/_/g, " ")])[0]));
  }

  function swatch(type) {
    const s = el("span", { class: "swatch" });
    s.style.background = eventColor(type);
    return s;
  }

  // ---------------------------------------------------------------------------------------
  // Evidence highlighting

  /** UTF-16 index of each code point index, or null when the two agree (no astral characters). */
  function codePointMap(text) {
    if (!/[\uD800-\uDFFF]/.test(text)) return null;
    const map = [];
    let i = 0;
    for (const ch of text) {
      map.push(i);
      i += ch.length;
    }
    map.push(i);
    return map;
  }

  function toUnits(map, cp, text) {
    const n = Math.max(0, Math.trunc(Number(cp) || 0));
    if (!map) return Math.min(n, text.length);
    return map[Math.min(n, map.length - 1)];
  }

  /**
   * The text as DOM nodes with every span wrapped in <mark class="evidence">. Spans are
   * {start, end, label, claim, denial, quote?} in code points, in any order, possibly
   * overlapping: the text is cut at every span boundary and each piece covered by some span
   * becomes one mark naming all the spans that cover it. When a span carries the quoted text
   * and the offsets do not point at it, the quote is looked for instead.
   */
  function highlighted(text, spans) {
    text = String(text || "");
    const map = codePointMap(text);
    const segs = [];
    for (const s of spans) {
      let a = toUnits(map, s.start, text);
      let b = toUnits(map, s.end, text);
      if (s.quote && text.slice(a, b) !== s.quote) {
        const found = nearestIndex(text, s.quote, a);
        if (found < 0) continue;
        a = found;
        b = found + s.quote.length;
      }
      if (b > a) segs.push({ a, b, s });
    }
    const frag = document.createDocumentFragment();
    if (!segs.length) {
      frag.append(text);
      return frag;
    }
    const cuts = new Set([0, text.length]);
    for (const g of segs) {
      cuts.add(g.a);
      cuts.add(g.b);
    }
    const points = [...cuts].sort((x, y) => x - y);
    for (let k = 0; k < points.length - 1; k++) {
      const a = points[k];
      const b = points[k + 1];
      const piece = text.slice(a, b);
      const cover = segs.filter((g) => g.a <= a && g.b >= b);
      if (!cover.length) {
        frag.append(piece);
        continue;
      }
      const mark = el("mark", { class: "evidence" + (cover.some((g) => g.s.denial) ? " denial" : "") }, piece);
      mark.title = unique(cover.map((g) => g.s.label)).join("\n");
      mark.dataset.claims = unique(cover.map((g) => g.s.claim)).join(" ");
      frag.append(mark);
    }
    return frag;
  }

  function nearestIndex(text, quote, around) {
    if (!quote) return -1;
    let best = -1;
    let i = text.indexOf(quote);
    while (i >= 0) {
      if (best < 0 || Math.abs(i - around) < Math.abs(best - around)) best = i;
      i = text.indexOf(quote, i + 1);
    }
    return best;
  }

  // ---------------------------------------------------------------------------------------
  // Talking to the server

  class ApiError extends Error {
    constructor(message, status) {
      super(message);
      this.status = status;
    }
  }

  async function api(path, options = {}) {
    const init = { headers: { Accept: "application/json", ...(options.headers || {}) }, signal: options.signal };
    if (options.body !== undefined) {
      init.method = "POST";
      init.headers["Content-Type"] = "application/json";
      init.body = JSON.stringify(options.body);
    }
    const res = await fetch(path, init);
    let body = null;
    try {
      body = await res.json();
    } catch (err) {
      if (err.name === "AbortError") throw err;
      body = null;
    }
    if (!res.ok) {
      const msg = (body && body.error && body.error.message) || `${res.status} ${res.statusText}`;
      throw new ApiError(msg, res.status);
    }
    return body;
  }

  /** A loader that drops every answer but the latest, and aborts the ones it replaces. */
  function latestOnly() {
    let controller = null;
    return async (path) => {
      if (controller) controller.abort();
      const mine = new AbortController();
      controller = mine;
      try {
        const data = await api(path, { signal: mine.signal });
        return controller === mine ? data : null;
      } catch (err) {
        if (err.name === "AbortError" || controller !== mine) return null;
        throw err;
      }
    };
  }

  let bannerTimer = 0;
  function showError(err) {
    const banner = $("#banner");
    fill(banner, el("span", null, String(err && err.message ? err.message : err)),
      el("button", { type: "button", class: "link-button", onclick: () => { banner.hidden = true; } }, "Dismiss"));
    banner.hidden = false;
    clearTimeout(bannerTimer);
    bannerTimer = setTimeout(() => { banner.hidden = true; }, 12000);
  }

  // ---------------------------------------------------------------------------------------
  // State

  const state = {
    filters: { place: "", actor: "", event: "", subEvent: "", disputed: false, review: "" },
    range: null,            // [since, until] from the timeline brush, "YYYY-MM-DD"
    sort: "-date",
    offset: 0,
    total: 0,
    countryNames: new Map(),
    activeCountries: new Set(),
    facets: null,
    lastList: null,
  };

  function filterParams(withRange = true) {
    const p = new URLSearchParams();
    const f = state.filters;
    if (f.place) p.set("place", f.place);
    if (f.actor) p.set("actor", f.actor);
    if (f.event) p.append("event_type", f.event);
    if (f.subEvent) p.append("sub_event_type", f.subEvent);
    if (f.disputed) p.set("disputed", "true");
    if (f.review) p.set("review_status", f.review);
    if (withRange && state.range) {
      p.set("since", state.range[0]);
      p.set("until", state.range[1]);
    }
    return p;
  }

  function withParams(path, params) {
    const q = params.toString();
    return q ? `${path}?${q}` : path;
  }

  // ---------------------------------------------------------------------------------------
  // Routing

  const VIEWS = ["overview", "incident", "review", "outlets", "outlet", "check"];
  let ready = false;

  function markReady() {
    if (ready) return;
    ready = true;
    performance.mark("sitrep-ready");
    document.body.dataset.ready = "1";
  }

  function parseRoute() {
    const h = location.hash || "#/";
    let m;
    if ((m = /^#\/incident\/(\d+)\/?$/.exec(h))) return ["incident", m[1]];
    if (/^#\/outlets\/?$/.test(h)) return ["outlets"];
    if ((m = /^#\/outlet\/(.+)$/.exec(h))) {
      try {
        return ["outlet", decodeURIComponent(m[1])];
      } catch (err) {
        return ["outlet", m[1]];
      }
    }
    if (/^#\/check\/?$/.test(h)) return ["check"];
    if (/^#\/review\/?$/.test(h)) return ["review"];
    return ["overview"];
  }

  async function route() {
    const [view, arg] = parseRoute();
    for (const v of VIEWS) $("#view-" + v).hidden = v !== view;
    for (const a of document.querySelectorAll(".nav a")) {
      const nav = a.dataset.nav;
      a.classList.toggle("active", nav === view || (nav === "outlets" && view === "outlet") ||
        (nav === "overview" && view === "incident"));
    }
    if (view !== "overview") window.scrollTo(0, 0);
    try {
      if (view === "overview") await showOverview();
      else if (view === "incident") await showIncident(arg);
      else if (view === "outlets") await showOutlets();
      else if (view === "outlet") await showOutlet(arg);
      else if (view === "check") showCheck();
      else if (view === "review") await showQueue();
    } catch (err) {
      showError(err);
    } finally {
      markReady();
    }
  }

  // ---------------------------------------------------------------------------------------
  // The overview: filters, map, timeline, list

  let overviewStarted = null;
  const loadPointsLatest = latestOnly();
  const loadListLatest = latestOnly();
  const loadTimelineLatest = latestOnly();

  function showOverview() {
    if (!overviewStarted) overviewStarted = startOverview();
    else {
      mapView.resize();
      timeline.resize();
    }
    return overviewStarted;
  }

  async function startOverview() {
    bindFilters();
    mapView.init($("#map"));
    timeline.init($("#timeline"));
    updateExports();
    const facets = facetsLoaded;
    const base = loadBasemap();
    const data = loadPointsAndList(true);
    const tl = loadTimeline();
    await Promise.allSettled([base, data, tl]);
    // Drawn now, not at the next frame: the page is ready when the map is on the canvas.
    mapView.render();
    timeline.render();
    facets.then(() => mapView.draw());
  }

  async function loadBasemap() {
    try {
      const doc = await api("/basemap.json");
      mapView.setBasemap(doc);
      $("#map").dataset.basemap = "loaded";
    } catch (err) {
      $("#map").dataset.basemap = "missing";
      const note = $("#map-note");
      note.textContent = "No base map: run `sitrep basemap build` and reload.";
      note.hidden = false;
    }
  }

  /** The map's points and the list's page, shown together so that the two always agree. */
  let dataGeneration = 0;
  async function loadPointsAndList(fit = false) {
    const generation = ++dataGeneration;
    const list = filterParams(true);
    list.set("limit", String(PAGE_SIZE));
    list.set("offset", String(state.offset));
    list.set("sort", state.sort);
    try {
      const [points, page] = await Promise.all([
        loadPointsLatest(withParams("/api/points", filterParams(true))),
        loadListLatest(withParams("/api/incidents", list)),
      ]);
      if (generation !== dataGeneration || !points) return;   // newer filters replaced these
      mapView.setPoints(points, fit);
      if (page) renderList(page);     // (else a page turn replaced it and shows its own)
    } catch (err) {
      showError(err);
    }
  }

  async function loadTimeline() {
    try {
      const data = await loadTimelineLatest(withParams("/api/timeline", filterParams(false)));
      if (!data) return;
      timeline.setDays(data.days || []);
    } catch (err) {
      showError(err);
    }
  }

  async function loadList() {
    const p = filterParams(true);
    p.set("limit", String(PAGE_SIZE));
    p.set("offset", String(state.offset));
    p.set("sort", state.sort);
    try {
      const data = await loadListLatest(withParams("/api/incidents", p));
      if (!data) return;
      renderList(data);
    } catch (err) {
      showError(err);
    }
  }

  let rangeTimer = 0;
  function setRange(range) {
    const same = (range === null && state.range === null) ||
      (range && state.range && range[0] === state.range[0] && range[1] === state.range[1]);
    state.range = range;
    const tl = $("#timeline");
    tl.dataset.range = range ? `${range[0]}..${range[1]}` : "";
    $("#range-label").textContent = range ? `${fmtDay(range[0])} – ${fmtDay(range[1])}` : "";
    $("#range-clear").hidden = !range;
    $("#timeline-hint").hidden = !!range;
    timeline.draw();
    updateExports();
    if (same) return;
    // A double-click is two clicks first: wait for the gesture to settle.
    clearTimeout(rangeTimer);
    rangeTimer = setTimeout(() => {
      state.offset = 0;
      loadPointsAndList(false);
    }, 120);
  }

  function readFilters() {
    state.filters = {
      place: $("#filter-place").value.trim(),
      actor: $("#filter-actor").value.trim(),
      event: $("#filter-event").value,
      subEvent: $("#filter-sub-event").value,
      disputed: $("#filter-disputed").checked,
      review: $("#filter-review").value,
    };
  }

  function applyFilters() {
    readFilters();
    state.offset = 0;
    updateExports();
    loadPointsAndList(true);
    loadTimeline();
  }

  function bindFilters() {
    $("#filters").addEventListener("submit", (e) => {
      e.preventDefault();
      applyFilters();
    });
    $("#filter-reset").addEventListener("click", () => {
      $("#filter-place").value = "";
      $("#filter-actor").value = "";
      $("#filter-event").value = "";
      $("#filter-sub-event").value = "";
      $("#filter-disputed").checked = false;
      $("#filter-review").value = "";
      state.range = null;
      setRange(null);
      clearTimeout(rangeTimer);
      applyFilters();
    });
    $("#range-clear").addEventListener("click", () => setRange(null));
    $("#page-prev").addEventListener("click", () => {
      if (state.offset === 0) return;
      state.offset = Math.max(0, state.offset - PAGE_SIZE);
      loadList();
    });
    $("#page-next").addEventListener("click", () => {
      if (state.offset + PAGE_SIZE >= state.total) return;
      state.offset += PAGE_SIZE;
      loadList();
    });
    for (const th of document.querySelectorAll("#incident-list th.sortable")) {
      th.addEventListener("click", () => {
        const key = th.dataset.sort;
        state.sort = state.sort === "-" + key ? key : "-" + key;
        state.offset = 0;
        loadList();
      });
    }
    const tbody = $("#incident-list tbody");
    tbody.addEventListener("click", (e) => {
      const tr = e.target.closest("tr[data-id]");
      if (tr) location.hash = "#/incident/" + tr.dataset.id;
    });
    tbody.addEventListener("keydown", (e) => {
      const tr = e.target.closest("tr[data-id]");
      if (tr && (e.key === "Enter" || e.key === " ")) {
        e.preventDefault();
        location.hash = "#/incident/" + tr.dataset.id;
      }
    });
    tbody.addEventListener("mouseover", (e) => {
      const tr = e.target.closest("tr[data-id]");
      mapView.highlight(tr ? Number(tr.dataset.id) : null);
    });
    tbody.addEventListener("mouseleave", () => mapView.highlight(null));
  }

  function updateExports() {
    for (const a of document.querySelectorAll("a.export")) {
      const p = filterParams(true);
      const q = new URLSearchParams([["format", a.dataset.format]]);
      for (const [k, v] of p) q.append(k, v);
      a.setAttribute("href", "/api/export?" + q.toString());
    }
  }

  function setFacets(f) {
    state.facets = f;
    state.countryNames = new Map((f.countries || []).map((c) => [c.code, c.name || c.code]));
    state.activeCountries = new Set((f.countries || []).map((c) => c.code));
    const select = $("#filter-event");
    const current = select.value;
    fill(select, el("option", { value: "" }, "All types"),
      ...(f.event_types || []).map((e) => el("option", { value: e.value }, `${eventLabel(e.value)} (${fmtInt(e.count)})`)));
    select.value = current;
    // ACLED's sub-event types present, grouped under ACLED's event types in the typology's order
    const subSelect = $("#filter-sub-event");
    const currentSub = subSelect.value;
    const counts = new Map((f.sub_event_types || []).map((e) => [e.value, e.count]));
    const groups = new Map();
    for (const s of TYPOLOGY.sub_event_types) {
      if (!counts.has(s.name)) continue;
      if (!groups.has(s.event_type)) groups.set(s.event_type, []);
      groups.get(s.event_type).push(el("option", { value: s.name }, `${s.name} (${fmtInt(counts.get(s.name))})`));
    }
    fill(subSelect, el("option", { value: "" }, "All ACLED types"),
      ...[...groups].map(([label, options]) => el("optgroup", { label }, options)));
    subSelect.value = currentSub;
    const places = [];
    for (const c of f.countries || []) places.push(c.name || c.code);
    for (const a of f.admin1 || []) if (a.name) places.push(a.name);
    $("#place-options").replaceChildren(...unique(places).slice(0, 400).map((p) => el("option", { value: p })));
    $("#actor-options").replaceChildren(...(f.actors || []).map((a) => el("option", { value: a.name })));
    const status = $("#status");
    const span = f.date_min && f.date_max ? ` · ${fmtDay(f.date_min)} – ${fmtDay(f.date_max)}` : "";
    status.textContent = `${fmtInt(f.total)} incidents in the database${span}`;
    mapView.setLegend((f.event_types || []).map((e) => e.value));
    if (state.lastList) renderList(state.lastList);   // country names are known now
  }

  function renderList(data) {
    state.lastList = data;
    state.total = data.total;
    $("#list-total").textContent = String(data.total);
    const items = data.items || [];
    $("#list-range").textContent = items.length
      ? `${fmtInt(data.offset + 1)}–${fmtInt(data.offset + items.length)} of ${fmtInt(data.total)}` : "";
    $("#incident-list tbody").replaceChildren(...items.map(listRow));
    $("#list-empty").hidden = items.length > 0;
    $("#page-prev").disabled = data.offset <= 0;
    $("#page-next").disabled = data.offset + items.length >= data.total;
    for (const th of document.querySelectorAll("#incident-list th.sortable")) {
      const key = th.dataset.sort;
      th.classList.toggle("sorted-asc", state.sort === key);
      th.classList.toggle("sorted-desc", state.sort === "-" + key);
    }
    const scroller = $(".list-scroll");
    if (scroller) scroller.scrollTop = 0;
  }

  function listRow(it) {
    const where = unique([it.place, it.admin1, countryName(it.country)].filter(Boolean));
    return el("tr", { dataset: { id: String(it.id) }, tabindex: "0" },
      el("td", { class: "nowrap" }, it.date || el("span", { class: "muted" }, "undated"),
        it.date_precision && it.date_precision !== "day"
          ? el("div", { class: "sub" }, it.date_precision === "range" && it.date_end ? "to " + it.date_end : it.date_precision)
          : null),
      el("td", { class: "what" },
        el("div", { class: "event" }, swatch(it.event_type), eventLabel(it.event_type),
          it.disputed ? el("span", { class: "badge flag-disputed" }, "disputed") : null,
          reviewBadge(it.review_status)),
        el("div", { class: "sub" }, where.length ? where.join(", ") : "unknown place")),
      el("td", { class: "perp" }, it.perpetrator || "unknown"),
      el("td", { class: "num killed" }, it.killed === null || it.killed === undefined ? el("span", { class: "muted" }, "–") : fmtInt(it.killed)),
      el("td", { class: "num" }, fmtInt(it.number_of_sources)));
  }

  // Sizes a view's canvas to its root's box, in device pixels. False when nothing changed, or
  // when the view is hidden: its last frame is kept.
  function sizeCanvas(view) {
    const r = view.root.getBoundingClientRect();
    if (r.width < 1 || r.height < 1) return false;
    const w = Math.round(r.width);
    const h = Math.round(r.height);
    const dpr = window.devicePixelRatio || 1;
    if (w === view.w && h === view.h && dpr === view.dpr) return false;
    view.w = w;
    view.h = h;
    view.dpr = dpr;
    view.canvas.width = Math.round(w * dpr);
    view.canvas.height = Math.round(h * dpr);
    view.canvas.style.width = w + "px";
    view.canvas.style.height = h + "px";
    return true;
  }

  // ---------------------------------------------------------------------------------------
  // The map: a canvas in Web Mercator, pan and zoom, markers clustered on a screen grid

  const mercX = (lon) => (lon + 180) / 360;
  function mercY(lat) {
    const phi = Math.max(-MAX_LAT, Math.min(MAX_LAT, lat)) * Math.PI / 180;
    return (1 - Math.log(Math.tan(Math.PI / 4 + phi / 2)) / Math.PI) / 2;
  }

  const mapView = {
    root: null, canvas: null, ctx: null, w: 0, h: 0, dpr: 1,
    view: { s: 512, tx: 0, ty: 0 },        // screen = world * s + t (world in [0, 1])
    base: null,                              // {countries, admin1}
    pts: null,                               // typed arrays of the current points
    types: [],                               // event type names; points store an index
    drawn: [],                               // what the last frame drew, for hit tests
    highlighted: null,
    scheduled: false,
    fitPending: false,

    init(root) {
      this.root = root;
      this.canvas = root.querySelector("canvas");
      this.ctx = this.canvas.getContext("2d");
      this.tooltip = $("#map-tooltip");
      this.popup = $("#map-popup");
      new ResizeObserver(() => this.resize()).observe(root);
      this.bindPointer();
      $("#zoom-in").addEventListener("click", () => this.zoomAt(this.w / 2, this.h / 2, 2));
      $("#zoom-out").addEventListener("click", () => this.zoomAt(this.w / 2, this.h / 2, 0.5));
      $("#zoom-fit").addEventListener("click", () => { this.fit(); this.draw(); });
      this.resize();
      this.setLegend(null);
      // On a narrow map the legend starts folded, so as not to hide the markers.
      if (this.w < 800) root.querySelector("details.legend").open = false;
    },

    resize() {
      const hadSize = this.w > 1 && this.h > 1;
      // Keep the centre where it was.
      const cx = hadSize ? (this.w / 2 - this.view.tx) / this.view.s : 0.5;
      const cy = hadSize ? (this.h / 2 - this.view.ty) / this.view.s : 0.5;
      if (!sizeCanvas(this)) return;
      if (this.fitPending || !hadSize) {
        this.fit();
      } else {
        this.view.tx = this.w / 2 - cx * this.view.s;
        this.view.ty = this.h / 2 - cy * this.view.s;
      }
      this.draw();
    },

    minScale() {
      return Math.max(this.w, this.h * 1.3, 256) * 0.9;
    },

    setBasemap(doc) {
      const prep = (f) => {
        const [w, s, e, n] = f.bbox;
        return { ...f, wb: [mercX(w), mercY(n), mercX(e), mercY(s)], path: null, label: null };
      };
      this.base = { countries: (doc.countries || []).map(prep), admin1: (doc.admin1 || []).map(prep) };
    },

    /** The feature's outline as a Path2D in world units, built on first use, and its label point. */
    path(f) {
      if (f.path) return f.path;
      const p = new Path2D();
      let bestArea = -1;
      for (const r of f.rings) {
        if (r.length < 6) continue;
        let x0 = Infinity; let y0 = Infinity; let x1 = -Infinity; let y1 = -Infinity;
        for (let i = 0; i < r.length; i += 2) {
          const x = mercX(r[i]);
          const y = mercY(r[i + 1]);
          if (i === 0) p.moveTo(x, y);
          else p.lineTo(x, y);
          if (x < x0) x0 = x;
          if (x > x1) x1 = x;
          if (y < y0) y0 = y;
          if (y > y1) y1 = y;
        }
        p.closePath();
        const area = (x1 - x0) * (y1 - y0);
        if (area > bestArea) {
          bestArea = area;
          f.label = [(x0 + x1) / 2, (y0 + y1) / 2, x1 - x0];
        }
      }
      f.path = p;
      return p;
    },

    setPoints(data, fit) {
      const fields = data.fields || ["id", "lat", "lon", "killed", "event_type", "date", "disputed"];
      const at = (name) => fields.indexOf(name);
      const [iId, iLat, iLon, iK, iT, iD, iX] = ["id", "lat", "lon", "killed", "event_type", "date", "disputed"].map(at);
      const rows = data.rows || [];
      const n = rows.length;
      const P = {
        n: 0, ids: new Float64Array(n), wx: new Float64Array(n), wy: new Float64Array(n),
        killed: new Float64Array(n), type: new Uint8Array(n), date: new Array(n), disputed: new Uint8Array(n),
        index: null,
      };
      const typeIndex = new Map(this.types.map((t, i) => [t, i]));
      for (const row of rows) {
        const lat = row[iLat];
        const lon = row[iLon];
        if (typeof lat !== "number" || typeof lon !== "number") continue;
        const k = P.n++;
        P.ids[k] = row[iId];
        P.wx[k] = mercX(lon);
        P.wy[k] = mercY(lat);
        const killed = row[iK];
        P.killed[k] = typeof killed === "number" ? killed : NaN;
        const t = row[iT] || "other";
        let ti = typeIndex.get(t);
        if (ti === undefined) {
          ti = Math.min(this.types.length, 255);
          if (ti === this.types.length) this.types.push(t);
          typeIndex.set(t, ti);
        }
        P.type[k] = ti;
        P.date[k] = row[iD];
        P.disputed[k] = row[iX] ? 1 : 0;
      }
      this.pts = P;
      this.root.dataset.markers = String(P.n);
      this.hidePopup();
      if (fit) {
        if (this.w > 1 && this.h > 1) this.fit();
        else this.fitPending = true;
      }
      this.draw();
    },

    indexOfId(id) {
      const P = this.pts;
      if (!P) return -1;
      if (!P.index) {
        P.index = new Map();
        for (let i = 0; i < P.n; i++) P.index.set(P.ids[i], i);
      }
      const i = P.index.get(id);
      return i === undefined ? -1 : i;
    },

    fit() {
      this.fitPending = false;
      const P = this.pts;
      let x0 = Infinity; let y0 = Infinity; let x1 = -Infinity; let y1 = -Infinity;
      if (P && P.n) {
        for (let i = 0; i < P.n; i++) {
          const x = P.wx[i];
          const y = P.wy[i];
          if (x < x0) x0 = x;
          if (x > x1) x1 = x;
          if (y < y0) y0 = y;
          if (y > y1) y1 = y;
        }
      } else {
        [x0, y0, x1, y1] = [mercX(-170), mercY(72), mercX(190), mercY(-56)];
      }
      const pad = 48;
      const w = Math.max(1, this.w - 2 * pad);
      const h = Math.max(1, this.h - 2 * pad);
      const dx = Math.max(x1 - x0, 1e-9);
      const dy = Math.max(y1 - y0, 1e-9);
      let s = Math.min(w / dx, h / dy);
      s = Math.max(this.minScale(), Math.min(FIT_MAX_SCALE, s));
      this.view.s = s;
      this.view.tx = this.w / 2 - ((x0 + x1) / 2) * s;
      this.view.ty = this.h / 2 - ((y0 + y1) / 2) * s;
      this.clampView();
    },

    clampView() {
      // Keep some of the world in view; no wrapping around the antimeridian.
      const v = this.view;
      const margin = Math.min(this.w, this.h) / 2;
      v.tx = Math.min(this.w - margin, Math.max(margin - v.s, v.tx));
      v.ty = Math.min(this.h - margin, Math.max(margin - v.s, v.ty));
    },

    zoomAt(x, y, factor) {
      const v = this.view;
      const s = Math.max(this.minScale(), Math.min(MAX_SCALE, v.s * factor));
      const k = s / v.s;
      v.tx = x - (x - v.tx) * k;
      v.ty = y - (y - v.ty) * k;
      v.s = s;
      this.clampView();
      this.hidePopup();
      this.draw();
    },

    draw() {
      if (this.scheduled || !this.ctx) return;
      this.scheduled = true;
      requestAnimationFrame(() => {
        this.scheduled = false;
        this.render();
      });
    },

    render() {
      const { ctx, w, h, dpr } = this;
      ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
      ctx.fillStyle = COLORS.water;
      ctx.fillRect(0, 0, w, h);
      if (this.base) this.renderBase();
      this.renderMarkers();
      ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
      this.renderScale();
    },

    renderBase() {
      const { ctx, w, h, dpr } = this;
      const { s, tx, ty } = this.view;
      const vx0 = -tx / s;
      const vy0 = -ty / s;
      const vx1 = (w - tx) / s;
      const vy1 = (h - ty) / s;
      const inView = (f) => f.wb[0] <= vx1 && f.wb[2] >= vx0 && f.wb[1] <= vy1 && f.wb[3] >= vy0;
      const countries = this.base.countries.filter(inView);
      const admin1 = s < ADMIN1_ACTIVE_SCALE ? []
        : this.base.admin1.filter((a) => inView(a) && (s >= ADMIN1_ALL_SCALE || state.activeCountries.has(a.country)));
      ctx.setTransform(dpr * s, 0, 0, dpr * s, dpr * tx, dpr * ty);
      for (const c of countries) {
        ctx.fillStyle = state.activeCountries.has(c.code) ? COLORS.landActive : COLORS.land;
        ctx.fill(this.path(c), "evenodd");
      }
      if (admin1.length) {
        ctx.lineWidth = 0.6 / s;
        ctx.strokeStyle = COLORS.admin1;
        for (const a of admin1) ctx.stroke(this.path(a));
      }
      ctx.lineWidth = (s > 20000 ? 1.1 : 0.8) / s;
      ctx.strokeStyle = COLORS.border;
      ctx.lineJoin = "round";
      for (const c of countries) ctx.stroke(this.path(c));
      ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
      this.renderLabels(countries, admin1);
    },

    renderLabels(countries, admin1) {
      const { ctx } = this;
      const { s, tx, ty } = this.view;
      const placed = [];
      const free = (x0, y0, x1, y1) => {
        for (const b of placed) if (x0 < b[2] && x1 > b[0] && y0 < b[3] && y1 > b[1]) return false;
        placed.push([x0, y0, x1, y1]);
        return true;
      };
      ctx.textAlign = "center";
      ctx.textBaseline = "middle";
      const draw = (items, font, colour, minWidth, upper) => {
        ctx.font = font;
        ctx.fillStyle = colour;
        ctx.strokeStyle = "rgba(255,255,255,0.8)";
        ctx.lineWidth = 3;
        const sized = items.filter((f) => f.label && f.label[2] * s >= minWidth)
          .sort((a, b) => b.label[2] - a.label[2]);
        for (const f of sized) {
          const text = upper ? f.name.toUpperCase() : f.name;
          const x = f.label[0] * s + tx;
          const y = f.label[1] * s + ty;
          const tw = ctx.measureText(text).width;
          if (tw > f.label[2] * s * 1.2) continue;
          if (!free(x - tw / 2 - 4, y - 8, x + tw / 2 + 4, y + 8)) continue;
          ctx.strokeText(text, x, y);
          ctx.fillText(text, x, y);
        }
      };
      draw(countries, "600 11px system-ui, sans-serif", COLORS.label, 60, true);
      if (admin1.length && s >= ADMIN1_ACTIVE_SCALE * 2) draw(admin1, "italic 11px system-ui, sans-serif", COLORS.adminLabel, 70, false);
    },

    renderScale() {
      // A scale bar at the centre's latitude: Mercator stretches by 1 / cos(latitude).
      const { ctx, w, h } = this;
      const { s, ty } = this.view;
      const wy = (h / 2 - ty) / s;
      const lat = Math.atan(Math.sinh(Math.PI * (1 - 2 * wy)));
      const metresPerPx = (40075016.686 * Math.cos(lat)) / s;
      const target = metresPerPx * 100;
      const pow = 10 ** Math.floor(Math.log10(target));
      const nice = [1, 2, 5, 10].map((k) => k * pow).filter((v) => v <= target).pop() || pow;
      const px = nice / metresPerPx;
      const label = nice >= 1000 ? `${nice / 1000} km` : `${nice} m`;
      const x = 12;
      const y = h - 14;
      ctx.fillStyle = "rgba(255,255,255,0.75)";
      ctx.fillRect(x - 4, y - 14, px + 8 + 40, 20);
      ctx.strokeStyle = "#4a4f57";
      ctx.lineWidth = 1.5;
      ctx.beginPath();
      ctx.moveTo(x, y - 5);
      ctx.lineTo(x, y);
      ctx.lineTo(x + px, y);
      ctx.lineTo(x + px, y - 5);
      ctx.stroke();
      ctx.fillStyle = "#3b4048";
      ctx.font = "11px system-ui, sans-serif";
      ctx.textAlign = "left";
      ctx.textBaseline = "alphabetic";
      ctx.fillText(label, x + px + 6, y);
    },

    radius(killed) {
      if (!(killed > 0)) return 4;
      return Math.min(30, 4 + 2.2 * Math.sqrt(killed));
    },

    renderMarkers() {
      const P = this.pts;
      this.drawn = [];
      let clusters = 0;
      if (!P) {
        this.root.dataset.clusters = "0";
        return;
      }
      const { ctx, w, h } = this;
      const { s, tx, ty } = this.view;
      const nt = Math.max(1, this.types.length);
      const cols = Math.ceil((w + 2 * CELL) / CELL);
      const rows = Math.ceil((h + 2 * CELL) / CELL);
      const nc = cols * rows;
      const count = new Int32Array(nc);
      const first = new Int32Array(nc);
      const sumX = new Float64Array(nc);
      const sumY = new Float64Array(nc);
      const sumK = new Float64Array(nc);
      const spanMin = new Float64Array(nc * 2).fill(Infinity);
      const spanMax = new Float64Array(nc * 2).fill(-Infinity);
      const typeCount = new Int32Array(nc * nt);
      const used = [];
      for (let i = 0; i < P.n; i++) {
        const x = P.wx[i] * s + tx;
        const y = P.wy[i] * s + ty;
        if (x < -CELL || y < -CELL || x >= w + CELL || y >= h + CELL) continue;
        const c = Math.floor((x + CELL) / CELL) + Math.floor((y + CELL) / CELL) * cols;
        if (count[c] === 0) {
          first[c] = i;
          used.push(c);
        }
        count[c]++;
        sumX[c] += x;
        sumY[c] += y;
        if (P.killed[i] > 0) sumK[c] += P.killed[i];
        typeCount[c * nt + P.type[i]]++;
        if (P.wx[i] < spanMin[2 * c]) spanMin[2 * c] = P.wx[i];
        if (P.wy[i] < spanMin[2 * c + 1]) spanMin[2 * c + 1] = P.wy[i];
        if (P.wx[i] > spanMax[2 * c]) spanMax[2 * c] = P.wx[i];
        if (P.wy[i] > spanMax[2 * c + 1]) spanMax[2 * c + 1] = P.wy[i];
      }
      // Symbols: a cell's lone point is a marker, several points a cluster. A cluster that
      // would overlap a bigger symbol joins it, so that clusters never hide one another.
      const symbols = used.map((c) => ({
        n: count[c], x: sumX[c] / count[c], y: sumY[c] / count[c], killed: sumK[c], cells: [c],
        i: count[c] === 1 ? first[c] : -1,
        types: typeCount.slice(c * nt, (c + 1) * nt),
        box: [spanMin[2 * c], spanMin[2 * c + 1], spanMax[2 * c], spanMax[2 * c + 1]],
      }));
      const radiusOf = (g) => (g.n === 1 ? this.radius(P.killed[g.i]) : Math.min(38, 12 + 2.6 * Math.log2(g.n)));
      symbols.sort((a, b) => b.n - a.n);
      const placed = [];
      for (const g of symbols) {
        const rg = radiusOf(g);
        let host = null;
        for (const p of placed) {
          if (p.n === 1 && g.n === 1) continue;
          const reach = (radiusOf(p) + rg) * 0.85;
          if ((p.x - g.x) ** 2 + (p.y - g.y) ** 2 < reach * reach) {
            host = p;
            break;
          }
        }
        if (!host) {
          placed.push(g);
          continue;
        }
        if (host.n === 1) host.types = host.types.slice();
        host.n += g.n;
        host.i = -1;
        host.killed += g.killed;
        host.cells.push(...g.cells);
        for (let t = 0; t < nt; t++) host.types[t] += g.types[t];
        host.box = [Math.min(host.box[0], g.box[0]), Math.min(host.box[1], g.box[1]),
          Math.max(host.box[2], g.box[2]), Math.max(host.box[3], g.box[3])];
      }
      const singles = placed.filter((g) => g.n === 1).map((g) => g.i);
      const groups = placed.filter((g) => g.n > 1);
      // Large markers first, so that small ones stay visible on top.
      singles.sort((a, b) => (P.killed[b] || 0) - (P.killed[a] || 0));
      ctx.setTransform(this.dpr, 0, 0, this.dpr, 0, 0);
      for (const i of singles) {
        const x = P.wx[i] * s + tx;
        const y = P.wy[i] * s + ty;
        const r = this.radius(P.killed[i]);
        ctx.beginPath();
        ctx.arc(x, y, r, 0, 2 * Math.PI);
        ctx.fillStyle = eventColor(this.types[P.type[i]]);
        ctx.globalAlpha = 0.82;
        ctx.fill();
        ctx.globalAlpha = 1;
        if (P.disputed[i]) {
          ctx.lineWidth = 2;
          ctx.strokeStyle = "#1d232b";
        } else {
          ctx.lineWidth = 1;
          ctx.strokeStyle = "#ffffff";
        }
        ctx.stroke();
        this.drawn.push({ kind: "marker", x, y, r: Math.max(r, 6), i });
      }
      groups.sort((a, b) => a.n - b.n);
      for (const g of groups) {
        const { n, x, y } = g;
        const r = radiusOf(g);
        // A ring split by event type around a white disc with the count.
        let start = -Math.PI / 2;
        ctx.lineWidth = 5;
        for (let t = 0; t < nt; t++) {
          const k = g.types[t];
          if (!k) continue;
          const end = start + (2 * Math.PI * k) / n;
          ctx.beginPath();
          ctx.arc(x, y, r - 2.5, start, end);
          ctx.strokeStyle = eventColor(this.types[t]);
          ctx.stroke();
          start = end;
        }
        ctx.beginPath();
        ctx.arc(x, y, r - 5, 0, 2 * Math.PI);
        ctx.fillStyle = "rgba(255,255,255,0.94)";
        ctx.fill();
        ctx.beginPath();
        ctx.arc(x, y, r, 0, 2 * Math.PI);
        ctx.lineWidth = 1;
        ctx.strokeStyle = "rgba(29,35,43,0.35)";
        ctx.stroke();
        ctx.fillStyle = "#1d232b";
        ctx.font = `600 ${n >= 1000 ? 11 : 12}px system-ui, sans-serif`;
        ctx.textAlign = "center";
        ctx.textBaseline = "middle";
        ctx.fillText(fmtShort(n), x, y + 0.5);
        clusters++;
        this.drawn.push({
          kind: "cluster", x, y, r, cells: new Set(g.cells), n, killed: g.killed, box: g.box,
          types: Array.from(g.types, (k, t) => [this.types[t], k]).filter((p) => p[1]),
          grid: { cols, s, tx, ty },
        });
      }
      if (this.highlighted !== null) {
        const i = this.indexOfId(this.highlighted);
        if (i >= 0) {
          const x = P.wx[i] * s + tx;
          const y = P.wy[i] * s + ty;
          ctx.beginPath();
          ctx.arc(x, y, this.radius(P.killed[i]) + 5, 0, 2 * Math.PI);
          ctx.lineWidth = 3;
          ctx.strokeStyle = "#1d232b";
          ctx.stroke();
          ctx.lineWidth = 1.5;
          ctx.strokeStyle = "#ffd24a";
          ctx.stroke();
        }
      }
      this.root.dataset.clusters = String(clusters);
    },

    hit(x, y) {
      for (let k = this.drawn.length - 1; k >= 0; k--) {
        const d = this.drawn[k];
        if (d.kind === "cluster" && (d.x - x) ** 2 + (d.y - y) ** 2 <= d.r * d.r) return d;
      }
      let best = null;
      let bestD = Infinity;
      for (const d of this.drawn) {
        if (d.kind !== "marker") continue;
        const dist = (d.x - x) ** 2 + (d.y - y) ** 2;
        if (dist <= d.r * d.r && dist < bestD) {
          best = d;
          bestD = dist;
        }
      }
      return best;
    },

    members(d) {
      const P = this.pts;
      const { cols, s, tx, ty } = d.grid;
      const out = [];
      for (let i = 0; i < P.n; i++) {
        const x = P.wx[i] * s + tx;
        const y = P.wy[i] * s + ty;
        const c = Math.floor((x + CELL) / CELL) + Math.floor((y + CELL) / CELL) * cols;
        if (d.cells.has(c) && x >= -CELL && y >= -CELL && x < this.w + CELL && y < this.h + CELL) out.push(i);
      }
      return out;
    },

    click(x, y) {
      const d = this.hit(x, y);
      this.hidePopup();
      if (!d) return;
      const P = this.pts;
      if (d.kind === "marker") {
        location.hash = "#/incident/" + P.ids[d.i];
        return;
      }
      const [x0, y0, x1, y1] = d.box;
      const spread = Math.max(x1 - x0, y1 - y0) * this.view.s;
      if (spread < 3 || this.view.s >= MAX_SCALE / 1.01) {
        this.showPopup(d);
        return;
      }
      // Zoom to the cluster's members, at least doubling.
      const pad = 60;
      const sFit = Math.min((this.w - 2 * pad) / Math.max(x1 - x0, 1e-12), (this.h - 2 * pad) / Math.max(y1 - y0, 1e-12));
      const s = Math.min(MAX_SCALE, Math.max(this.view.s * 2, sFit));
      this.view.s = s;
      this.view.tx = this.w / 2 - ((x0 + x1) / 2) * s;
      this.view.ty = this.h / 2 - ((y0 + y1) / 2) * s;
      this.clampView();
      this.draw();
    },

    showPopup(d) {
      const P = this.pts;
      const members = this.members(d).sort((a, b) => (P.date[b] || "").localeCompare(P.date[a] || ""));
      const shown = members.slice(0, 40);
      const popup = this.popup;
      fill(popup,
        el("div", { class: "popup-head" }, `${fmtInt(members.length)} incidents at this place`,
          el("button", { type: "button", class: "link-button", onclick: () => this.hidePopup() }, "Close")),
        el("ul", null, shown.map((i) => el("li", null, el("a", { href: "#/incident/" + P.ids[i] },
          swatch(this.types[P.type[i]]), `${P.date[i] || "undated"} · ${eventLabel(this.types[P.type[i]])}`,
          P.killed[i] >= 0 ? ` · ${fmtInt(P.killed[i])} killed` : "")))),
        members.length > shown.length ? el("div", { class: "muted" }, `and ${fmtInt(members.length - shown.length)} more: narrow the filters or the period`) : null);
      popup.hidden = false;
      const left = Math.min(this.w - 300, Math.max(8, d.x + d.r + 6));
      const top = Math.min(this.h - 260, Math.max(8, d.y - 20));
      popup.style.left = left + "px";
      popup.style.top = top + "px";
    },

    hidePopup() {
      if (this.popup) this.popup.hidden = true;
    },

    hover(x, y) {
      const d = this.hit(x, y);
      const tip = this.tooltip;
      this.canvas.classList.toggle("pointer", !!d);
      if (!d) {
        tip.hidden = true;
        return;
      }
      const P = this.pts;
      if (d.kind === "marker") {
        const i = d.i;
        const killed = P.killed[i];
        fill(tip,
          el("div", { class: "tip-title" }, swatch(this.types[P.type[i]]), eventLabel(this.types[P.type[i]])),
          el("div", null, P.date[i] || "undated"),
          el("div", null, killed >= 0 ? `${fmtInt(killed)} killed` : "killed: no figure"),
          P.disputed[i] ? el("div", { class: "tip-flag" }, "disputed") : null,
          el("div", { class: "muted" }, "Click to open"));
      } else {
        fill(tip,
          el("div", { class: "tip-title" }, `${fmtInt(d.n)} incidents`),
          el("div", null, `${fmtInt(d.killed)} killed`),
          el("div", { class: "tip-types" }, d.types.sort((a, b) => b[1] - a[1]).slice(0, 4)
            .map(([t, k]) => el("div", null, swatch(t), `${eventLabel(t)}: ${fmtInt(k)}`))),
          el("div", { class: "muted" }, "Click to zoom in"));
      }
      tip.hidden = false;
      const tw = tip.offsetWidth;
      const th = tip.offsetHeight;
      let left = x + 14;
      let top = y + 14;
      if (left + tw > this.w - 4) left = x - tw - 14;
      if (top + th > this.h - 4) top = y - th - 14;
      tip.style.left = Math.max(4, left) + "px";
      tip.style.top = Math.max(4, top) + "px";
    },

    highlight(id) {
      if (this.highlighted === id) return;
      this.highlighted = id;
      this.draw();
    },

    bindPointer() {
      const c = this.canvas;
      let down = null;
      const pos = (e) => {
        const r = c.getBoundingClientRect();
        return [e.clientX - r.left, e.clientY - r.top];
      };
      c.addEventListener("pointerdown", (e) => {
        if (e.button !== 0) return;
        const [x, y] = pos(e);
        down = { x, y, tx: this.view.tx, ty: this.view.ty, moved: false };
        c.setPointerCapture(e.pointerId);
      });
      c.addEventListener("pointermove", (e) => {
        const [x, y] = pos(e);
        if (down) {
          if (!down.moved && Math.hypot(x - down.x, y - down.y) > 3) {
            down.moved = true;
            c.classList.add("dragging");
            this.tooltip.hidden = true;
            this.hidePopup();
          }
          if (down.moved) {
            this.view.tx = down.tx + (x - down.x);
            this.view.ty = down.ty + (y - down.y);
            this.clampView();
            this.draw();
          }
          return;
        }
        this.hover(x, y);
      });
      const end = (e) => {
        if (!down) return;
        const [x, y] = pos(e);
        const wasClick = !down.moved && e.type === "pointerup";
        down = null;
        c.classList.remove("dragging");
        if (wasClick) this.click(x, y);
      };
      c.addEventListener("pointerup", end);
      c.addEventListener("pointercancel", end);
      c.addEventListener("pointerleave", () => {
        if (!down) this.tooltip.hidden = true;
      });
      c.addEventListener("wheel", (e) => {
        e.preventDefault();
        const [x, y] = pos(e);
        const unit = e.deltaMode === 1 ? 16 : e.deltaMode === 2 ? 400 : 1;
        this.tooltip.hidden = true;
        this.zoomAt(x, y, Math.exp(-e.deltaY * unit * 0.0016));
      }, { passive: false });
      c.addEventListener("dblclick", (e) => {
        const [x, y] = pos(e);
        if (!this.hit(x, y)) this.zoomAt(x, y, 2);
      });
    },

    setLegend(types) {
      const legend = $("#legend");
      const present = types && types.length ? types : EVENT_TYPES.map((t) => t[0]);
      const order = EVENT_TYPES.map((t) => t[0]);
      const sorted = [...present].sort((a, b) => {
        const ia = order.indexOf(a);
        const ib = order.indexOf(b);
        return (ia < 0 ? 99 : ia) - (ib < 0 ? 99 : ib);
      });
      const sizes = [1, 10, 50].map((k) => {
        const d = el("span", { class: "size-dot" });
        const r = this.radius(k);
        d.style.width = d.style.height = 2 * r + "px";
        return el("span", { class: "size-item" }, d, fmtInt(k));
      });
      fill(legend,
        el("div", { class: "legend-title" }, "Event type"),
        el("div", { class: "legend-types" }, sorted.map((t) => el("div", { class: "legend-item" }, swatch(t), eventLabel(t)))),
        el("div", { class: "legend-title" }, "Killed"),
        el("div", { class: "legend-row" }, el("div", { class: "legend-sizes" }, sizes),
          el("div", null,
            el("div", { class: "legend-item" }, el("span", { class: "swatch disputed" }), "disputed"),
            el("div", { class: "legend-item" }, el("span", { class: "swatch cluster" }), "cluster: click to zoom"))));
    },
  };

  // ---------------------------------------------------------------------------------------
  // The timeline: incidents per day (week, month on long spans) and deaths; drag to brush

  const timeline = {
    root: null, canvas: null, ctx: null, w: 0, h: 0, dpr: 1,
    bins: [], unit: "day", d0: 0, d1: 0, drag: null,
    pad: { l: 44, r: 48, t: 14, b: 24 },

    init(root) {
      this.root = root;
      this.canvas = root.querySelector("canvas");
      this.ctx = this.canvas.getContext("2d");
      this.tooltip = $("#timeline-tooltip");
      new ResizeObserver(() => this.resize()).observe(root);
      this.bind();
      this.resize();
    },

    resize() {
      if (sizeCanvas(this)) this.draw();
    },

    binStart(d) {
      if (this.unit === "day") return d;
      if (this.unit === "week") return d - ((d + 3) % 7);   // Mondays (1970-01-01 was a Thursday)
      const date = new Date(d * DAY_MS);
      return Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), 1) / DAY_MS;
    },

    nextBin(start) {
      if (this.unit === "day") return start + 1;
      if (this.unit === "week") return start + 7;
      const date = new Date(start * DAY_MS);
      return Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 1) / DAY_MS;
    },

    setDays(days) {
      const parsed = days.map(([d, n, k]) => [dayNum(d), n, k]).filter((x) => x[0] !== null);
      this.bins = [];
      if (!parsed.length) {
        $("#timeline-unit").textContent = "";
        this.draw();
        return;
      }
      this.d0 = parsed[0][0];
      this.d1 = parsed[parsed.length - 1][0];
      const span = this.d1 - this.d0 + 1;
      this.unit = span <= 150 ? "day" : span <= 3 * 366 ? "week" : "month";
      $("#timeline-unit").textContent = `per ${this.unit}`;
      const bins = [];
      let k = 0;
      for (let start = this.binStart(this.d0); start <= this.d1; start = this.nextBin(start)) {
        const bin = { start, end: this.nextBin(start), n: 0, killed: 0 };
        while (k < parsed.length && parsed[k][0] < bin.end) {
          bin.n += parsed[k][1];
          bin.killed += parsed[k][2] || 0;
          k++;
        }
        bins.push(bin);
      }
      this.bins = bins;
      this.draw();
    },

    domain() {
      return [this.bins[0].start, this.bins[this.bins.length - 1].end];
    },

    x(day) {
      const [a, b] = this.domain();
      return this.pad.l + ((day - a) / (b - a)) * (this.w - this.pad.l - this.pad.r);
    },

    dayAt(x) {
      const [a, b] = this.domain();
      const t = (x - this.pad.l) / (this.w - this.pad.l - this.pad.r);
      return Math.max(a, Math.min(b - 1, Math.floor(a + t * (b - a))));
    },

    binAt(x) {
      if (!this.bins.length) return -1;
      const d = this.dayAt(x);
      for (let i = 0; i < this.bins.length; i++) if (d >= this.bins[i].start && d < this.bins[i].end) return i;
      return -1;
    },

    /** The range of whole bins between two x positions, within the data's days. */
    rangeBetween(xa, xb) {
      const a = this.bins[this.binAt(Math.min(xa, xb))];
      const b = this.bins[this.binAt(Math.max(xa, xb))];
      if (!a || !b) return null;
      const since = Math.max(a.start, this.d0);
      const until = Math.min(b.end - 1, this.d1);
      return [dayStr(since), dayStr(Math.max(since, until))];
    },

    draw() {
      if (!this.ctx || this.scheduled) return;
      this.scheduled = true;
      requestAnimationFrame(() => {
        this.scheduled = false;
        this.render();
      });
    },

    render() {
      const { ctx, w, h, dpr, pad } = this;
      ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
      ctx.clearRect(0, 0, w, h);
      ctx.font = "11px system-ui, sans-serif";
      if (!this.bins.length) {
        ctx.fillStyle = "#8a8f98";
        ctx.textAlign = "center";
        ctx.textBaseline = "middle";
        ctx.fillText("No dated incident matches these filters.", w / 2, h / 2);
        return;
      }
      const plotH = h - pad.t - pad.b;
      const base = h - pad.b;
      const maxN = Math.max(1, ...this.bins.map((b) => b.n));
      const maxK = Math.max(1, ...this.bins.map((b) => b.killed));
      const yN = (v) => base - (v / niceMax(maxN)) * plotH;
      const yK = (v) => base - (v / niceMax(maxK)) * plotH;
      // Grid and axes.
      ctx.strokeStyle = "#eceef1";
      ctx.lineWidth = 1;
      ctx.textBaseline = "middle";
      for (const f of [0, 0.5, 1]) {
        const y = Math.round(base - f * plotH) + 0.5;
        ctx.beginPath();
        ctx.moveTo(pad.l, y);
        ctx.lineTo(w - pad.r, y);
        ctx.stroke();
        ctx.fillStyle = "#5b6270";
        ctx.textAlign = "right";
        ctx.fillText(fmtShort(Math.round(f * niceMax(maxN))), pad.l - 6, y);
        ctx.fillStyle = "#b03a2e";
        ctx.textAlign = "left";
        ctx.fillText(fmtShort(Math.round(f * niceMax(maxK))), w - pad.r + 6, y);
      }
      const range = state.range ? [dayNum(state.range[0]), dayNum(state.range[1])] : null;
      // Bars: incidents.
      for (const b of this.bins) {
        const x0 = this.x(b.start);
        const x1 = this.x(b.end);
        const bw = Math.max(1, x1 - x0 - (x1 - x0 > 4 ? 1 : 0));
        const inside = !range || (b.end - 1 >= range[0] && b.start <= range[1]);
        ctx.fillStyle = inside ? "#4f6d8f" : "#c9d2dc";
        if (b.n > 0) ctx.fillRect(x0, yN(b.n), bw, base - yN(b.n));
      }
      // Line: deaths.
      ctx.beginPath();
      this.bins.forEach((b, i) => {
        const x = (this.x(b.start) + this.x(b.end)) / 2;
        const y = yK(b.killed);
        if (i === 0) ctx.moveTo(x, y);
        else ctx.lineTo(x, y);
      });
      ctx.strokeStyle = "#c0392b";
      ctx.lineWidth = 1.5;
      ctx.lineJoin = "round";
      ctx.stroke();
      if (this.bins.length <= 60) {
        ctx.fillStyle = "#c0392b";
        for (const b of this.bins) {
          ctx.beginPath();
          ctx.arc((this.x(b.start) + this.x(b.end)) / 2, yK(b.killed), 2, 0, 2 * Math.PI);
          ctx.fill();
        }
      }
      // Baseline and date ticks.
      ctx.strokeStyle = "#9aa1ab";
      ctx.beginPath();
      ctx.moveTo(pad.l, base + 0.5);
      ctx.lineTo(w - pad.r, base + 0.5);
      ctx.stroke();
      this.renderTicks(base);
      // The brush.
      const brush = this.drag && this.drag.moved ? this.rangeBetween(this.drag.x0, this.drag.x1) : state.range;
      if (brush) {
        const x0 = this.x(Math.max(dayNum(brush[0]), this.domain()[0]));
        const x1 = this.x(Math.min(dayNum(brush[1]) + 1, this.domain()[1]));
        ctx.fillStyle = "rgba(47, 93, 138, 0.12)";
        ctx.fillRect(x0, pad.t - 6, x1 - x0, plotH + 6);
        ctx.strokeStyle = "#2f5d8a";
        ctx.lineWidth = 1.5;
        for (const x of [x0, x1]) {
          ctx.beginPath();
          ctx.moveTo(Math.round(x) + 0.5, pad.t - 6);
          ctx.lineTo(Math.round(x) + 0.5, base);
          ctx.stroke();
        }
      }
      // Legend.
      ctx.textAlign = "left";
      ctx.textBaseline = "middle";
      ctx.fillStyle = "#4f6d8f";
      ctx.fillRect(pad.l + 6, 4, 9, 8);
      ctx.fillStyle = "#3b4048";
      ctx.fillText("incidents", pad.l + 19, 8);
      ctx.strokeStyle = "#c0392b";
      ctx.lineWidth = 1.5;
      ctx.beginPath();
      ctx.moveTo(pad.l + 80, 8);
      ctx.lineTo(pad.l + 94, 8);
      ctx.stroke();
      ctx.fillText("killed", pad.l + 98, 8);
    },

    renderTicks(base) {
      const { ctx } = this;
      const [a, b] = this.domain();
      const pxPerDay = (this.w - this.pad.l - this.pad.r) / (b - a);
      const steps = [[1, "day"], [7, "week"], [1, "month"], [3, "month"], [6, "month"], [1, "year"], [2, "year"], [5, "year"], [10, "year"]];
      const approx = { day: 1, week: 1, month: 30.4, year: 365.25 };
      const [k, unit] = steps.find(([n, u]) => n * approx[u] * pxPerDay >= 72) || [10, "year"];
      const ticks = [];
      let d = new Date(a * DAY_MS);
      if (unit === "year") d = new Date(Date.UTC(Math.ceil(d.getUTCFullYear() / k) * k, 0, 1));
      else if (unit === "month") d = new Date(Date.UTC(d.getUTCFullYear(), Math.ceil(d.getUTCMonth() / k) * k, 1));
      while (d.getTime() / DAY_MS < b) {
        const day = d.getTime() / DAY_MS;
        if (day >= a) ticks.push(d);
        if (unit === "day") d = new Date(d.getTime() + k * DAY_MS);
        else if (unit === "week") d = new Date(d.getTime() + 7 * DAY_MS);
        else if (unit === "month") d = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + k, 1));
        else d = new Date(Date.UTC(d.getUTCFullYear() + k, 0, 1));
      }
      ctx.fillStyle = "#5b6270";
      ctx.strokeStyle = "#9aa1ab";
      ctx.textAlign = "center";
      ctx.textBaseline = "top";
      for (const t of ticks) {
        const x = Math.round(this.x(t.getTime() / DAY_MS)) + 0.5;
        ctx.beginPath();
        ctx.moveTo(x, base);
        ctx.lineTo(x, base + 4);
        ctx.stroke();
        const label = unit === "year" ? String(t.getUTCFullYear())
          : unit === "month" ? `${MONTHS[t.getUTCMonth()]} ${t.getUTCFullYear()}`
            : `${t.getUTCDate()} ${MONTHS[t.getUTCMonth()]}`;
        ctx.fillText(label, x, base + 6);
      }
    },

    bind() {
      const c = this.canvas;
      const pos = (e) => {
        const r = c.getBoundingClientRect();
        return e.clientX - r.left;
      };
      c.addEventListener("pointerdown", (e) => {
        if (e.button !== 0 || !this.bins.length) return;
        const x = pos(e);
        this.drag = { x0: x, x1: x, moved: false };
        c.setPointerCapture(e.pointerId);
      });
      c.addEventListener("pointermove", (e) => {
        const x = pos(e);
        if (this.drag) {
          this.drag.x1 = x;
          if (Math.abs(x - this.drag.x0) > 3) this.drag.moved = true;
          this.tooltip.hidden = true;
          this.draw();
          return;
        }
        this.hover(x, e);
      });
      c.addEventListener("pointerup", (e) => {
        if (!this.drag) return;
        const drag = this.drag;
        drag.x1 = pos(e);
        this.drag = null;
        // A click (no drag) picks the bar under the pointer.
        setRange(this.rangeBetween(drag.x0, drag.moved ? drag.x1 : drag.x0));
      });
      c.addEventListener("pointercancel", () => {
        this.drag = null;
        this.draw();
      });
      c.addEventListener("pointerleave", () => { this.tooltip.hidden = true; });
      c.addEventListener("dblclick", () => setRange(null));
    },

    hover(x) {
      const i = this.binAt(x);
      const tip = this.tooltip;
      if (i < 0 || x < this.pad.l || x > this.w - this.pad.r) {
        tip.hidden = true;
        return;
      }
      const b = this.bins[i];
      const start = dayStr(b.start);
      const label = this.unit === "day" ? fmtDay(start)
        : this.unit === "week" ? "week of " + fmtDay(start)
          : `${MONTHS[new Date(b.start * DAY_MS).getUTCMonth()]} ${new Date(b.start * DAY_MS).getUTCFullYear()}`;
      fill(tip, el("div", { class: "tip-title" }, label),
        el("div", null, `${fmtInt(b.n)} incident${b.n === 1 ? "" : "s"}`),
        el("div", null, `${fmtInt(b.killed)} killed`));
      tip.hidden = false;
      const panel = this.root.parentElement.getBoundingClientRect();
      const r = this.root.getBoundingClientRect();
      const left = Math.min(r.left - panel.left + x + 12, panel.width - tip.offsetWidth - 6);
      tip.style.left = Math.max(4, left) + "px";
      tip.style.top = (r.top - panel.top + 8) + "px";
    },
  };

  /** A round axis maximum whose half is round too. */
  function niceMax(v) {
    if (v <= 2) return 2;
    const pow = 10 ** Math.floor(Math.log10(v));
    for (const k of [1, 2, 3, 4, 5, 6, 8, 10]) if (k * pow >= v && (k * pow) % 2 === 0) return k * pow;
    return 10 * pow;
  }

  // ---------------------------------------------------------------------------------------
  // One incident: claims side by side, the reconciled figures, the articles with evidence

  async function showIncident(id) {
    const root = $("#incident");
    root.replaceChildren();
    $("#view-incident").classList.add("loading");
    let d;
    try {
      d = await api("/api/incidents/" + encodeURIComponent(id));
    } catch (err) {
      fill(root, backLink("#/", "All incidents"),
        el("h1", null, err.status === 404 ? `No incident ${id}` : "The incident could not be loaded"),
        el("p", { class: "muted" }, err.message));
      return;
    } finally {
      $("#view-incident").classList.remove("loading");
    }
    await facetsLoaded;
    if (parseRoute()[1] !== String(id)) return;   // the reader has moved on
    const inc = d.incident;
    const rec = d.reconciled || {};
    const claims = rec.claims || [];
    fill(root,
      backLink("#/", "All incidents"),
      el("header", { class: "incident-head" },
        el("div", { class: "eyebrow" }, swatch(inc.event_type), eventLabel(inc.event_type), el("span", { class: "muted" }, "\u00a0· incident " + inc.id)),
        el("h1", null, `${eventLabel(inc.event_type)} in ${placeText(inc)}`, " ", reviewBadge(inc.review_status)),
        el("div", { class: "incident-sub" }, dateText(inc),
          inc.date_precision && inc.date_precision !== "day" ? el("span", { class: "muted" }, ` (date known to the ${inc.date_precision})`) : null,
          el("span", { class: "flags" }, flagBadges(inc.flags)))),
      el("div", { class: "incident-grid" },
        reconciledCard(inc, rec),
        factsCard(inc, rec, d.articles || [])),
      reviewCard(inc, rec, d.articles || []),
      el("section", { class: "card" },
        el("h2", null, `Claims (${claims.length})`),
        el("p", { class: "muted small" }, "One column per claim: who said it, in which article. Figures are best (low–high); a superseded claim was replaced by a later figure of the same source. Hover a column to find its evidence in the articles."),
        el("div", { class: "table-scroll" }, claimsTable(rec))),
      el("section", { class: "articles" },
        el("h2", null, `Articles (${(d.articles || []).length})`),
        (d.articles || []).map((a) => articleBlock(a, claims))));
    bindClaimFocus(root);
    for (const box of root.querySelectorAll(".article-text")) revealFirstMark(box);
  }

  /** Long texts sit in a scrolling box, opened at their first evidence; a button shows all. */
  function revealFirstMark(box) {
    if (box.scrollHeight <= box.clientHeight + 4) {
      box.classList.add("short");
      return;
    }
    const mark = box.querySelector("mark.evidence");
    if (mark) box.scrollTop = Math.max(0, mark.offsetTop - box.offsetTop - 40);
    const toggle = el("button", { type: "button", class: "link-button expand" }, "Show the whole text");
    toggle.addEventListener("click", () => {
      const open = box.classList.toggle("expanded");
      toggle.textContent = open ? "Show less" : "Show the whole text";
    });
    box.after(toggle);
  }

  function backLink(href, text) {
    return el("a", { class: "back", href }, "← " + text);
  }

  function estimateRows(estimates) {
    return CATEGORIES.filter((k) => estimates && estimates[k]).map((k) => {
      const e = estimates[k];
      return el("tr", null, el("th", null, k),
        el("td", { class: "num" }, fmtInt(e.low)), el("td", { class: "num best" }, fmtInt(e.best)),
        el("td", { class: "num" }, fmtInt(e.high)), el("td", { class: "muted" }, e.best_source || ""));
    });
  }

  function reconciledCard(inc, rec) {
    const killed = rec.killed || {};
    const injured = rec.injured || {};
    const flagList = (inc.flags || []).map((f) => el("li", null, el("b", null, (FLAGS[f] || [f])[0]), ": ", (FLAGS[f] || ["", ""])[1]));
    return el("section", { id: "reconciled", class: "card reconciled" },
      el("h2", null, "Reconciled figures"),
      el("div", { class: "big-figures" },
        el("div", { class: "big" }, el("div", { class: "big-num" }, fmtInt(inc.killed)), el("div", { class: "big-label" }, "killed (best)"),
          inc.killed_low !== null && inc.killed_low !== undefined && inc.killed_low !== inc.killed
            ? el("div", { class: "muted small" }, `conservative: ${fmtInt(inc.killed_low)}`) : null),
        el("div", { class: "big" }, el("div", { class: "big-num" }, fmtInt(inc.injured)), el("div", { class: "big-label" }, "injured (best)")),
        el("div", { class: "big" }, el("div", { class: "big-num" }, fmtInt(inc.number_of_sources)), el("div", { class: "big-label" }, "independent sources"))),
      Object.keys(killed).length || Object.keys(injured).length
        ? el("table", { class: "table compact estimates" },
          el("thead", null, el("tr", null, el("th", null, ""), el("th", { class: "num" }, "low"), el("th", { class: "num" }, "best"), el("th", { class: "num" }, "high"), el("th", null, "best from"))),
          Object.keys(killed).length ? el("tbody", null, el("tr", { class: "group" }, el("td", { colspan: "5" }, "Killed")), estimateRows(killed)) : null,
          Object.keys(injured).length ? el("tbody", null, el("tr", { class: "group" }, el("td", { colspan: "5" }, "Injured")), estimateRows(injured)) : null)
        : el("p", { class: "muted" }, "No source gives a figure."),
      flagList.length ? el("ul", { class: "flag-list" }, flagList) : el("p", { class: "muted small" }, "No flags: the sources agree."));
  }

  function factsCard(inc, rec, articles) {
    const loc = rec.location || {};
    const perps = rec.perpetrators || [];
    const coords = typeof inc.lat === "number" && typeof inc.lon === "number" ? `${inc.lat.toFixed(4)}, ${inc.lon.toFixed(4)}` : "none";
    const wire = rec.wire_groups || [];
    return el("section", { class: "card facts" },
      el("h2", null, "The act"),
      el("dl", { class: "facts-list" },
        el("dt", null, "Event"), el("dd", null, eventLabel(inc.event_type), rec.target ? el("span", { class: "muted" }, ` · target: ${rec.target}`) : null),
        el("dt", null, "ACLED"), el("dd", null, rec.sub_event_type
          ? [`${rec.acled_event_type} / ${rec.sub_event_type}`, el("span", { class: "muted" }, ` · ${rec.disorder_type}`)]
          : el("span", { class: "muted" }, "not coded")),
        el("dt", null, "Date"), el("dd", null, dateText(inc), el("span", { class: "muted" }, ` · precision: ${inc.date_precision || "unknown"}`)),
        el("dt", null, "Place"), el("dd", null, placeText(inc), el("span", { class: "muted" }, ` · precision: ${inc.place_precision || loc.precision || "unknown"} · ${coords}`)),
        el("dt", null, "Perpetrator"), el("dd", null, perps.length
          ? el("ul", { class: "plain" }, perps.map((p) => el("li", null, p.actor, el("span", { class: "muted" },
            ` · named by ${p.number_of_sources} independent source${p.number_of_sources === 1 ? "" : "s"}${p.outlets && p.outlets.length ? " (" + p.outlets.join(", ") + ")" : ""}`))))
          : "unknown"),
        el("dt", null, "Reports"), el("dd", null, `${fmtInt(inc.n_reports)} article${inc.n_reports === 1 ? "" : "s"} from ${fmtInt((inc.outlets || []).length)} outlet${(inc.outlets || []).length === 1 ? "" : "s"}`,
          inc.outlets && inc.outlets.length ? el("div", { class: "muted" }, inc.outlets.join(", ")) : null),
        el("dt", null, "Wire copies"), el("dd", null, wire.length
          ? wire.map((g, i) => el("div", null, `group ${i + 1}: ${g.map((aid) => articleTitle(articles, aid)).join(" · ")}`))
          : el("span", { class: "muted" }, "none"))));
  }

  function articleTitle(articles, articleId) {
    const a = articles.find((x) => x.article_id === articleId);
    return a ? `${a.outlet || "unknown outlet"}: ${a.title || a.article_id}` : String(articleId);
  }

  function claimPerpetrators(rec, claim) {
    const names = (rec.perpetrators || []).filter((p) => (p.article_ids || []).includes(claim.article_id)).map((p) => p.actor);
    return names.length ? names.join("; ") : "unknown";
  }

  function claimsTable(rec) {
    const claims = rec.claims || [];
    const cats = (key) => CATEGORIES.filter((k) => claims.some((c) => c[key] && c[key][k]));
    const killedCats = cats("killed");
    const injuredCats = cats("injured");
    const head = el("tr", null, el("th", { class: "rowhead" }, ""), claims.map((c, i) => el("th", {
      class: "claim-col" + (c.superseded ? " superseded" : "") + (c.denial ? " denial" : ""), dataset: { claim: String(i) },
    },
    el("div", { class: "claim-source" }, c.source),
    el("div", { class: "claim-kind" }, el("span", { class: "badge kind" }, KIND_LABEL[c.kind] || c.kind || "other"),
      c.superseded ? el("span", { class: "badge superseded" }, "superseded") : null,
      ((rec.review || {}).wrong_claims || []).includes(i) ? el("span", { class: "badge flag-denial" }, "marked wrong") : null),
    el("div", { class: "muted small" }, [c.outlet, c.published].filter(Boolean).join(" · ")))));
    const row = (label, cells, cls) => el("tr", { class: cls || null }, el("th", { class: "rowhead" }, label),
      cells.map((cell, i) => el("td", { dataset: { claim: String(i) }, class: claims[i].superseded ? "superseded" : null }, cell)));
    const body = [];
    if (killedCats.length) {
      body.push(el("tr", { class: "group" }, el("td", { colspan: String(claims.length + 1) }, "Killed")));
      for (const k of killedCats) body.push(row(k, claims.map((c) => countCell((c.killed || {})[k]))));
    }
    if (injuredCats.length) {
      body.push(el("tr", { class: "group" }, el("td", { colspan: String(claims.length + 1) }, "Injured")));
      for (const k of injuredCats) body.push(row(k, claims.map((c) => countCell((c.injured || {})[k]))));
    }
    if (!killedCats.length && !injuredCats.length) {
      body.push(row("figures", claims.map(() => el("span", { class: "muted" }, "none"))));
    }
    body.push(el("tr", { class: "group" }, el("td", { colspan: String(claims.length + 1) }, "Attribution")));
    body.push(row("perpetrator", claims.map((c) => claimPerpetrators(rec, c))));
    body.push(row("denial", claims.map((c) => c.denial ? el("span", { class: "badge flag-denial" }, "denies the act") : el("span", { class: "muted" }, "no"))));
    body.push(row("evidence", claims.map((c) => el("div", { class: "quote-list" },
      (c.evidence || []).map((q) => el("blockquote", { class: "quote" }, q))))));
    return el("table", { id: "claims", class: "table claims" }, el("thead", null, head), el("tbody", null, body));
  }

  function articleBlock(a, claims) {
    const spans = (a.highlights || []).map((h) => ({
      start: h.start, end: h.end, claim: h.claim, denial: !!h.denial,
      label: `claim ${Number(h.claim) + 1}: ${h.source || (claims[h.claim] || {}).source || "?"}${h.denial ? " (denial)" : ""}`,
    }));
    return el("article", { class: "article", dataset: { pk: String(a.pk) } },
      el("header", { class: "article-head" },
        el("h3", null, a.title || a.article_id || "untitled"),
        el("div", { class: "article-meta" },
          el("span", { class: "outlet" }, a.outlet || "unknown outlet"),
          " · ", a.published || "undated", " · ", el("span", { class: "muted" }, "id " + a.article_id),
          a.wire_group !== null && a.wire_group !== undefined ? el("span", { class: "badge wire" }, `wire copy, group ${Number(a.wire_group) + 1}`) : null,
          el("span", { class: "muted" }, ` · ${spans.length} evidence span${spans.length === 1 ? "" : "s"}`))),
      el("div", { class: "article-text" }, highlighted(a.text || "", spans)));
  }

  function bindClaimFocus(root) {
    const table = $("#claims", root);
    if (!table) return;
    let current = null;
    const focus = (i) => {
      if (i === current) return;
      current = i;
      for (const m of root.querySelectorAll("mark.evidence")) {
        m.classList.toggle("focus", i !== null && m.dataset.claims.split(" ").includes(i));
      }
      for (const c of table.querySelectorAll("[data-claim]")) c.classList.toggle("focus", i !== null && c.dataset.claim === i);
    };
    table.addEventListener("mouseover", (e) => {
      const cell = e.target.closest("[data-claim]");
      focus(cell ? cell.dataset.claim : null);
    });
    table.addEventListener("mouseleave", () => focus(null));
  }

  // ---------------------------------------------------------------------------------------
  // Outlets

  async function showOutlets() {
    const tbody = $("#outlets tbody");
    const d = await api("/api/outlets");
    const items = d.items || [];
    fill(tbody, ...items.map((o) => {
      const pct = o.agreement === null || o.agreement === undefined ? null : Math.round(o.agreement * 100);
      const bar = el("div", { class: "bar" }, el("div", { class: "bar-fill" }));
      if (pct !== null) bar.firstChild.style.width = pct + "%";
      return el("tr", { dataset: { outlet: o.outlet }, tabindex: "0" },
        el("td", { class: "outlet-name" }, o.outlet),
        el("td", { class: "num" }, fmtInt(o.articles)),
        el("td", { class: "num" }, fmtInt(o.figures)),
        el("td", { class: "num" }, fmtInt(o.agreeing)),
        el("td", null, pct === null ? el("span", { class: "muted" }, "no figures")
          : el("div", { class: o.few_figures ? "agreement few" : "agreement", title: agreementRange(o) }, bar,
            el("span", { class: "pct" }, pct + "%"),
            o.few_figures ? el("span", { class: "muted small few-figures" }, "few figures") : null)),
        el("td", { class: "num" }, fmtInt(o.wire_copies)));
    }));
    if (!items.length) fill(tbody, el("tr", null, el("td", { colspan: "6", class: "muted" }, "No outlet yet: ingest articles first.")));
  }

  /** "95% interval 51–100%, from 4 figures": how far an outlet's agreement can be trusted. */
  function agreementRange(o) {
    if (o.agreement_low === null || o.agreement_low === undefined) return "";
    return "95% interval " + Math.round(o.agreement_low * 100) + "–" + Math.round(o.agreement_high * 100) +
      "%, from " + fmtInt(o.figures) + (o.figures === 1 ? " figure" : " figures");
  }

  function bindOutlets() {
    const tbody = $("#outlets tbody");
    const open = (tr) => { location.hash = "#/outlet/" + encodeURIComponent(tr.dataset.outlet); };
    tbody.addEventListener("click", (e) => {
      const tr = e.target.closest("tr[data-outlet]");
      if (tr) open(tr);
    });
    tbody.addEventListener("keydown", (e) => {
      const tr = e.target.closest("tr[data-outlet]");
      if (tr && e.key === "Enter") open(tr);
    });
  }

  async function showOutlet(name) {
    const root = $("#outlet");
    fill(root, backLink("#/outlets", "All outlets"), el("h1", null, name));
    let o;
    let arts;
    try {
      [o, arts] = await Promise.all([
        api("/api/outlets/" + encodeURIComponent(name)),
        api("/api/articles?" + new URLSearchParams({ outlet: name, limit: "100" }).toString()),
      ]);
    } catch (err) {
      root.append(el("p", { class: "muted" }, err.message));
      return;
    }
    if (parseRoute()[1] !== name) return;
    const detail = o.detail || {};
    const titles = new Map((arts.items || []).map((a) => [String(a.article_id), a.title || String(a.article_id)]));
    const partners = Object.entries(detail.partners || {}).sort((a, b) => b[1] - a[1]);
    const pct = o.agreement === null || o.agreement === undefined ? "–" : Math.round(o.agreement * 100) + "%";
    appendAll(root, [
      o.few_figures && o.figures ? el("p", { class: "note few-figures" }, "Few figures: the agreement rests on " +
        fmtInt(o.figures) + (o.figures === 1 ? " figure" : " figures") + " (" + agreementRange(o) +
        "); read it as a hint, not a rate.") : null,
      el("div", { class: "stat-row" },
        stat(fmtInt(o.articles), "articles stored"),
        stat(fmtInt(o.figures), "figures compared"),
        stat(fmtInt(o.agreeing), "agree with the reconciled figure"),
        stat(pct, "agreement"),
        stat(fmtInt(o.wire_copies), "wire copies")),
      el("div", { class: "two-col" },
        el("section", { class: "card" },
          el("h2", null, "Disagreements"),
          el("p", { class: "muted small" }, "Incidents where this outlet's killed figure disagrees with the reconciled one."),
          (detail.disagreements || []).length
            ? el("ul", { class: "chips" }, detail.disagreements.map((id) => el("li", null, el("a", { href: "#/incident/" + Number(id) }, "incident " + Number(id)))))
            : el("p", { class: "muted" }, "None.")),
        el("section", { class: "card" },
          el("h2", null, "Reports the same incidents as"),
          partners.length
            ? el("table", { class: "table compact" }, el("tbody", null, partners.map(([p, n]) => el("tr", null,
              el("td", null, el("a", { href: "#/outlet/" + encodeURIComponent(p) }, p)), el("td", { class: "num" }, fmtInt(n))))))
            : el("p", { class: "muted" }, "No other outlet."))),
      el("section", { class: "card" },
        el("h2", null, "Wire copies"),
        el("p", { class: "muted small" }, "Groups of articles that reprint one wire story (articles not listed below by their id)."),
        (detail.wire || []).length
          ? el("ul", { class: "wire-groups" }, detail.wire.map((g) => el("li", null, g.map((aid) => {
            const mine = titles.get(String(aid));
            return el("span", { class: "wire-item" }, mine ? [mine, el("span", { class: "muted" }, ` (${aid})`)]
              : el("span", { class: "muted" }, String(aid)));
          }))))
          : el("p", { class: "muted" }, "None.")),
      el("section", { class: "card" },
        el("h2", null, `Articles (${fmtInt(arts.total)})`),
        el("table", { class: "table compact" },
          el("thead", null, el("tr", null, el("th", null, "Published"), el("th", null, "Title"), el("th", null, "Id"), el("th", { class: "num" }, "Incidents"))),
          el("tbody", null, (arts.items || []).map((a) => el("tr", null,
            el("td", { class: "nowrap" }, a.published || "undated"), el("td", null, a.title || el("span", { class: "muted" }, "untitled")),
            el("td", { class: "muted" }, a.article_id), el("td", { class: "num" }, fmtInt(a.n_incidents)))))),
        arts.total > (arts.items || []).length ? el("p", { class: "muted small" }, `The first ${(arts.items || []).length} shown.`) : null)]);
  }

  function stat(value, label) {
    return el("div", { class: "stat" }, el("div", { class: "stat-value" }, value), el("div", { class: "stat-label" }, label));
  }

  // ---------------------------------------------------------------------------------------
  // Check an article

  let checkBound = false;
  function showCheck() {
    if (checkBound) return;
    checkBound = true;
    const date = $("#check-date");
    if (!date.value) date.value = new Date().toISOString().slice(0, 10);
    $("#check-form").addEventListener("submit", (e) => {
      e.preventDefault();
      runCheck();
    });
  }

  async function runCheck() {
    const text = $("#check-text").value;
    const published = $("#check-date").value;
    const out = $("#check-result");
    if (!text.trim()) {
      fill(out, el("p", { class: "error" }, "Paste the text of an article first."));
      return;
    }
    if (!/^\d{4}-\d{2}-\d{2}$/.test(published)) {
      fill(out, el("p", { class: "error" }, "Give the publication date."));
      return;
    }
    const body = { text, published };
    const title = $("#check-title").value.trim();
    const outlet = $("#check-outlet").value.trim();
    if (title) body.title = title;
    if (outlet) body.outlet = outlet;
    const button = $("#check-submit");
    button.disabled = true;
    fill(out, el("p", { class: "muted" }, "Extracting…"));
    try {
      const d = await api("/api/extract", { body });
      renderCheck(out, text, d.record || {}, d.fits || []);
    } catch (err) {
      fill(out, el("p", { class: "error" }, err.message));
    } finally {
      button.disabled = false;
    }
  }

  function renderCheck(out, text, record, fits) {
    const incidents = record.incidents || [];
    const spans = [];
    incidents.forEach((inc, k) => (inc.claims || []).forEach((c) => (c.evidence || []).forEach((ev) => spans.push({
      start: ev.start, end: ev.end, quote: ev.text || null, claim: String(k), denial: !!c.denial,
      label: `incident ${k + 1}: ${c.claimed_by}${c.denial ? " (denial)" : ""}`,
    }))));
    const fitOf = new Map(fits.map((f) => [f.incident, f]));
    const s = record.summary || {};
    fill(out,
      el("h2", null, incidents.length ? `${incidents.length} incident${incidents.length === 1 ? "" : "s"} extracted` : "No incident found in this text"),
      el("div", { class: "check-layout" },
        el("section", { class: "card" },
          el("h3", null, "The text, with the evidence of each figure"),
          el("div", { class: "article-text check-text" }, highlighted(text, spans))),
        el("div", { class: "check-incidents" },
          incidents.map((inc, k) => checkIncident(inc, k, fitOf.get(k) || { incident: k, candidates: [] })),
          el("section", { class: "card small" },
            el("h3", null, "Article summary (FA-KES fields)"),
            el("dl", { class: "facts-list" },
              el("dt", null, "date"), el("dd", null, s.date || "–"),
              el("dt", null, "location"), el("dd", null, s.location || "–"),
              el("dt", null, "actor"), el("dd", null, s.actor || "–"),
              el("dt", null, "cause of death"), el("dd", null, s.cause_of_death || "–"),
              el("dt", null, "civilians / children / women / non-civilians"),
              el("dd", null, [s.nb_civilians, s.nb_children, s.nb_women, s.nb_noncivilians].map((v) => fmtInt(v ?? 0)).join(" / ")))))));
  }

  function checkIncident(inc, k, fit) {
    const loc = inc.location || {};
    const place = [loc.name, loc.admin1, countryName(loc.country)].filter(Boolean);
    const claims = inc.claims || [];
    const cats = (key) => CATEGORIES.filter((c) => claims.some((cl) => cl[key] && cl[key][c]));
    const kc = cats("killed");
    const ic = cats("injured");
    return el("section", { class: "card check-incident", dataset: { incident: String(k) } },
      el("h3", null, `${k + 1}. `, swatch(inc.event_type), eventLabel(inc.event_type), ` — ${unique(place).join(", ") || "unknown place"}`),
      el("dl", { class: "facts-list" },
        el("dt", null, "Date"), el("dd", null, dateText(inc), el("span", { class: "muted" }, ` · ${inc.date_precision || "unknown"}`)),
        el("dt", null, "Place"), el("dd", null, unique(place).join(", ") || "unknown", el("span", { class: "muted" }, ` · ${loc.precision || "unknown"}`)),
        el("dt", null, "Perpetrator"), el("dd", null, (inc.perpetrator || ["unknown"]).join("; ")),
        inc.target ? [el("dt", null, "Target"), el("dd", null, inc.target)] : null),
      claims.length ? el("table", { class: "table compact" },
        el("thead", null, el("tr", null, el("th", null, "Claimed by"),
          kc.map((c) => el("th", { class: "num" }, "killed " + c)), ic.map((c) => el("th", { class: "num" }, "injured " + c)), el("th", null, "Denial"))),
        el("tbody", null, claims.map((cl) => el("tr", null, el("td", null, cl.claimed_by),
          kc.map((c) => el("td", { class: "num" }, countCell((cl.killed || {})[c]))),
          ic.map((c) => el("td", { class: "num" }, countCell((cl.injured || {})[c]))),
          el("td", null, cl.denial ? el("span", { class: "badge flag-denial" }, "denies") : el("span", { class: "muted" }, "no"))))))
        : el("p", { class: "muted" }, "No claim."),
      fitBlock(fit));
  }

  function fitBlock(fit) {
    const cands = fit.candidates || [];
    return el("div", { class: "fit" },
      el("h4", null, "How it fits the database"),
      cands.length
        ? el("ol", { class: "candidates" }, cands.map((c) => {
          const sm = c.summary || {};
          const pct = Math.round((Number(c.score) || 0) * 100);
          const bar = el("span", { class: "bar small" }, el("span", { class: "bar-fill" }));
          bar.firstChild.style.width = pct + "%";
          return el("li", { class: "candidate" },
            el("div", { class: "candidate-head" },
              el("a", { href: "#/incident/" + Number(c.id) }, `Incident ${Number(c.id)}`),
              ` · ${eventLabel(sm.event_type)} · ${dateText(sm)} · ${placeText(sm)} · `
              + (sm.killed === null || sm.killed === undefined ? "no killed figure" : `${fmtInt(sm.killed)} killed`)),
            el("div", { class: "candidate-score" }, bar, ` score ${(Number(c.score) || 0).toFixed(2)}`,
              c.figures_agree === true ? el("span", { class: "badge ok" }, "figures agree")
                : c.figures_agree === false ? el("span", { class: "badge flag-figures_disagree" }, "figures disagree")
                  : el("span", { class: "badge" }, "no figure to compare")),
            (c.reasons || []).length ? el("ul", { class: "reasons" }, c.reasons.map((r) => el("li", null, r))) : null);
        }))
        : el("p", { class: "muted" }, "No incident in the database is near it in time and place: it would be new."));
  }

  // ---------------------------------------------------------------------------------------
  // Start

  // ---------------------------------------------------------------------------------------
  // Review: confirm or correct an incident (an overlay: the machine's record stays as it
  // was), its history, and the keyboard queue of unreviewed incidents. Every text a reviewer
  // typed goes into the document as text, never as markup.

  let reviewOptions = null;
  function loadReviewOptions() {
    if (!reviewOptions) reviewOptions = api("/api/review/options").catch((err) => { reviewOptions = null; throw err; });
    return reviewOptions;
  }

  function reviewBadge(status) {
    if (!status || status === "unreviewed") return null;
    return el("span", { class: "badge review-" + status, title: "review status" }, status);
  }

  function reviewerName() {
    return localStorage.getItem("sitrep-reviewer") || "";
  }

  /** Who reviews (kept in this browser) and, where the server asks for one, the token. */
  function reviewerFields() {
    const name = el("input", { id: "reviewer-name", type: "text", value: reviewerName(), placeholder: "your name", maxlength: "100" });
    name.addEventListener("change", () => localStorage.setItem("sitrep-reviewer", name.value.trim()));
    const token = el("input", { id: "reviewer-token", type: "password", value: sessionStorage.getItem("sitrep-token") || "", placeholder: "only if the server asks" });
    token.addEventListener("change", () => sessionStorage.setItem("sitrep-token", token.value.trim()));
    return el("div", { class: "review-who" },
      el("label", { class: "field" }, el("span", null, "Reviewer"), name),
      el("label", { class: "field" }, el("span", null, "Token"), token));
  }

  async function reviewPost(path, body) {
    const name = ($("#reviewer-name") || {}).value || reviewerName();
    if (!name.trim()) throw new Error("Enter your reviewer name first.");
    localStorage.setItem("sitrep-reviewer", name.trim());
    const headers = { "X-Sitrep-Reviewer": encodeURIComponent(name.trim()) };
    const token = sessionStorage.getItem("sitrep-token");
    if (token) headers.Authorization = "Bearer " + token;
    return api(path, { body, headers });
  }

  /** Send one review write for incident ``id``, then show the incident as it now stands. */
  async function reviewWrite(id, what, body) {
    const note = $("#review-note");
    if (note && note.value.trim() && body.note === undefined) body.note = note.value.trim();
    let out;
    try {
      out = await reviewPost(`/api/incidents/${encodeURIComponent(id)}/${what}`, body);
    } catch (err) {
      showError(err);
      return null;
    }
    const next = out.incident ? String(out.incident.id) : String(id);
    if (location.hash === "#/incident/" + next) await showIncident(next);
    else location.hash = "#/incident/" + next;
    return out;
  }

  function shortValue(v) {
    if (v === null || v === undefined) return "–";
    if (Array.isArray(v)) return v.map(shortValue).join("; ");
    if (typeof v === "object") {
      if ("name" in v && "lat" in v) return `${v.name || "?"}${v.admin1 ? ", " + v.admin1 : ""}${v.country ? " (" + v.country + ")" : ""}${typeof v.lat === "number" ? ` ${v.lat}, ${v.lon}` : ""}`;
      if ("date" in v) return v.date_end ? `${v.date} to ${v.date_end}` : String(v.date);
      if ("sub_event_type" in v) return v.sub_event_type;
      return JSON.stringify(v);
    }
    return String(v);
  }

  function historyList(rec) {
    const history = (rec.review || {}).history || [];
    if (!history.length) return el("p", { id: "history", class: "muted small" }, "No review yet: this is the machine's record.");
    return el("ol", { id: "history", class: "history" }, history.map((h) => {
      let what;
      if (h.action === "set") what = [el("b", null, h.field), ": ", el("span", { class: "old" }, shortValue(h.old)), " → ", el("span", { class: "new" }, shortValue(h.new))];
      else if (h.action === "review") what = el("b", null, "confirmed");
      else if (h.action === "note") what = el("b", null, "note");
      else if (h.action === "merge") what = el("b", null, `merged with another incident (${(h.new || []).length} report${(h.new || []).length === 1 ? "" : "s"})`);
      else what = el("b", null, `split off ${(h.new || []).length} report${(h.new || []).length === 1 ? "" : "s"}`);
      return el("li", { dataset: { action: h.action } },
        el("span", { class: "muted" }, `${(h.created_at || "").replace("T", " ").slice(0, 19)} · `),
        el("span", { class: "author" }, h.author), " · ", what,
        h.note ? el("div", { class: "note" }, h.note) : null);
    }));
  }

  function reviewForm(id, label, fields, onSubmit) {
    const form = el("form", { id, class: "review-form" }, el("span", { class: "form-label" }, label), fields,
      el("button", { type: "submit" }, "Save"));
    form.addEventListener("submit", (e) => {
      e.preventDefault();
      onSubmit(form);
    });
    return form;
  }

  function reviewCard(inc, rec, articles) {
    const id = inc.id;
    const loc = rec.location || {};
    const review = rec.review || {};
    const eventSelect = el("select", { name: "value" }, EVENT_TYPES.map(([k, label]) => el("option", { value: k, selected: k === inc.event_type }, label)));
    const acledSelect = el("select", { name: "value" }, el("option", { value: "" }, "ACLED sub-event type…"));
    const actorList = el("datalist", { id: "review-actors" });
    loadReviewOptions().then((o) => {
      fill(actorList, o.actors.map((name) => el("option", { value: name })));
      for (const a of o.acled) {
        acledSelect.append(el("option", { value: a.sub_event_type, selected: review.acled && review.acled.sub_event_type === a.sub_event_type },
          `${a.acled_event_type}: ${a.sub_event_type}`));
      }
    }).catch(showError);
    const place = {
      name: el("input", { name: "name", type: "text", value: loc.name || "", placeholder: "place" }),
      admin1: el("input", { name: "admin1", type: "text", value: loc.admin1 || "", placeholder: "admin1" }),
      country: el("input", { name: "country", type: "text", value: loc.country || "", placeholder: "CC", size: "3", maxlength: "2" }),
      lat: el("input", { name: "lat", type: "text", value: typeof loc.lat === "number" ? String(loc.lat) : "", placeholder: "lat", size: "8" }),
      lon: el("input", { name: "lon", type: "text", value: typeof loc.lon === "number" ? String(loc.lon) : "", placeholder: "lon", size: "8" }),
    };
    let precision = loc.precision || "town";
    const miniMap = placeMap(typeof loc.lat === "number" ? { lat: loc.lat, lon: loc.lon } : null, (p) => {
      place.lat.value = String(p.lat);
      place.lon.value = String(p.lon);
      precision = "point";
    });
    const search = el("input", { id: "place-search", type: "search", placeholder: "search the gazetteer" });
    const results = el("div", { id: "place-results", class: "place-results" });
    const runSearch = async () => {
      const q = search.value.trim();
      if (!q) return;
      try {
        const found = await api("/api/places?" + new URLSearchParams({ q }).toString());
        fill(results, found.items.length ? found.items.map((p) => el("button", {
          type: "button", class: "link-button place-choice",
          onclick: () => {
            place.name.value = p.name || "";
            place.admin1.value = p.admin1 || "";
            place.country.value = p.country || "";
            place.lat.value = typeof p.lat === "number" ? String(p.lat) : "";
            place.lon.value = typeof p.lon === "number" ? String(p.lon) : "";
            precision = p.precision || "town";
            if (typeof p.lat === "number") miniMap.setPoint({ lat: p.lat, lon: p.lon });
          },
        }, shortValue(p))) : el("span", { class: "muted" }, "The gazetteer does not know this name."));
      } catch (err) {
        showError(err);
      }
    };
    search.addEventListener("keydown", (e) => {
      if (e.key === "Enter") {
        e.preventDefault();
        runSearch();
      }
    });
    const num = (v) => (v.trim() === "" ? null : Number(v));
    const claims = rec.claims || [];
    const claimSelect = el("select", { name: "claim" }, claims.map((c, i) => el("option", { value: String(i) }, `claim ${i + 1}: ${c.source}`)));
    const claimBy = el("input", { name: "claimed_by", type: "text", placeholder: "claimant (unchanged)" });
    const claimKilled = el("input", { name: "killed", type: "number", min: "0", placeholder: "killed", size: "6" });
    const claimInjured = el("input", { name: "injured", type: "number", min: "0", placeholder: "injured", size: "6" });
    const claimWrong = el("input", { name: "wrong", type: "checkbox" });
    const members = articles.map((a) => el("label", { class: "check" },
      el("input", { type: "checkbox", name: "member", value: (a.members || []).join(",") }),
      el("span", null, `${a.outlet || "unknown outlet"}: ${a.title || a.article_id}`)));
    return el("section", { id: "review", class: "card review", dataset: { status: inc.review_status || "unreviewed" } },
      el("h2", null, "Review"),
      el("p", { class: "review-state" }, "Status: ", el("b", { id: "review-status" }, inc.review_status || "unreviewed"),
        (review.corrected || []).length ? el("span", { class: "muted" }, ` · corrected: ${review.corrected.join(", ")}`) : null),
      reviewerFields(),
      el("label", { class: "field wide" }, el("span", null, "Note (goes with the next change)"),
        el("textarea", { id: "review-note", rows: "2", maxlength: "5000" })),
      el("div", { class: "review-actions" },
        el("button", { id: "review-confirm", type: "button", class: "primary", onclick: () => reviewWrite(id, "review", {}) }, "Confirm as it stands"),
        el("button", { id: "review-add-note", type: "button", onclick: () => {
          const note = $("#review-note").value.trim();
          if (!note) return showError("Write the note first.");
          reviewWrite(id, "corrections", { note });
        } }, "Add the note")),
      el("div", { class: "review-grid" },
        reviewForm("fix-event", "Event type", eventSelect, () => reviewWrite(id, "corrections", { field: "event_type", value: eventSelect.value })),
        reviewForm("fix-acled", "ACLED type", acledSelect, () => {
          if (!acledSelect.value) return showError("Choose an ACLED sub-event type.");
          reviewWrite(id, "corrections", { field: "acled", value: { sub_event_type: acledSelect.value } });
        }),
        reviewForm("fix-date", "Date", [el("input", { name: "date", type: "date", value: inc.date || "" }), el("span", { class: "muted" }, "to"),
          el("input", { name: "date_end", type: "date", value: inc.date_end || "" })], (f) => {
          const value = { date: f.elements.date.value };
          if (f.elements.date_end.value) value.date_end = f.elements.date_end.value;
          reviewWrite(id, "corrections", { field: "date", value });
        }),
        reviewForm("fix-perpetrator", "Perpetrator", el("input", { name: "value", type: "text", list: "review-actors", value: (rec.perpetrators || []).map((p) => p.actor).join("; "), placeholder: "a name; another" }),
          (f) => reviewWrite(id, "corrections", { field: "perpetrator", value: f.elements.value.value.split(";").map((x) => x.trim()).filter(Boolean) })),
        reviewForm("fix-claim", "Claim", [claimSelect, claimBy, claimKilled, claimInjured, el("label", { class: "check" }, claimWrong, el("span", null, "wrong"))], () => {
          const value = { claim: Number(claimSelect.value) };
          if (claimBy.value.trim()) value.claimed_by = claimBy.value.trim();
          if (claimKilled.value !== "") value.killed = { total: Number(claimKilled.value) };
          if (claimInjured.value !== "") value.injured = { total: Number(claimInjured.value) };
          if (claimWrong.checked) value.wrong = true;
          reviewWrite(id, "corrections", { field: "claim", value });
        }),
        reviewForm("merge", "Merge with incident", el("input", { name: "other", type: "number", min: "1", placeholder: "id" }),
          (f) => reviewWrite(id, "merge", { other: Number(f.elements.other.value) })),
        articles.length > 1 ? reviewForm("split", "Split off the reports checked", el("div", { class: "split-members" }, members), (f) => {
          const chosen = [...f.querySelectorAll("input[name=member]:checked")].flatMap((x) => x.value.split(",").map(Number));
          reviewWrite(id, "split", { members: chosen });
        }) : null),
      el("div", { class: "place-editor" },
        el("div", { class: "place-fields" },
          el("span", { class: "form-label" }, "Place"),
          el("div", { class: "row" }, search, el("button", { type: "button", onclick: runSearch }, "Search")),
          results,
          el("div", { class: "row" }, place.name, place.admin1, place.country),
          el("div", { class: "row" }, place.lat, place.lon,
            el("button", { id: "place-save", type: "button", onclick: () => reviewWrite(id, "corrections", {
              field: "location",
              value: { name: place.name.value.trim(), admin1: place.admin1.value.trim() || null, country: place.country.value.trim() || null,
                lat: num(place.lat.value), lon: num(place.lon.value), precision },
            }) }, "Save the place")),
          el("p", { class: "muted small" }, "Search the gazetteer, or click the map to set the point.")),
        miniMap),
      el("h3", null, "History"),
      historyList(rec),
      actorList);
  }

  /** A small map around a point; a click sets the point (and calls ``onPick``). */
  function placeMap(point, onPick) {
    const canvas = el("canvas", { id: "place-map", class: "place-map", width: "360", height: "240" });
    let center = point ? { ...point } : { lat: 33, lon: 40 };
    const span = point ? 0.6 : 12;   // degrees of longitude either side
    const view = () => {
      const x0 = mercX(center.lon - span);
      const s = canvas.width / (mercX(center.lon + span) - x0);
      return { s, tx: -x0 * s, ty: canvas.height / 2 - mercY(center.lat) * s };
    };
    const draw = () => {
      const ctx = canvas.getContext("2d");
      const { s, tx, ty } = view();
      ctx.setTransform(1, 0, 0, 1, 0, 0);
      ctx.fillStyle = COLORS.water || "#dfe9f2";
      ctx.fillRect(0, 0, canvas.width, canvas.height);
      if (mapView.base) {
        ctx.setTransform(s, 0, 0, s, tx, ty);
        ctx.fillStyle = COLORS.land;
        ctx.strokeStyle = COLORS.border;
        ctx.lineWidth = 1 / s;
        for (const c of mapView.base.countries) {
          ctx.fill(mapView.path(c), "evenodd");
          ctx.stroke(mapView.path(c));
        }
        ctx.setTransform(1, 0, 0, 1, 0, 0);
      }
      if (point) {
        const x = mercX(point.lon) * s + tx;
        const y = mercY(point.lat) * s + ty;
        ctx.fillStyle = "#c0392b";
        ctx.beginPath();
        ctx.arc(x, y, 6, 0, Math.PI * 2);
        ctx.fill();
      }
      canvas.dataset.point = point ? `${point.lat},${point.lon}` : "";
    };
    canvas.addEventListener("click", (e) => {
      const r = canvas.getBoundingClientRect();
      const { s, tx, ty } = view();
      const x = ((e.clientX - r.left) * canvas.width / r.width - tx) / s;
      const y = ((e.clientY - r.top) * canvas.height / r.height - ty) / s;
      const lat = Math.atan(Math.sinh(Math.PI * (1 - 2 * y))) * 180 / Math.PI;
      point = { lat: Math.round(lat * 1e5) / 1e5, lon: Math.round((x * 360 - 180) * 1e5) / 1e5 };
      draw();
      onPick(point);
    });
    canvas.setPoint = (p) => {
      point = { ...p };
      center = { ...p };
      draw();
    };
    if (!mapView.base) loadBasemap().then(draw);
    draw();
    return canvas;
  }

  // The queue: unreviewed incidents one at a time, by id; keys c, n, p, o.
  const queue = { offset: 0, id: null, bound: false };

  async function showQueue() {
    const root = $("#queue");
    if (!queue.bound) {
      queue.bound = true;
      document.addEventListener("keydown", queueKey);
    }
    const list = await api(`/api/incidents?review_status=unreviewed&sort=id&limit=1&offset=${queue.offset}`);
    if (!list.items.length && queue.offset > 0 && list.total > 0) {
      queue.offset = list.total - 1;
      return showQueue();
    }
    root.dataset.remaining = String(list.total);
    const lost = await orphanedCorrections();
    if (!list.items.length) {
      queue.id = null;
      root.dataset.id = "";
      fill(root, reviewerFields(), el("p", { class: "empty" }, "Nothing left to review."), lost);
      return;
    }
    const d = await api("/api/incidents/" + list.items[0].id);
    const inc = d.incident;
    const rec = d.reconciled || {};
    queue.id = inc.id;
    root.dataset.id = String(inc.id);
    fill(root, reviewerFields(),
      el("p", { class: "muted" }, `${list.total} unreviewed · ${queue.offset + 1} of ${list.total}`),
      el("article", { class: "card queue-item" },
        el("div", { class: "eyebrow" }, swatch(inc.event_type), eventLabel(inc.event_type), el("span", { class: "muted" }, "\u00a0· incident " + inc.id)),
        el("h2", null, `${eventLabel(inc.event_type)} in ${placeText(inc)}`),
        el("p", null, dateText(inc), " · perpetrator: ", inc.perpetrator || "unknown", " · killed: ", fmtInt(inc.killed),
          " · ", `${fmtInt(inc.number_of_sources)} independent source${inc.number_of_sources === 1 ? "" : "s"}`, el("span", { class: "flags" }, flagBadges(inc.flags))),
        el("ul", { class: "queue-claims" }, (rec.claims || []).map((c) => el("li", null, el("b", null, c.source), ": ",
          countCell((c.killed || {}).total), " killed", (c.evidence || []).map((q) => el("blockquote", { class: "quote" }, q)))))),
      el("div", { class: "review-actions" },
        el("button", { type: "button", class: "primary", onclick: queueConfirm }, el("kbd", null, "c"), " Confirm"),
        el("button", { type: "button", onclick: () => queueMove(1) }, el("kbd", null, "n"), " Next"),
        el("button", { type: "button", onclick: () => queueMove(-1) }, el("kbd", null, "p"), " Previous"),
        el("a", { class: "button", href: "#/incident/" + inc.id }, el("kbd", null, "o"), " Open the evidence")),
      lost);
  }

  /** Corrections whose incident is gone (re-extracted or re-linked away): listed for review. */
  async function orphanedCorrections() {
    const out = await api("/api/corrections?orphaned=true");
    if (!out.total) return null;
    return el("section", { id: "orphans", class: "card" },
      el("h2", null, `${out.total} correction${out.total === 1 ? "" : "s"} whose incident is gone`),
      el("p", { class: "muted small" }, "Their incident's articles were re-extracted or removed; redo them on the incident they now belong to."),
      el("ol", { class: "history" }, out.items.map((h) => el("li", null,
        el("span", { class: "muted" }, `${(h.created_at || "").replace("T", " ").slice(0, 19)} · `), el("span", { class: "author" }, h.author), " · ",
        el("b", null, h.action === "set" ? h.field : h.action), h.action === "set" ? [": ", shortValue(h.new)] : null,
        h.note ? el("div", { class: "note" }, h.note) : null))));
  }

  let queueBusy = false;
  async function queueConfirm() {
    if (queue.id === null || queueBusy) return;
    queueBusy = true;
    try {
      await reviewPost(`/api/incidents/${queue.id}/review`, {});
      await showQueue();   // the confirmed one leaves the queue: the same place shows the next
    } catch (err) {
      showError(err);
    } finally {
      queueBusy = false;
    }
  }

  function queueMove(step) {
    queue.offset = Math.max(0, queue.offset + step);
    showQueue().catch(showError);
  }

  function queueKey(e) {
    if (parseRoute()[0] !== "review" || e.ctrlKey || e.metaKey || e.altKey) return;
    if (e.target.closest && e.target.closest("input, textarea, select")) return;
    if (e.key === "c") queueConfirm();
    else if (e.key === "n" || e.key === "j") queueMove(1);
    else if (e.key === "p" || e.key === "k") queueMove(-1);
    else if (e.key === "o" && queue.id !== null) location.hash = "#/incident/" + queue.id;
    else return;
    e.preventDefault();
  }

  let facetsLoaded = null;

  function start() {
    document.addEventListener("keydown", (e) => {
      if (e.key === "Escape") mapView.hidePopup();
    });
    // The facets name the countries (and fill the filters): wanted by every view.
    facetsLoaded = api("/api/facets").then(setFacets).catch(showError);
    bindOutlets();
    window.addEventListener("hashchange", route);
    route();
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
