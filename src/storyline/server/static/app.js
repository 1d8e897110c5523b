/* storyline web UI: stories, timeline, map, actor network, source sentence.
 *
 * Vanilla JS, no build, nothing fetched from elsewhere. Every piece of text that comes from
 * the store is inserted as a text node (textContent / createTextNode) or as an attribute value
 * via setAttribute; markup is never built from strings. Links to sources are only made for
 * http(s) URLs.
 */
(function () {
  "use strict";

  const SVGNS = "http://www.w3.org/2000/svg";
  const TYPES = ["AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST", "ACCUSE",
    "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT"];
  const MODALITIES = ["asserted", "planned", "negated", "hypothetical", "reported"];
  const COLORS = {
    AGREE: "#2e7d32", CONSULT: "#1565c0", SUPPORT: "#00838f", CONCEDE: "#6a1b9a", COOPERATE: "#0277bd",
    AID: "#43a047", RETREAT: "#8d6e63", REQUEST: "#c79100", ACCUSE: "#ef6c00", REJECT: "#ad1457",
    THREATEN: "#d84315", PROTEST: "#ff8f00", SANCTION: "#5d4037", MOBILIZE: "#7b1fa2", COERCE: "#c62828",
    ASSAULT: "#7f0000",
  };
  const MOD_TEXT = {
    asserted: "asserted (happened)", planned: "planned (scheduled / intended)",
    negated: "negated (did not happen / denied)", hypothetical: "hypothetical (conditional / proposed)",
    reported: "reported (claimed, unconfirmed)",
  };
  const DAY = 86400000;

  const state = {
    stories: [], story: null, events: [], selected: null, level: "actor", world: null, mapWorld: false,
    filters: { type: "", modality: "", country: "" },
  };

  // ------------------------------------------------------------------ DOM helpers

  function $(id) { return document.getElementById(id); }

  /** An HTML element; children are nodes or strings (strings become text nodes). */
  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    setAttrs(node, attrs);
    append(node, children);
    return node;
  }

  /** An SVG element, same conventions as el(). */
  function svg(tag, attrs, ...children) {
    const node = document.createElementNS(SVGNS, tag);
    setAttrs(node, attrs);
    append(node, children);
    return node;
  }

  function setAttrs(node, attrs) {
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === null || v === undefined || v === false) continue;
      if (k === "class") node.setAttribute("class", v);
      else if (k === "text") node.textContent = String(v);
      else if (k.startsWith("on")) node.addEventListener(k.slice(2), v);
      else node.setAttribute(k, String(v));
    }
  }

  function append(node, children) {
    for (const c of children.flat()) {
      if (c === null || c === undefined || c === false) continue;
      node.appendChild(typeof c === "string" || typeof c === "number" ? document.createTextNode(String(c)) : c);
    }
  }

  function clear(node) { while (node.firstChild) node.removeChild(node.firstChild); return node; }

  function title(text) { return svg("title", {}, text); }

  /** Only http(s) links become clickable: a stored "javascript:" URL must not run. */
  function safeUrl(url) {
    if (!url) return null;
    try {
      const u = new URL(url, window.location.href);
      return (u.protocol === "http:" || u.protocol === "https:") ? u.href : null;
    } catch (e) { return null; }
  }

  function showStatus(message) {
    const s = $("status");
    if (!message) { s.hidden = true; clear(s); return; }
    s.textContent = message;
    s.hidden = false;
  }

  async function api(path, params) {
    const qs = new URLSearchParams();
    for (const [k, v] of Object.entries(params || {})) if (v !== null && v !== undefined && v !== "") qs.set(k, v);
    const url = path + (qs.toString() ? "?" + qs.toString() : "");
    const r = await fetch(url, { headers: { Accept: "application/json" } });
    let body = null;
    try { body = await r.json(); } catch (e) { /* not JSON */ }
    if (!r.ok) {
      const msg = body && body.error ? body.error.message : r.status + " " + r.statusText;
      throw new Error(msg);
    }
    return body;
  }

  function color(type) { return COLORS[type] || "#777"; }

  function actorName(arg) {
    if (!arg) return "—";
    const n = arg.name || arg.text || "?";
    return arg.country && !n.includes(arg.country) ? n + " (" + arg.country + ")" : n;
  }

  function evLabel(e) {
    return e.type + (e.mode ? "/" + e.mode : "") + " · " + e.modality + " · " + (e.date || "undated") + "\n" +
      actorName(e.source) + " → " + actorName(e.target) + (e.location && e.location.name ? " @ " + e.location.name : "") +
      "\n" + (e.sentence || "") + (whyText(e) ? "\n" + whyText(e) : "");
  }

  // ------------------------------------------------------------------ why an event is there

  const REL_TEXT = {
    nsubj: "subject", nsubjpass: "passive subject", csubj: "subject", dobj: "object", iobj: "indirect object",
    dative: "indirect object", pobj: "object", poss: "possessive", agent: "'by' phrase", compound: "compound noun",
    appos: "apposition", conj: "conjunct", attr: "attribute", npadvmod: "noun modifier", nmod: "noun modifier",
    amod: "modifier", self: "the trigger itself", document: "from earlier in the article",
    far: "elsewhere in the sentence", other: "elsewhere in the sentence",
  };
  const CLAUSES = ["advcl", "xcomp", "ccomp", "conj", "relcl", "acl", "pcomp", "parataxis"];
  const POS_TEXT = { V: "verb", N: "noun", A: "adjective", ADJ: "adjective" };

  /** A parse relation in plain words: "nsubj" → "subject", "with>pobj" → "'with' phrase". */
  function relText(rel) {
    rel = String(rel);
    if (REL_TEXT[rel]) return REL_TEXT[rel];
    const i = rel.indexOf(">");
    if (i < 0) return rel;
    const head = rel.slice(0, i), dep = rel.slice(i + 1);
    if (dep === "pobj") {
      if (head === "prep") return "prepositional phrase";
      if (head === "agent" || head === "by") return "'by' phrase";
      return "'" + head + "' phrase";
    }
    if (dep === "conj") return "joined to the " + relText(head);
    if (CLAUSES.includes(head)) return relText(dep) + " of a linked clause";
    return relText(dep) + " of the " + relText(head);
  }

  /** How one side was found, or null when there is no such side. */
  function sideText(how, score) {
    if (!how || how === "none") return null;
    how = String(how);
    const sc = typeof score === "number" && isFinite(score) ? score.toFixed(2) : null;
    if (how.startsWith("ranker:")) {
      // the ranker picks among the sentence's actors: name the relation only when it says something
      const rel = how.slice(7);
      const inner = [rel === "far" || rel === "other" || rel === "" ? null : relText(rel), sc].filter(Boolean).join(", ");
      return "chosen by ranker" + (inner ? " (" + inner + ")" : "");
    }
    return relText(how);
  }

  /** One line saying why an event is there (from its `explain`), or null when it has none. */
  function whyText(e) {
    const x = e && e.explain;
    if (!x || typeof x !== "object" || Array.isArray(x) || !Object.keys(x).length) return null;
    const parts = [];
    const rule = typeof x.rule === "string" ? x.rule : "";
    let head;
    const kind = rule.startsWith("lexicon:") ? "lexicon" : rule.startsWith("model:") ? "trigger model" : null;
    if (kind) {
      const body = rule.slice(rule.indexOf(":") + 1), cut = body.lastIndexOf("/");
      const lemma = cut >= 0 ? body.slice(0, cut) : body, pos = cut >= 0 ? body.slice(cut + 1) : "";
      const what = [POS_TEXT[pos] || pos, x.light_verb ? "with '" + x.light_verb + "'" : ""].filter(Boolean).join(", ");
      const tm = x.trigger_model && typeof x.trigger_model.score === "number" && kind === "trigger model"
        ? " " + x.trigger_model.score.toFixed(2) : "";
      head = kind + " '" + lemma + "'" + (what ? " (" + what + ")" : "") + tm;
    } else {
      head = rule ? "rule '" + rule + "'" : "rule";
    }
    parts.push(head + " → " + (e.type || x.rule_type || "?"));
    if (typeof x.model_keep === "number") parts.push("model " + x.model_keep.toFixed(2));
    if (x.retyped_from) parts.push("retyped from " + x.retyped_from);
    for (const side of ["source", "target"]) {
      const t = sideText(x[side + "_how"], x[side + "_score"]);
      if (t) parts.push(side + ": " + t);
    }
    return "why: " + parts.join(" · ");
  }

  function whyLine(e, tag) {
    const t = whyText(e);
    return t ? el(tag || "span", { class: "why", text: t }) : null;
  }

  function parseDay(s) {
    if (!s) return null;
    const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(s);
    return m ? Date.UTC(+m[1], +m[2] - 1, +m[3]) : null;
  }

  function fmtDay(t, step) {
    const d = new Date(t);
    const iso = d.toISOString().slice(0, 10);
    return step >= 365 * DAY ? iso.slice(0, 4) : step >= 28 * DAY ? iso.slice(0, 7) : iso;
  }

  // ------------------------------------------------------------------ hash state

  function readHash() {
    const p = new URLSearchParams(window.location.hash.slice(1));
    return { hasStory: p.has("story"), story: p.get("story") || null, event: p.get("event") };
  }

  function writeHash() {
    const p = new URLSearchParams();
    p.set("story", state.story || "");
    if (state.selected) p.set("event", state.selected);
    const h = p.toString();
    history.replaceState(null, "", h ? "#" + h : window.location.pathname);
  }

  // ------------------------------------------------------------------ header, stories

  async function loadCounts() {
    try {
      const h = await api("/api/health");
      showFreshness(h.data);
      const c = h.counts;
      const n = (k, word) => k + " " + word + (k === 1 ? "" : "s");
      $("counts").textContent = n(c.documents, "document") + " · " + n(c.events, "event") + " · " + n(c.stories, "story").replace(/storys$/, "stories");
      const fb = $("show-failures");
      if (c.failures > 0) {
        fb.textContent = c.failures + (c.failures === 1 ? " failure" : " failures");
        fb.hidden = false;
      }
    } catch (e) {
      showStatus("Store unavailable: " + e.message);
    }
  }

  function renderStories() {
    const list = clear($("stories"));
    const q = $("story-search").value.trim().toLowerCase();
    const all = el("li", {}, el("button", {
      type: "button", "aria-current": state.story ? "false" : "true", "data-story": "",
      onclick: () => selectStory(null),
    }, el("span", { class: "s-title", text: "All events" }), el("span", { class: "s-meta", text: "every story" })));
    list.appendChild(all);
    for (const s of state.stories) {
      if (q && !(s.title || "").toLowerCase().includes(q) && !s.story_id.toLowerCase().includes(q)) continue;
      const dates = s.first_date ? (s.first_date === s.last_date || !s.last_date ? s.first_date
        : s.first_date + " – " + s.last_date) : "undated";
      list.appendChild(el("li", {}, el("button", {
        type: "button", "data-story": s.story_id, "aria-current": s.story_id === state.story ? "true" : "false",
        onclick: () => selectStory(s.story_id),
      },
      el("span", { class: "s-title", text: s.title || s.story_id }),
      el("span", { class: "s-meta", text: dates + " · " + s.n_events + " events · " + s.n_docs + " docs" }))));
    }
    if (!state.stories.length) {
      list.appendChild(el("li", { class: "empty", text: "No stories yet: run `storyline ingest PATH --db FILE`." }));
    }
  }

  async function loadStories() {
    try {
      state.stories = (await api("/api/stories")).stories;
    } catch (e) {
      state.stories = [];
      showStatus("Could not load stories: " + e.message);
    }
    renderStories();
  }

  async function selectStory(storyId, eventId) {
    state.story = storyId || null;
    state.selected = eventId || null;
    renderStories();
    await loadView();
    if (eventId) await selectEvent(eventId);
    else { writeHash(); resetDetail(); }
  }

  // ------------------------------------------------------------------ main view

  async function loadView() {
    const f = state.filters;
    const params = { story: state.story, type: f.type, modality: f.modality, country: f.country };
    const head = $("story-title"), meta = $("story-meta");
    try {
      const [evs, net, story] = await Promise.all([
        allEvents(params),
        api("/api/network", Object.assign({ level: state.level }, params)),
        state.story ? api("/api/stories/" + encodeURIComponent(state.story)) : Promise.resolve(null),
      ]);
      showStatus(null);
      state.events = evs.events;
      head.textContent = story ? (story.title || story.story_id) : "All events";
      const shown = evs.total > evs.events.length ? evs.events.length + " of " + evs.total : String(evs.total);
      meta.textContent = story
        ? (story.first_date || "undated") + (story.last_date && story.last_date !== story.first_date ? " – " + story.last_date : "") +
          " · " + shown + " events · " + story.n_docs + " documents · " + story.n_clusters + " distinct real-world events"
        : shown + " events";
      renderTimeline(state.events);
      renderEventList(state.events);
      renderMap(state.events);
      renderNetwork(net);
    } catch (e) {
      showStatus(e.message);
      state.events = [];
      renderTimeline([]); renderEventList([]); renderMap([]); renderNetwork({ nodes: [], edges: [] });
    }
  }

  /** Events of the view, page by page (the API caps a page at 1000), up to MAX_EVENTS. */
  const MAX_EVENTS = 5000;
  async function allEvents(params) {
    const first = await api("/api/events", Object.assign({ limit: 1000, offset: 0 }, params));
    const events = first.events.slice();
    while (events.length < Math.min(first.total, MAX_EVENTS)) {
      const page = await api("/api/events", Object.assign({ limit: 1000, offset: events.length }, params));
      if (!page.events.length) break;
      events.push(...page.events);
    }
    return { total: first.total, events: events };
  }

  // ------------------------------------------------------------------ timeline

  /** One event glyph: colour = type, shape/stroke = modality (planned hollow dashed, negated crossed out…). */
  function glyph(e, r) {
    const c = color(e.type);
    const g = svg("g", { class: "glyph-g" });
    switch (e.modality) {
      case "planned":
        g.appendChild(svg("circle", { class: "glyph", r: r, fill: "#fff", stroke: c, "stroke-width": 2.2, "stroke-dasharray": "3 2" }));
        break;
      case "negated":
        g.appendChild(svg("circle", { class: "glyph", r: r, fill: c, "fill-opacity": 0.3, stroke: c, "stroke-width": 1.5 }));
        g.appendChild(svg("line", { class: "cross", x1: -r, y1: -r, x2: r, y2: r }));
        g.appendChild(svg("line", { class: "cross", x1: -r, y1: r, x2: r, y2: -r }));
        break;
      case "hypothetical":
        g.appendChild(svg("rect", { class: "glyph", x: -r * 0.8, y: -r * 0.8, width: r * 1.6, height: r * 1.6,
          transform: "rotate(45)", fill: "#fff", stroke: c, "stroke-width": 2, "stroke-dasharray": "1.5 2" }));
        break;
      case "reported":
        g.appendChild(svg("circle", { class: "glyph", r: r, fill: c, "fill-opacity": 0.55, stroke: c, "stroke-width": 1 }));
        g.appendChild(svg("circle", { r: r + 3, fill: "none", stroke: c, "stroke-width": 1, "stroke-dasharray": "1 2" }));
        break;
      default:
        g.appendChild(svg("circle", { class: "glyph", r: r, fill: c, stroke: "#fff", "stroke-width": 1 }));
    }
    return g;
  }

  function niceStep(spanMs) {
    const steps = [1, 2, 7, 14, 30.44, 91.3, 182.6, 365.25, 730.5, 1826].map((d) => d * DAY);
    for (const s of steps) if (spanMs / s <= 9) return s;
    return 3652 * DAY;
  }

  function renderTimeline(events) {
    const box = clear($("timeline"));
    renderLegend(events);
    if (!events.length) { box.appendChild(el("p", { class: "empty", text: "No events." })); return; }
    const types = TYPES.filter((t) => events.some((e) => e.type === t));
    for (const e of events) if (!types.includes(e.type)) types.push(e.type);
    const W = 1000, left = 110, right = 70, top = 8, lane = 36, axisH = 26;
    const H = top + lane * types.length + axisH;
    const dated = events.filter((e) => parseDay(e.date) !== null);
    let t0 = Math.min(...dated.map((e) => parseDay(e.date)));
    let t1 = Math.max(...dated.map((e) => parseDay(e.date_end) || parseDay(e.date)));
    if (!dated.length) { t0 = Date.UTC(2000, 0, 1); t1 = t0 + DAY; }
    const pad = Math.max(DAY, (t1 - t0) * 0.05);
    t0 -= pad; t1 += pad;
    const x = (t) => left + (t - t0) / (t1 - t0) * (W - left - right);
    const undatedX = W - right / 2;
    const root = svg("svg", { viewBox: "0 0 " + W + " " + H, role: "img", "aria-label": "Timeline of events by type" });
    types.forEach((t, i) => {
      root.appendChild(svg("rect", { class: "lane" + (i % 2 ? " odd" : ""), x: 0, y: top + i * lane, width: W, height: lane }));
      root.appendChild(svg("rect", { x: 4, y: top + i * lane + lane / 2 - 5, width: 10, height: 10, fill: color(t) }));
      root.appendChild(svg("text", { class: "lane-label", x: 18, y: top + i * lane + lane / 2 + 4 }, t));
    });
    // axis
    const axis = svg("g", { class: "axis" });
    const step = niceStep(t1 - t0);
    const first = Math.ceil(t0 / step) * step;
    for (let t = first; t <= t1; t += step) {
      const tx = x(t);
      axis.appendChild(svg("line", { x1: tx, x2: tx, y1: top, y2: H - axisH + 4 }));
      axis.appendChild(svg("text", { x: tx, y: H - 8, "text-anchor": "middle" }, fmtDay(t, step)));
    }
    if (events.length > dated.length) {
      axis.appendChild(svg("text", { x: undatedX, y: H - 8, "text-anchor": "middle" }, "undated"));
      axis.appendChild(svg("line", { x1: W - right + 5, x2: W - right + 5, y1: top, y2: H - axisH + 4 }));
    }
    root.appendChild(axis);
    // events: stack the ones that share a lane and a day
    const slotKey = (e) => types.indexOf(e.type) + ":" + (parseDay(e.date) === null ? "u" : parseDay(e.date));
    const slotSize = {}, slotUsed = {};
    for (const e of events) slotSize[slotKey(e)] = (slotSize[slotKey(e)] || 0) + 1;
    for (const e of events) {
      const lanei = types.indexOf(e.type);
      const d = parseDay(e.date);
      const key = slotKey(e);
      const k = slotUsed[key] = (slotUsed[key] || 0) + 1;
      const spread = Math.min(17, 200 / slotSize[key]);
      const cx = (d === null ? undatedX : x(d)) + (k - 1 - (slotSize[key] - 1) / 2) * spread;
      const cy = top + lanei * lane + lane / 2;
      const g = svg("g", {
        class: "ev mod-" + e.modality + (e.event_id === state.selected ? " selected" : ""),
        transform: "translate(" + cx.toFixed(1) + "," + cy.toFixed(1) + ")",
        "data-event-id": e.event_id, "data-modality": e.modality, "data-type": e.type,
        tabindex: 0, role: "button",
        onclick: () => selectEvent(e.event_id),
        onkeydown: (ev) => { if (ev.key === "Enter" || ev.key === " ") { ev.preventDefault(); selectEvent(e.event_id); } },
      }, title(evLabel(e)));
      const end = parseDay(e.date_end);
      if (d !== null && end !== null && end > d) {
        g.appendChild(svg("rect", { class: "range", x: 0, y: -3, width: Math.max(2, x(end) - x(d)), height: 6, rx: 3,
          fill: color(e.type), "fill-opacity": e.modality === "asserted" ? 0.5 : 0.2 }));
      }
      g.appendChild(svg("circle", { class: "halo", r: 11 }));
      g.appendChild(glyph(e, 7));
      root.appendChild(g);
    }
    box.appendChild(root);
  }

  function renderLegend(events) {
    const box = clear($("legend"));
    const types = TYPES.filter((t) => events.some((e) => e.type === t));
    for (const t of types) {
      box.appendChild(el("span", {}, legendIcon({ type: t, modality: "asserted" }), t));
    }
    for (const m of MODALITIES) {
      box.appendChild(el("span", { title: MOD_TEXT[m] }, legendIcon({ type: "_", modality: m }), m));
    }
  }

  function legendIcon(e) {
    const s = svg("svg", { viewBox: "-10 -10 20 20", "aria-hidden": "true" });
    s.appendChild(glyph(e, 6));
    return s;
  }

  function renderEventList(events) {
    const list = clear($("event-list"));
    for (const e of events) {
      const li = el("li", { "data-event-id": e.event_id, class: e.event_id === state.selected ? "selected" : null },
        el("button", { type: "button", onclick: () => selectEvent(e.event_id) },
          el("span", { text: e.date || "undated" }),
          el("span", {}, typeChip(e.type)),
          el("span", {}, modChip(e.modality)),
          el("span", { text: actorName(e.source) + " → " + actorName(e.target) +
            (e.location && e.location.name ? " · " + e.location.name : "") }),
          whyLine(e)));
      list.appendChild(li);
    }
  }

  function typeChip(type) {
    const c = el("span", { class: "chip", text: type });
    c.style.background = color(type);
    return c;
  }

  function modChip(m) { return el("span", { class: "mod mod-" + m, title: MOD_TEXT[m] || m, text: m }); }

  // ------------------------------------------------------------------ map

  async function loadWorld() {
    if (state.world !== null) return state.world;
    try { state.world = (await api("/static/world.json")).countries; } catch (e) { state.world = []; }
    return state.world;
  }

  function renderMap(events) {
    const box = clear($("map"));
    const pts = {};
    const involved = new Set();
    for (const e of events) {
      for (const side of [e.source, e.target]) if (side && side.country) involved.add(side.country);
      const loc = e.location;
      if (!loc || loc.lat === null || loc.lat === undefined || loc.lon === null || loc.lon === undefined) continue;
      if (loc.country) involved.add(loc.country);
      const key = loc.lat.toFixed(2) + "," + loc.lon.toFixed(2);
      (pts[key] = pts[key] || { lat: loc.lat, lon: loc.lon, name: loc.name || "", events: [] }).events.push(e);
    }
    const points = Object.values(pts);
    // view: the points' extent (with margin), or the world
    let x0 = 0, y0 = 0, w = 360, h = 180;
    if (points.length && !state.mapWorld) {
      const xs = points.map((p) => p.lon + 180), ys = points.map((p) => 90 - p.lat);
      let minX = Math.min(...xs), maxX = Math.max(...xs), minY = Math.min(...ys), maxY = Math.max(...ys);
      const span = Math.max(maxX - minX, (maxY - minY) * 2, 24);
      w = Math.min(360, span * 1.5); h = w / 2;
      x0 = Math.max(0, Math.min(360 - w, (minX + maxX) / 2 - w / 2));
      y0 = Math.max(0, Math.min(180 - h, (minY + maxY) / 2 - h / 2));
    }
    const k = w / 360; // scale of marks relative to the world view
    const root = svg("svg", { viewBox: [x0, y0, w, h].map((v) => v.toFixed(2)).join(" "), role: "img",
      "aria-label": "Map of event locations" });
    root.appendChild(svg("rect", { class: "sea", x: 0, y: 0, width: 360, height: 180 }));
    const land = svg("g", { class: "countries" });
    for (const c of state.world || []) {
      land.appendChild(svg("path", { class: "land" + (involved.has(c.iso3) ? " involved" : ""), d: c.d,
        "data-iso3": c.iso3, "vector-effect": "non-scaling-stroke" }, title(c.name)));
    }
    root.appendChild(land);
    const grat = svg("g", { class: "graticule" });
    const gstep = w > 120 ? 30 : w > 40 ? 10 : 5;
    for (let lon = -180; lon <= 180; lon += gstep) {
      grat.appendChild(svg("line", { class: "grat", x1: lon + 180, x2: lon + 180, y1: 0, y2: 180, "vector-effect": "non-scaling-stroke" }));
    }
    for (let lat = -90; lat <= 90; lat += gstep) {
      grat.appendChild(svg("line", { class: "grat", x1: 0, x2: 360, y1: 90 - lat, y2: 90 - lat, "vector-effect": "non-scaling-stroke" }));
      if (90 - lat > y0 && 90 - lat < y0 + h) {
        grat.appendChild(svg("text", { class: "grat-label", x: x0 + 1.5 * k, y: 90 - lat - 1 * k, "font-size": 5 * k },
          Math.abs(lat) + "°" + (lat > 0 ? "N" : lat < 0 ? "S" : "")));
      }
    }
    root.appendChild(grat);
    const r = 3.2 * k;
    for (const p of points.sort((a, b) => b.events.length - a.events.length)) {
      const first = p.events[0];
      const sel = p.events.some((e) => e.event_id === state.selected);
      const g = svg("g", {
        class: "point" + (sel ? " selected" : ""), "data-event-id": first.event_id, tabindex: 0, role: "button",
        "data-events": p.events.map((e) => e.event_id).join(" "),
        transform: "translate(" + (p.lon + 180).toFixed(3) + "," + (90 - p.lat).toFixed(3) + ")",
        onclick: () => selectEvent(nextAt(p.events)),
        onkeydown: (ev) => { if (ev.key === "Enter") selectEvent(nextAt(p.events)); },
      }, title(p.name + " (" + p.lat.toFixed(2) + ", " + p.lon.toFixed(2) + ")\n" +
        p.events.map((e) => e.date + " " + e.type + " · " + e.modality).join("\n")));
      g.appendChild(svg("circle", { r: r * Math.min(2, 1 + Math.log2(p.events.length) * 0.35), fill: color(first.type),
        "vector-effect": "non-scaling-stroke" }));
      g.appendChild(svg("text", { x: r * 1.6, y: r * 0.5, "font-size": 7 * k, "stroke-width": 2.4 * k },
        p.name + (p.events.length > 1 ? " (" + p.events.length + ")" : "")));
      root.appendChild(g);
    }
    box.appendChild(root);
    if (!points.length) box.appendChild(el("p", { class: "empty", text: "No located events." }));
    $("map-zoom").textContent = state.mapWorld ? "fit events" : "world";
  }

  /** Clicking a place again walks through its events. */
  function nextAt(events) {
    const i = events.findIndex((e) => e.event_id === state.selected);
    return events[(i + 1) % events.length].event_id;
  }

  // ------------------------------------------------------------------ network

  function layout(nodes, edges, W, H) {
    const n = nodes.length;
    const pos = nodes.map((_, i) => {
      const a = 2 * Math.PI * i / Math.max(1, n);
      return { x: W / 2 + Math.cos(a) * W * 0.33, y: H / 2 + Math.sin(a) * H * 0.33, dx: 0, dy: 0 };
    });
    if (n < 3) return pos;
    const index = new Map(nodes.map((nd, i) => [nd.id, i]));
    const links = edges.map((e) => [index.get(e.source), index.get(e.target)]).filter(([a, b]) => a !== undefined && b !== undefined);
    const kk = Math.sqrt((W * H) / n) * 0.45;
    let temp = W / 10;
    for (let it = 0; it < 300; it++) {
      for (const p of pos) { p.dx = 0; p.dy = 0; }
      for (let i = 0; i < n; i++) {
        for (let j = i + 1; j < n; j++) {
          let dx = pos[i].x - pos[j].x, dy = pos[i].y - pos[j].y;
          let d2 = dx * dx + dy * dy;
          if (d2 < 0.01) { dx = 0.1 * (i - j); dy = 0.1; d2 = 0.02; }
          const f = kk * kk / d2;
          pos[i].dx += dx * f; pos[i].dy += dy * f; pos[j].dx -= dx * f; pos[j].dy -= dy * f;
        }
      }
      for (const [a, b] of links) {
        const dx = pos[a].x - pos[b].x, dy = pos[a].y - pos[b].y;
        const d = Math.sqrt(dx * dx + dy * dy) || 0.01;
        const f = d / kk;
        pos[a].dx -= dx * f; pos[a].dy -= dy * f; pos[b].dx += dx * f; pos[b].dy += dy * f;
      }
      for (const p of pos) {
        // gravity keeps unconnected parts of the graph near the middle
        const gx = W / 2 - p.x, gy = H / 2 - p.y, gd = Math.sqrt(gx * gx + gy * gy);
        p.dx += gx * gd / kk * 0.35; p.dy += gy * gd / kk * 0.35;
        const d = Math.sqrt(p.dx * p.dx + p.dy * p.dy) || 1;
        p.x += p.dx / d * Math.min(d, temp); p.y += p.dy / d * Math.min(d, temp);
      }
      temp *= 0.985;
    }
    // fit the drawing into the box, leaving room for labels
    const mx = 70, my = 30;
    const xs = pos.map((p) => p.x), ys = pos.map((p) => p.y);
    const minX = Math.min(...xs), maxX = Math.max(...xs), minY = Math.min(...ys), maxY = Math.max(...ys);
    const sc = Math.min((W - 2 * mx) / Math.max(1, maxX - minX), (H - 2 * my) / Math.max(1, maxY - minY), 1.5);
    for (const p of pos) {
      p.x = W / 2 + (p.x - (minX + maxX) / 2) * sc;
      p.y = H / 2 + (p.y - (minY + maxY) / 2) * sc;
    }
    return pos;
  }

  function renderNetwork(net) {
    const box = clear($("network"));
    let nodes = net.nodes || [], edges = net.edges || [];
    if (!nodes.length) { box.appendChild(el("p", { class: "empty", text: "No actors." })); return; }
    const MAX_NODES = 120; // the layout is quadratic, and a hairball says nothing
    if (nodes.length > MAX_NODES) {
      box.appendChild(el("p", { class: "hint", text: "Showing the " + MAX_NODES + " most active of " + nodes.length +
        " nodes; filter by type, modality or country to see the rest." }));
      nodes = nodes.slice(0, MAX_NODES);
      const keep = new Set(nodes.map((n) => n.id));
      edges = edges.filter((e) => keep.has(e.source) && keep.has(e.target));
    }
    const W = 600, H = 380;
    const pos = layout(nodes, edges, W, H);
    const at = new Map(nodes.map((nd, i) => [nd.id, pos[i]]));
    const root = svg("svg", { viewBox: "0 0 " + W + " " + H, role: "img", "aria-label": "Actor network" });
    const defs = svg("defs");
    for (const t of new Set(edges.map((e) => Object.keys(e.types)[0]))) {
      defs.appendChild(svg("marker", { id: "arrow-" + t.replace(/[^A-Za-z]/g, ""), viewBox: "0 0 10 10", refX: 9, refY: 5,
        markerWidth: 11, markerHeight: 11, markerUnits: "userSpaceOnUse", orient: "auto-start-reverse" },
      svg("path", { d: "M0 0L10 5L0 10z", fill: color(t) })));
    }
    root.appendChild(defs);
    const radius = (nd) => 6 + Math.sqrt(nd.n_events) * 3;
    const rOf = new Map(nodes.map((nd) => [nd.id, radius(nd)]));
    const pairs = new Set(edges.map((e) => e.source + "\u0000" + e.target));
    const edgeLayer = svg("g"), nodeLayer = svg("g"), labelLayer = svg("g");
    for (const e of edges) {
      const a = at.get(e.source), b = at.get(e.target);
      if (!a || !b) continue;
      const main = Object.keys(e.types)[0];
      const dx = b.x - a.x, dy = b.y - a.y, d = Math.sqrt(dx * dx + dy * dy) || 1;
      const back = pairs.has(e.target + "\u0000" + e.source);
      const bend = back ? 0.18 * d : 0;
      const mx = (a.x + b.x) / 2 - dy / d * bend, my = (a.y + b.y) / 2 + dx / d * bend;
      // stop the arrow at the target circle's rim
      const ex = b.x - (b.x - mx) / (Math.hypot(b.x - mx, b.y - my) || 1) * (rOf.get(e.target) + 2);
      const ey = b.y - (b.y - my) / (Math.hypot(b.x - mx, b.y - my) || 1) * (rOf.get(e.target) + 2);
      const typesText = Object.entries(e.types).map(([t, c]) => t + " " + c).join(", ");
      const modText = Object.entries(e.modalities || {}).map(([m, c]) => m + " " + c).join(", ");
      const path = svg("path", {
        class: "edge", d: "M" + a.x.toFixed(1) + " " + a.y.toFixed(1) + "Q" + mx.toFixed(1) + " " + my.toFixed(1) + " " + ex.toFixed(1) + " " + ey.toFixed(1),
        stroke: color(main), "stroke-width": (1.6 + Math.log2(e.count) * 1.6).toFixed(2),
        "marker-end": "url(#arrow-" + main.replace(/[^A-Za-z]/g, "") + ")",
        "data-source": e.source, "data-target": e.target, "data-events": (e.events || []).join(" "),
        onclick: () => { if (e.events && e.events.length) selectEvent(e.events[0]); },
      }, title(labelOf(nodes, e.source) + " → " + labelOf(nodes, e.target) + ": " + e.count + " events\n" + typesText + "\n" + modText));
      if (Object.keys(e.modalities || {}).every((m) => m === "planned" || m === "negated" || m === "hypothetical")) {
        path.setAttribute("stroke-dasharray", "5 4");
      }
      // a wide invisible twin makes thin edges easy to hit
      const hit = svg("path", { class: "edge-hit", d: path.getAttribute("d"), stroke: "transparent", "stroke-width": 12,
        fill: "none", "pointer-events": "stroke", onclick: () => { if (e.events && e.events.length) selectEvent(e.events[0]); } },
      title(path.querySelector("title").textContent));
      edgeLayer.appendChild(hit);
      edgeLayer.appendChild(path);
    }
    nodes.forEach((nd, i) => {
      const p = pos[i];
      const main = Object.keys(nd.types)[0];
      const g = svg("g", { class: "node", transform: "translate(" + p.x.toFixed(1) + "," + p.y.toFixed(1) + ")",
        "data-node": nd.id, tabindex: 0, onclick: () => focusNode(root, nd.id) },
      title(nd.label + (nd.country ? " [" + nd.country + "]" : "") + (nd.agent ? " " + nd.agent : "") + "\n" + nd.n_events +
        " events: " + Object.entries(nd.types).map(([t, c]) => t + " " + c).join(", ")),
      svg("circle", { r: radius(nd), fill: color(main) }));
      nodeLayer.appendChild(g);
      // labels go under the edges so arrowheads stay visible
      labelLayer.appendChild(svg("text", { class: "node-label", x: p.x.toFixed(1), y: (p.y + radius(nd) + 12).toFixed(1),
        "text-anchor": "middle" }, nd.label));
    });
    root.appendChild(labelLayer);
    root.appendChild(edgeLayer);
    root.appendChild(nodeLayer);
    box.appendChild(root);
  }

  function labelOf(nodes, id) { const n = nodes.find((x) => x.id === id); return n ? n.label : id; }

  /** Clicking a node dims everything not connected to it; clicking it again clears. */
  function focusNode(root, id) {
    const on = root.getAttribute("data-focus") !== id;
    root.classList.toggle("focus", on);
    if (on) root.setAttribute("data-focus", id); else root.removeAttribute("data-focus");
    const linked = new Set([id]);
    for (const p of root.querySelectorAll(".edge")) {
      const hit = p.getAttribute("data-source") === id || p.getAttribute("data-target") === id;
      p.classList.toggle("dim", on && !hit);
      if (hit) { linked.add(p.getAttribute("data-source")); linked.add(p.getAttribute("data-target")); }
    }
    for (const g of root.querySelectorAll(".node")) g.classList.toggle("dim", on && !linked.has(g.getAttribute("data-node")));
  }

  // ------------------------------------------------------------------ detail

  function resetDetail() {
    const d = clear($("detail"));
    d.appendChild(el("h3", { text: "Source" }));
    d.appendChild(el("p", { class: "hint", text: "Click an event on the timeline, the map, the network or the list to read it in its document." }));
  }

  function markSelected() {
    for (const n of document.querySelectorAll("#timeline .ev")) n.classList.toggle("selected", n.getAttribute("data-event-id") === state.selected);
    for (const n of document.querySelectorAll("#event-list li")) n.classList.toggle("selected", n.getAttribute("data-event-id") === state.selected);
    for (const n of document.querySelectorAll("#map .point")) {
      n.classList.toggle("selected", (n.getAttribute("data-events") || "").split(" ").includes(state.selected));
    }
  }

  async function selectEvent(eventId) {
    state.selected = eventId;
    writeHash();
    markSelected();
    const box = clear($("detail"));
    box.appendChild(el("h3", { text: "Source" }));
    let e, doc;
    try {
      e = await api("/api/events/" + encodeURIComponent(eventId));
      doc = await api(e.doc && e.doc.href ? e.doc.href : "/api/docs/" + encodeURIComponent(e.doc_id));
    } catch (err) {
      box.appendChild(el("p", { class: "empty", text: "Could not load event: " + err.message }));
      return;
    }
    if (state.selected !== eventId) return; // a later click won
    box.appendChild(el("div", { class: "ev-head" }, typeChip(e.type), " ", e.mode ? el("span", { text: e.mode + " " }) : null,
      modChip(e.modality), " ", el("strong", { text: e.date ? e.date + (e.date_end ? " – " + e.date_end : "") : "undated" }),
      e.date_text ? el("span", { class: "hint", text: " (“" + e.date_text + "”, " + (e.date_precision || "?") + ")" }) : null));
    const why = whyLine(e, "p");
    if (why) box.appendChild(why);
    const rows = [
      ["who", actorName(e.source) + " → " + actorName(e.target)],
      ["where", e.location && e.location.name ? e.location.name + (e.location.country ? ", " + e.location.country : "") +
        (e.location.lat !== null && e.location.lat !== undefined ? " (" + (+e.location.lat).toFixed(2) + ", " + (+e.location.lon).toFixed(2) + ")" : "") : "—"],
      ["modality", MOD_TEXT[e.modality] || e.modality],
      ["according to", e.attribution || "—"],
      ["CAMEO", e.cameo || "—"],
      ["confidence", e.confidence === null || e.confidence === undefined ? "—" : (+e.confidence).toFixed(2)],
    ];
    if (e.quantities && e.quantities.length) rows.push(["quantities", e.quantities.map((q) => q.text).join("; ")]);
    rows.push(["event id", e.event_id + (e.event_cluster ? " · cluster " + e.event_cluster : "")]);
    const dl = el("dl");
    for (const [k, v] of rows) { dl.appendChild(el("dt", { text: k })); dl.appendChild(el("dd", { text: v })); }
    box.appendChild(dl);

    const url = safeUrl(doc.url);
    box.appendChild(el("div", { class: "doc-head" },
      el("strong", { class: "doc-title", text: doc.title || doc.doc_id }),
      el("span", { class: "hint", text: (doc.published || "no date") + (doc.published_inferred ? " (inferred)" : "") }),
      url ? el("a", { href: url, target: "_blank", rel: "noopener noreferrer nofollow", class: "doc-link", text: "open source ↗" })
        : el("span", { class: "hint", text: doc.url ? "source link not shown (not http/https): " + doc.url : "no URL" })));
    box.appendChild(docText(doc.text || "", e));
    if (e.modality_history && e.modality_history.length) {
      // how the reports told it, in the order they came out: planned → asserted → negated
      box.appendChild(el("p", { text: "As the reports told it:" }));
      const ol = el("ol", { class: "history" });
      for (const h of e.modality_history) {
        ol.appendChild(el("li", {}, modChip(h.modality), " ",
          el("button", { type: "button", onclick: () => selectEvent(h.event_id) },
            (h.reported || "undated") + " — " + (h.doc_title || h.doc_id))));
      }
      box.appendChild(ol);
    }
    const others = e.also_reported_in || [];  // other documents only, never this one
    if (others.length) {
      box.appendChild(el("p", { text: "Also reported in:" }));
      const ul = el("ul", { class: "same" });
      for (const s of others) {
        ul.appendChild(el("li", {}, el("button", { type: "button", onclick: () => selectEvent(s.event_id) },
          (s.title || s.doc_id) + " — " + (s.date || "undated") + " · " + s.modality)));
      }
      box.appendChild(ul);
    }
    const mark = box.querySelector("mark");
    if (mark) {
      const container = box.querySelector(".doc-text");
      container.scrollTop = Math.max(0, mark.offsetTop - container.offsetTop - 40);
    }
  }

  /** The document text with the event's span highlighted (text nodes only). */
  function docText(text, e) {
    let start = e.start, end = e.end;
    const valid = Number.isInteger(start) && Number.isInteger(end) && start >= 0 && end > start && end <= text.length;
    if ((!valid || (e.sentence && text.slice(start, end) !== e.sentence)) && e.sentence) {
      const i = text.indexOf(e.sentence);
      if (i >= 0) { start = i; end = i + e.sentence.length; }
    }
    const div = el("div", { class: "doc-text" });
    if (Number.isInteger(start) && Number.isInteger(end) && start >= 0 && end > start && end <= text.length) {
      div.appendChild(document.createTextNode(text.slice(0, start)));
      div.appendChild(el("mark", { "data-start": start, "data-end": end, text: text.slice(start, end) }));
      div.appendChild(document.createTextNode(text.slice(end)));
    } else {
      div.appendChild(document.createTextNode(text));
      if (e.sentence) div.appendChild(el("p", {}, "Sentence: ", el("mark", { text: e.sentence })));
    }
    return div;
  }

  async function showFailures() {
    const box = clear($("detail"));
    box.appendChild(el("h3", { text: "Documents that could not be processed" }));
    try {
      const rows = (await api("/api/failures")).failures;
      const table = el("table", {}, el("tr", {}, el("th", { text: "document" }), el("th", { text: "stage" }),
        el("th", { text: "error" }), el("th", { text: "message" })));
      for (const f of rows) {
        table.appendChild(el("tr", {}, el("td", { text: f.doc }), el("td", { text: f.stage }),
          el("td", { text: f.error }), el("td", { text: f.message })));
      }
      box.appendChild(table);
      box.scrollIntoView({ block: "nearest" });
    } catch (err) {
      box.appendChild(el("p", { class: "empty", text: err.message }));
    }
  }

  // ------------------------------------------------------------------ start

  function setupFilters() {
    const ft = $("f-type"), fm = $("f-modality");
    for (const t of TYPES) ft.appendChild(el("option", { value: t, text: t }));
    for (const m of MODALITIES) fm.appendChild(el("option", { value: m, text: m }));
    const apply = () => {
      state.filters = { type: ft.value, modality: fm.value, country: $("f-country").value.trim().toUpperCase() };
      loadView();
    };
    ft.addEventListener("change", apply);
    fm.addEventListener("change", apply);
    $("f-country").addEventListener("change", apply);
    $("filters").addEventListener("submit", (ev) => { ev.preventDefault(); apply(); });
    $("f-clear").addEventListener("click", () => { ft.value = ""; fm.value = ""; $("f-country").value = ""; apply(); });
    $("story-search").addEventListener("input", renderStories);
    $("show-failures").addEventListener("click", showFailures);
    $("home").addEventListener("click", (ev) => { ev.preventDefault(); selectStory(null); });
    $("map-zoom").addEventListener("click", () => { state.mapWorld = !state.mapWorld; renderMap(state.events); });
    for (const r of document.querySelectorAll("input[name=level]")) {
      r.addEventListener("change", () => { state.level = r.value; loadView(); });
    }
  }

  // ------------------------------------------------------------------ live updates

  /** Say how fresh the data is ("as of 14:02:11 · ingest running, up to 3 s behind"). */
  function showFreshness(d) {
    if (!d || !d.as_of) { $("freshness").textContent = ""; return; }
    const at = new Date(d.as_of);
    let text = "data as of " + at.toLocaleTimeString();
    if (d.ingest_running) text += " · ingest running, up to " + Math.round(d.age_seconds) + " s behind";
    $("freshness").textContent = text;
  }

  /** Poll /api/updates; when the store has a new generation, reload the lists and the view in place. */
  const POLL_MS = 5000;
  async function poll() {
    try {
      const u = await api("/api/updates", { since: state.generation || "" });
      showFreshness(u);
      if (u.changed && state.generation !== undefined) {
        state.generation = u.generation;
        await Promise.all([loadCounts(), loadStories()]);
        await loadView();
      } else {
        state.generation = u.generation;
      }
    } catch (e) { /* the next poll tries again */ }
    setTimeout(poll, POLL_MS);
  }

  async function start() {
    setupFilters();
    loadCounts();
    await Promise.all([loadStories(), loadWorld()]);
    const h = readHash();
    // no hash: the largest story; "#story=" (empty): all events; an unknown story: all events
    const storyId = h.hasStory ? (state.stories.some((s) => s.story_id === h.story) ? h.story : null)
      : (state.stories[0] ? state.stories[0].story_id : null);
    await selectStory(storyId, h.event);
    document.body.setAttribute("data-ready", "true");
    poll();
  }

  /** A link or typed URL that changes only the hash (no reload) still moves the view. */
  function onHashChange() {
    const h = readHash();
    const storyId = h.hasStory && state.stories.some((s) => s.story_id === h.story) ? h.story : null;
    if (storyId !== state.story) selectStory(storyId, h.event);
    else if (h.event && h.event !== state.selected) selectEvent(h.event);
  }

  document.addEventListener("DOMContentLoaded", start);
  window.addEventListener("hashchange", onHashChange);
})();
