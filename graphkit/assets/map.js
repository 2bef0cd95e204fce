/* graphkit map: draws the embedded graph with sigma.js (WebGL) and wires the search, filters,
 * legend, label layer, list, tooltip and details panel.  Every piece of paper data reaches the
 * page through textContent / createTextNode / canvas fillText only, never as HTML. */
(function () {
  "use strict";

  var D = JSON.parse(document.getElementById("gk-data").textContent);
  var N = D.nodes, E = D.edges;
  var nNodes = N.id.length, nEdges = E.s.length;
  // Abstracts, authors and evidence: deflated JSON in base64 (a third of its size), unpacked
  // with the browser's DecompressionStream when the reader first looks (see loadDetails).
  var NO_DETAILS = { nodes: [], edges: [] };
  var details = null, detailsPromise = null;
  function getDetails() { return details || NO_DETAILS; }
  function base64Bytes(text) {
    if (Uint8Array.fromBase64) return Uint8Array.fromBase64(text);
    var bin = atob(text), out = new Uint8Array(bin.length);
    for (var i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
    return out;
  }
  function loadDetails() {
    if (detailsPromise) return detailsPromise;
    var block = document.getElementById("gk-details");
    detailsPromise = Promise.resolve().then(function () {
      if (typeof DecompressionStream === "undefined") throw new Error("this browser has no DecompressionStream");
      var bytes = base64Bytes(block.textContent.trim());
      var stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("deflate"));
      return new Response(stream).text();
    }).then(function (text) {
      details = JSON.parse(text);
      state.detailsReady = true;
      return details;
    }).catch(function (err) {
      details = NO_DETAILS;
      state.detailsReady = true;
      state.detailsError = String(err && err.message || err);
      if (window.console) console.warn("graphkit: details not readable: " + state.detailsError);
      return details;
    });
    return detailsPromise;
  }

  // ---- small helpers (text only) -------------------------------------------------------------
  function $(id) { return document.getElementById(id); }
  function el(tag, cls, text) {
    var x = document.createElement(tag);
    if (cls) x.className = cls;
    if (text !== undefined && text !== null) x.appendChild(document.createTextNode(String(text)));
    return x;
  }
  function clear(x) { while (x.firstChild) x.removeChild(x.firstChild); }
  function clip(s, n) { s = String(s || ""); return s.length > n ? s.slice(0, n - 1) + "…" : s; }
  function list(s) { return String(s || "").split("; ").filter(function (x) { return x; }); }
  function fmt(x, d) { return typeof x === "number" ? x.toFixed(d) : ""; }
  function num(x) { return x.toLocaleString("en-US"); }
  function safeUrl(u) {
    try {
      var p = new URL(String(u));
      return p.protocol === "http:" || p.protocol === "https:" ? p.href : null;
    } catch (err) { return null; }
  }
  var idIndex = new Map();
  for (var i0 = 0; i0 < nNodes; i0++) idIndex.set(N.id[i0], i0);
  // Method (kind 1) and reference (kind 2) nodes follow their papers in every filter.
  var KIND_NAMES = ["paper", "method", "reference"];
  var isMethod = function (i) { return N.kind[i] !== 0; };
  var commById = new Map();
  D.communities.forEach(function (c, rank) { c.rank = rank; commById.set(c.id, c); });

  // ---- adjacency (every link, drawn or not) as CSR arrays ------------------------------------
  var deg = new Int32Array(nNodes + 1);
  for (var e0 = 0; e0 < nEdges; e0++) { deg[E.s[e0] + 1]++; deg[E.t[e0] + 1]++; }
  for (var k0 = 0; k0 < nNodes; k0++) deg[k0 + 1] += deg[k0];
  var adjStart = deg, adjEdges = new Int32Array(2 * nEdges), fill = adjStart.slice(0, nNodes);
  for (var e1 = 0; e1 < nEdges; e1++) { adjEdges[fill[E.s[e1]]++] = e1; adjEdges[fill[E.t[e1]]++] = e1; }
  function forEachLink(i, f) { for (var p = adjStart[i]; p < adjStart[i + 1]; p++) f(adjEdges[p]); }
  function other(e, i) { return E.s[e] === i ? E.t[e] : E.s[e]; }

  // ---- edge kinds -------------------------------------------------------------------------
  var KINDS = D.kinds; // [{id, label, color, directed, count}], bit i = 1 << i
  var kindBit = {};
  KINDS.forEach(function (k, i) { kindBit[k.id] = 1 << i; k.bit = 1 << i; });
  // A link of several kinds is drawn as its first visible kind in this order: directed first.
  var kindOrder = KINDS.filter(function (k) { return k.directed; }).concat(KINDS.filter(function (k) { return !k.directed; }));
  function kindsOf(e) { return KINDS.filter(function (k) { return E.k[e] & k.bit; }); }

  // ---- state and filters ------------------------------------------------------------------
  var months = Array.from(new Set(N.month.map(function (m, i) { return m || (N.year[i] ? N.year[i] * 100 : 0); }).filter(Boolean))).sort(function (a, b) { return a - b; });
  var state = {
    hiddenKinds: 0, hiddenCommunities: new Set(), hiddenNodeKinds: new Set(),
    minWeight: -Infinity, dateMin: months.length ? months[0] : null, dateMax: months.length ? months[months.length - 1] : null,
    dateUnknown: true, colorBy: "community", focus: null, highlighted: [], matches: null, query: "",
    sort: "score", labels: [], communityLabels: [], ready: false, webgl: true, level: 9,
  };
  var visible = new Uint8Array(nNodes); // passes the filters (drawn or not)
  function dateKey(i) { return N.month[i] || (N.year[i] ? N.year[i] * 100 : 0); }
  function paperPasses(i) {
    if (state.hiddenNodeKinds.has("paper")) return false;
    if (state.hiddenCommunities.has(N.community[i])) return false;
    if (state.dateMin === null) return true;
    var m = dateKey(i);
    if (!m) return state.dateUnknown;
    if (m % 100 === 0) { // year only: passes when its year overlaps the range
      var y = m / 100;
      return y >= Math.floor(state.dateMin / 100) && y <= Math.floor(state.dateMax / 100);
    }
    return m >= state.dateMin && m <= state.dateMax;
  }
  function computeVisible() {
    for (var i = 0; i < nNodes; i++) visible[i] = isMethod(i) ? 0 : (paperPasses(i) ? 1 : 0);
    // Method and reference nodes follow their papers: shown while one of their papers is.
    {
      for (var j = 0; j < nNodes; j++) {
        if (!isMethod(j) || state.hiddenNodeKinds.has(KIND_NAMES[N.kind[j]])) continue;
        for (var p = adjStart[j]; p < adjStart[j + 1]; p++) {
          var o = other(adjEdges[p], j);
          if (!isMethod(o) && visible[o]) { visible[j] = 1; break; }
        }
      }
    }
  }
  function edgeKindShown(e) {
    var m = E.k[e] & ~state.hiddenKinds;
    if (!m) return null;
    for (var i = 0; i < kindOrder.length; i++) if (m & kindOrder[i].bit) return kindOrder[i];
    return null;
  }
  function edgePasses(e) {
    return visible[E.s[e]] === 1 && visible[E.t[e]] === 1 && E.w[e] >= state.minWeight && edgeKindShown(e) !== null;
  }

  // ---- the graph sigma draws: drawn nodes and drawn links only ------------------------------
  var drawnCount = 0;
  for (var d0 = 0; d0 < nNodes; d0++) drawnCount += N.drawn[d0];
  function nodeRadius(i) { // keep in step with page.py _screen_radius
    var lo = 2.5, hi = 14;
    if (drawnCount > 10000) { lo = 0.8; hi = 6; } else if (drawnCount > 1000) { lo = 1.2; hi = 9; }
    return lo + (hi - lo) * (N.size[i] - 6) / 34;
  }
  var maxW = 0;
  for (var w0 = 0; w0 < nEdges; w0++) if (E.w[w0] > maxW) maxW = E.w[w0];
  var graph = new graphology.Graph({ type: "directed", multi: false, allowSelfLoops: false });
  for (var i1 = 0; i1 < nNodes; i1++) {
    if (!N.drawn[i1]) continue;
    graph.addNode(N.id[i1], { x: N.x[i1], y: -N.y[i1], size: nodeRadius(i1), color: N.color[i1], i: i1, label: null });
  }
  var drawnEdgeCount = 0;
  for (var e2 = 0; e2 < nEdges; e2++) {
    if (E.level[e2] < 0) continue;
    var a = N.id[E.s[e2]], b = N.id[E.t[e2]];
    if (E.dir[e2] === 2) { var t = a; a = b; b = t; }
    var key = "e" + e2;
    graph.addDirectedEdgeWithKey(key, a, b, { i: e2, size: 0.3 + 1.6 * Math.sqrt(maxW > 0 ? Math.max(E.w[e2], 0) / maxW : 0) });
    drawnEdgeCount++;
  }
  // The strongest links at the overview, weaker ones as you zoom in (all of them in small maps).
  var ALL_LEVELS = drawnEdgeCount <= 6000;
  function levelFor(ratio) {
    if (ALL_LEVELS) return 9;
    return ratio > 0.7 ? 0 : ratio > 0.35 ? 1 : ratio > 0.15 ? 2 : 9;
  }

  // ---- colours ----------------------------------------------------------------------------
  var RAMP = ["#440154", "#3b528b", "#21918c", "#5ec962", "#fde725"]; // viridis stops
  function hex(c) { return [parseInt(c.slice(1, 3), 16), parseInt(c.slice(3, 5), 16), parseInt(c.slice(5, 7), 16)]; }
  var RAMP_RGB = RAMP.map(hex);
  function ramp(f) {
    f = Math.max(0, Math.min(1, f)) * (RAMP_RGB.length - 1);
    var k = Math.min(RAMP_RGB.length - 2, Math.floor(f)), u = f - k, A = RAMP_RGB[k], B = RAMP_RGB[k + 1];
    return "rgb(" + [0, 1, 2].map(function (j) { return Math.round(A[j] + (B[j] - A[j]) * u); }).join(",") + ")";
  }
  var maxCited = 0;
  for (var c0 = 0; c0 < nNodes; c0++) if (N.cited[c0] > maxCited) maxCited = N.cited[c0];
  function monthOrdinal(m) { return m ? Math.floor(m / 100) * 12 + (m % 100 || 6) : 0; }
  var mLo = months.length ? monthOrdinal(months[0]) : 0, mHi = months.length ? monthOrdinal(months[months.length - 1]) : 0;
  function nodeColor(i) {
    if (isMethod(i)) return N.color[i];
    if (state.colorBy === "year") {
      var m = dateKey(i);
      return m ? ramp(mHi > mLo ? (monthOrdinal(m) - mLo) / (mHi - mLo) : 1) : "#cccccc";
    }
    if (state.colorBy === "cited") return maxCited ? ramp(Math.log1p(N.cited[i]) / Math.log1p(maxCited)) : ramp(0);
    return N.color[i];
  }
  function rgba(c, a) { var x = hex(c); return "rgba(" + x[0] + "," + x[1] + "," + x[2] + "," + a + ")"; }
  var kindColor = {};
  KINDS.forEach(function (k) { kindColor[k.id] = { normal: rgba(k.color, 0.6), cross: rgba(k.color, 0.3), strong: rgba(k.color, 0.95) }; });

  // ---- focus / search highlight sets ----------------------------------------------------------
  // Search matches and the focused paper's neighbourhood are not drawn by sigma: the label
  // layer veils the map and draws them on top (drawHighlights), so a keystroke or a click costs
  // work in proportion to what it highlights, not a refresh of every node and link.
  var focusSet = null, focusEdges = null, matchSet = null;
  function nodeReducer(key, attr) {
    var i = attr.i, res = { x: attr.x, y: attr.y, size: attr.size, color: nodeColor(i), label: null, i: i };
    if (!visible[i]) { res.hidden = true; return res; }
    if (isMethod(i)) res.size = Math.max(2, res.size * 0.85);
    return res;
  }
  function edgeReducer(key, attr) {
    var e = attr.i, res = { size: attr.size, i: e };
    if (!edgePasses(e) || E.level[e] > state.level) { res.hidden = true; return res; }
    var k = edgeKindShown(e);
    var cross = N.community[E.s[e]] !== N.community[E.t[e]];
    res.color = cross ? kindColor[k.id].cross : kindColor[k.id].normal;
    res.type = edgeType(e, k);
    return res;
  }
  function edgeType(e, k) { return k.directed && E.dir[e] && E.dir[e] !== 3 ? "arrow" : k.dashed && Dashed ? "dashed" : "line"; }

  // ---- sigma ------------------------------------------------------------------------------
  // Dashed links: sigma's rectangle edge program with a varying along the edge; fragments in
  // every other ~5 px stretch are dropped.  Falls back to plain lines if sigma's shader changes.
  function dashedProgram() {
    var Base = Sigma.rendering && Sigma.rendering.EdgeRectangleProgram;
    if (!Base) return null;
    var def = Base.prototype.getDefinition.call(Object.create(Base.prototype));
    var vs = def.VERTEX_SHADER_SOURCE, fs = def.FRAGMENT_SHADER_SOURCE;
    if (vs.indexOf("a_positionCoef") < 0 || vs.indexOf("varying vec4 v_color;") < 0 || fs.indexOf("void main(void) {") < 0) return null;
    vs = vs.replace("varying vec4 v_color;", "varying vec4 v_color;\nvarying float v_along;");
    var end = vs.lastIndexOf("}");
    vs = vs.slice(0, end) + "  v_along = a_positionCoef * length((u_matrix * vec3(a_positionEnd, 1.0)).xy - (u_matrix * vec3(a_positionStart, 1.0)).xy) * 450.0;\n" + vs.slice(end);
    fs = fs.replace("varying vec4 v_color;", "varying vec4 v_color;\nvarying float v_along;");
    fs = fs.replace("void main(void) {", "void main(void) {\n  #ifndef PICKING_MODE\n  if (fract(v_along / 10.0) > 0.55) discard;\n  #endif");
    var Dashed = function () { return Reflect.construct(Base, arguments, Dashed); };
    Dashed.prototype = Object.create(Base.prototype);
    Dashed.prototype.constructor = Dashed;
    Object.setPrototypeOf(Dashed, Base);
    Dashed.prototype.getDefinition = function () {
      return Object.assign({}, Base.prototype.getDefinition.call(this), { VERTEX_SHADER_SOURCE: vs, FRAGMENT_SHADER_SOURCE: fs });
    };
    return Dashed;
  }
  var Dashed = null;
  try { Dashed = dashedProgram(); } catch (err) { Dashed = null; }
  var container = $("gk-network");
  var renderer = null;
  try {
    renderer = new Sigma(graph, container, {
      edgeProgramClasses: Dashed ? { dashed: Dashed } : {},
      renderLabels: false, renderEdgeLabels: false, enableEdgeEvents: drawnEdgeCount <= 20000,
      defaultEdgeType: "line", zIndex: false, enableCameraRotation: false,
      nodeReducer: nodeReducer, edgeReducer: edgeReducer, minCameraRatio: 0.01, maxCameraRatio: 4,
      minEdgeThickness: 0.6, stagePadding: 24, hideEdgesOnMove: drawnEdgeCount > 5000,
    });
  } catch (err) {
    state.webgl = false;
    $("gk-nogl").hidden = false;
    if (window.console) console.warn("graphkit: no WebGL map: " + err.message);
  }
  var camera = renderer ? renderer.getCamera() : null;
  state.level = levelFor(1);
  function refresh() { if (renderer) renderer.refresh({ skipIndexation: true }); else drawLabels(); }

  // ---- label layer: topic names and paper labels, never overlapping --------------------------
  var labelCanvas = $("gk-labels"), lctx = labelCanvas.getContext("2d");
  var FONT = "system-ui, -apple-system, Segoe UI, Roboto, Arial, sans-serif";
  var bySize = []; // drawn nodes, largest first
  for (var s0 = 0; s0 < nNodes; s0++) if (N.drawn[s0]) bySize.push(s0);
  bySize.sort(function (a, b) { return N.size[b] - N.size[a] || (N.id[a] < N.id[b] ? -1 : 1); });
  var maxComm = D.communities.reduce(function (m, c) { return Math.max(m, c.shown); }, 1);
  var MAX_PAPER_LABELS = 60, MAX_SCANNED = 6000;
  function viewport(i) { return renderer.graphToViewport({ x: N.x[i], y: -N.y[i] }); }
  function boxFree(boxes, bx) {
    for (var j = 0; j < boxes.length; j++) {
      var o = boxes[j];
      if (bx[0] < o[2] && o[0] < bx[2] && bx[1] < o[3] && o[1] < bx[3]) return false;
    }
    return true;
  }
  var VEIL = "rgba(255,255,255,0.8)", MAX_MATCH_LINKS = 20000;
  function onScreen(p, w, h, m) { return p.x >= -m && p.y >= -m && p.x <= w + m && p.y <= h + m; }
  function highlightLink(e, w, h) {
    var k = edgeKindShown(e);
    if (!k || !N.drawn[E.s[e]] || !N.drawn[E.t[e]]) return;
    var a = E.s[e], b = E.t[e], type = edgeType(e, k);
    if (E.dir[e] === 2) { var t = a; a = b; b = t; }
    var p = viewport(a), q = viewport(b);
    if (!onScreen(p, w, h, 4000) && !onScreen(q, w, h, 4000)) return;
    lctx.strokeStyle = focusSet ? kindColor[k.id].strong : kindColor[k.id].normal;
    lctx.lineWidth = 0.9 + 1.6 * Math.sqrt(maxW > 0 ? Math.max(E.w[e], 0) / maxW : 0);
    lctx.setLineDash(type === "dashed" ? [5, 4] : []);
    lctx.beginPath();
    lctx.moveTo(p.x, p.y);
    lctx.lineTo(q.x, q.y);
    lctx.stroke();
    if (type !== "arrow") return;
    var dx = q.x - p.x, dy = q.y - p.y, len = Math.sqrt(dx * dx + dy * dy);
    if (len < 1) return;
    var ux = dx / len, uy = dy / len, r = renderer.scaleSize(nodeRadius(b)) + 1, hx = q.x - ux * r, hy = q.y - uy * r, s = 7;
    lctx.setLineDash([]);
    lctx.fillStyle = lctx.strokeStyle;
    lctx.beginPath();
    lctx.moveTo(hx, hy);
    lctx.lineTo(hx - ux * s - uy * s * 0.5, hy - uy * s + ux * s * 0.5);
    lctx.lineTo(hx - ux * s + uy * s * 0.5, hy - uy * s - ux * s * 0.5);
    lctx.closePath();
    lctx.fill();
  }
  // The map veiled, then the highlighted links and nodes on top (the focused paper last).
  function drawHighlights(w, h) {
    lctx.fillStyle = VEIL;
    lctx.fillRect(0, 0, w, h);
    var set = focusSet || matchSet, n = 0;
    if (focusSet) focusEdges.forEach(function (e) { highlightLink(e, w, h); });
    else {
      // Links between two matches that the map draws at this zoom.
      matchSet.forEach(function (i) {
        if (n > MAX_MATCH_LINKS || !N.drawn[i]) return;
        forEachLink(i, function (e) {
          var j = other(e, i);
          if (j > i && E.level[e] >= 0 && E.level[e] <= state.level && matchSet.has(j) && edgePasses(e)) { highlightLink(e, w, h); n++; }
        });
      });
    }
    lctx.setLineDash([]);
    var shown = [];
    set.forEach(function (i) { if (N.drawn[i] && visible[i]) shown.push(i); });
    shown.sort(function (a, b) { return (a === state.focusIndex) - (b === state.focusIndex) || N.size[a] - N.size[b]; });
    lctx.lineWidth = 1;
    for (var q = 0; q < shown.length; q++) {
      var i = shown[q], p = viewport(i), focus = i === state.focusIndex;
      state.overlay.push(N.id[i]);
      var r = renderer.scaleSize(nodeRadius(i)) * (isMethod(i) ? 0.85 : 1) * (focus ? 1.5 : 1.3) + (focus ? 2 : 1);
      if (!onScreen(p, w, h, r)) continue;
      lctx.beginPath();
      lctx.arc(p.x, p.y, Math.max(2, r), 0, 2 * Math.PI);
      lctx.fillStyle = nodeColor(i);
      lctx.fill();
      lctx.strokeStyle = focus ? "#1d1d1d" : "#ffffff";
      lctx.lineWidth = focus ? 2 : 1;
      lctx.stroke();
    }
  }
  function textLabel(ctx, text, x, y, px, color, weight) {
    ctx.font = (weight || "400") + " " + px + "px " + FONT;
    ctx.lineWidth = Math.max(2, px / 4);
    ctx.strokeStyle = "rgba(255,255,255,0.92)";
    ctx.strokeText(text, x, y);
    ctx.fillStyle = color;
    ctx.fillText(text, x, y);
  }
  function drawLabels() {
    var w = container.clientWidth, h = container.clientHeight, dpr = window.devicePixelRatio || 1;
    if (labelCanvas.width !== Math.round(w * dpr) || labelCanvas.height !== Math.round(h * dpr)) {
      labelCanvas.width = Math.round(w * dpr);
      labelCanvas.height = Math.round(h * dpr);
    }
    lctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    lctx.clearRect(0, 0, w, h);
    state.overlay = [];
    if (!renderer) return;
    if (focusSet || matchSet) drawHighlights(w, h);
    lctx.textAlign = "center";
    lctx.textBaseline = "middle";
    var ratio = camera.getState().ratio, boxes = [], placed = [], comms = [];
    function tryPaper(i, px, weight) {
      if (!visible[i] || !N.drawn[i]) return false;
      var p = viewport(i);
      if (p.x < 0 || p.y < 0 || p.x > w || p.y > h) return false;
      var text = N.label[i];
      lctx.font = (weight || "400") + " " + px + "px " + FONT;
      var tw = lctx.measureText(text).width, r = renderer.scaleSize(nodeRadius(i)) + 2;
      var bx = [p.x - tw / 2 - 2, p.y + r, p.x + tw / 2 + 2, p.y + r + px + 2];
      if (!boxFree(boxes, bx)) return false;
      boxes.push(bx);
      placed.push([i, text, p.x, p.y + r + px / 2 + 1, px, weight]);
      return true;
    }
    var special = focusSet ? Array.from(focusSet) : matchSet ? Array.from(matchSet) : null;
    if (special) {
      special.sort(function (a, b) { return (b === state.focusIndex) - (a === state.focusIndex) || N.size[b] - N.size[a]; });
      for (var q = 0; q < special.length && placed.length < 80; q++) tryPaper(special[q], special[q] === state.focusIndex ? 14 : 12, special[q] === state.focusIndex ? "700" : "500");
    }
    if (!special && ratio > 0.12) {
      // Topic names at each community's centre, larger for larger communities, largest first.
      D.communities.forEach(function (c) {
        if (!c.shown || c.id < 0 || state.hiddenCommunities.has(c.id) || state.colorBy !== "community" && c.rank > 30) return;
        var px = Math.round(11 + 8 * Math.sqrt(c.shown / maxComm));
        if (px < 12 && c.rank > 40) return;
        var p = renderer.graphToViewport({ x: c.x, y: -c.y });
        lctx.font = "700 " + px + "px " + FONT;
        var text = clip(c.label, 36), tw = lctx.measureText(text).width;
        var bx = [p.x - tw / 2 - 3, p.y - px / 2 - 2, p.x + tw / 2 + 3, p.y + px / 2 + 2];
        if (bx[0] < 0 || bx[2] > w || bx[1] < 0 || bx[3] > h || !boxFree(boxes, bx)) return;
        boxes.push(bx);
        comms.push([c, text, p.x, p.y, px]);
      });
    }
    if (!special) {
      var limit = ratio > 0.7 ? 12 : MAX_PAPER_LABELS;
      for (var j = 0, scanned = 0; j < bySize.length && placed.length < limit && scanned < MAX_SCANNED; j++) {
        var i = bySize[j];
        if (!visible[i]) continue;
        scanned++;
        if (renderer.scaleSize(nodeRadius(i)) < 2.5 && placed.length >= 8) continue;
        tryPaper(i, 11, "400");
      }
    }
    comms.forEach(function (c) {
      var col = state.colorBy === "community" && c[0].color !== "#b5b5b5" ? c[0].color : "#333333";
      textLabel(lctx, c[1], c[2], c[3], c[4], col, "700");
    });
    placed.forEach(function (p) { textLabel(lctx, p[1], p[2], p[3], p[4], "#1d1d1d", p[5]); });
    state.labels = placed.map(function (p) { return N.id[p[0]]; }).sort();
    state.communityLabels = comms.map(function (c) { return c[0].id; });
  }
  if (renderer) {
    renderer.on("afterRender", drawLabels);
    camera.on("updated", function (s) {
      var lvl = levelFor(s.ratio);
      if (lvl !== state.level) { state.level = lvl; refresh(); }
    });
  }

  // ---- tooltip ----------------------------------------------------------------------------
  var tip = $("gk-tip");
  function line(parent, label, value) {
    if (value === undefined || value === null || value === "") return;
    var d = el("div");
    if (label) d.appendChild(el("span", "gk-small", label + ": "));
    d.appendChild(document.createTextNode(String(value)));
    parent.appendChild(d);
  }
  function dateText(i) {
    var m = N.month[i];
    return m ? Math.floor(m / 100) + "-" + ("0" + (m % 100)).slice(-2) : (N.year[i] ? String(N.year[i]) : "");
  }
  function summary(i, box) {
    box.appendChild(el("b", null, N.title[i]));
    var bits = [];
    if (N.kind[i] === 1) bits.push("method" + (N.cited[i] ? " · mentioned by " + N.cited[i] + " papers" : ""));
    else if (N.kind[i] === 2) bits.push("cited work" + (N.cited[i] ? " · cited by " + N.cited[i] + " papers" : ""));
    else {
      var dt = dateText(i);
      if (dt) bits.push(dt);
      if (N.cited[i]) bits.push(N.cited[i] + (N.cited[i] === 1 ? " mention" : " mentions"));
      bits.push(N.id[i]);
    }
    line(box, null, bits.join(" · "));
    var c = commById.get(N.community[i]);
    if (c && !isMethod(i)) line(box, "topic", c.label);
    line(box, null, clip(N.authors[i], 160));
  }
  function showTip(i, x, y) {
    clear(tip);
    summary(i, tip);
    tip.hidden = false;
    var r = container.getBoundingClientRect();
    var px = r.left + x + 14, py = r.top + y + 14, tw = tip.offsetWidth, th = tip.offsetHeight;
    if (px + tw > window.innerWidth - 4) px = Math.max(4, r.left + x - tw - 14);
    if (py + th > window.innerHeight - 4) py = Math.max(4, r.top + y - th - 14);
    tip.style.left = px + "px";
    tip.style.top = py + "px";
  }
  function hideTip() { tip.hidden = true; }
  if (renderer) {
    renderer.on("enterNode", function (ev) {
      var i = graph.getNodeAttribute(ev.node, "i");
      var p = renderer.graphToViewport({ x: N.x[i], y: -N.y[i] });
      showTip(i, p.x, p.y);
    });
    renderer.on("leaveNode", hideTip);
    renderer.on("downStage", hideTip);
  }

  // ---- details panel: why linked first --------------------------------------------------------
  var panel = $("gk-panel"), panelBody = $("gk-panel-body");
  function nbButton(j, text) {
    var b = el("button", "gk-nb", text || N.title[j]);
    b.type = "button";
    b.addEventListener("click", function () { focusNode(N.id[j]); });
    return b;
  }
  function evidence(e, kind, box) {
    var ev = getDetails().edges[e] || {};
    if (E.level[e] < 0 && !Object.keys(ev).length) { line(box, null, "(evidence of links not drawn: see graph.json)"); return; }
    if (kind === "keyword") line(box, "shared terms", list(ev.keyword_terms).join(", "));
    else if (kind === "similarity") {
      var t = list(ev.similarity_terms).join(", ");
      line(box, "similar text", "cosine " + fmt(ev.similarity, 2) + (t ? " — " + t : ""));
    } else if (kind === "mention") {
      var froms = list(ev.mention_from);
      var who = froms.map(function (f) {
        var a = idIndex.get(f), b = a === E.s[e] ? E.t[e] : E.s[e];
        return (a !== undefined ? N.label[a] : f) + " → " + N.label[b];
      }).join("; ");
      line(box, "mention", who + (ev.mention_names ? " (" + list(ev.mention_names).join(", ") + ")" : ""));
      String(ev.mention_evidence || "").split(" | ").filter(Boolean).slice(0, 5).forEach(function (s) {
        box.appendChild(el("div", "gk-quote", "“" + clip(s, 600) + "”"));
      });
    } else {
      // A kind this page does not know by name: show every field named after it.
      Object.keys(ev).sort().forEach(function (f) {
        if (f === kind || f.indexOf(kind + "_") === 0 || f.indexOf("w_" + kind) === 0) line(box, f.replace(/_/g, " "), ev[f]);
      });
    }
  }
  function linkItem(e, i, kind) {
    var j = other(e, i), li = el("li");
    li.appendChild(nbButton(j));
    if (!N.drawn[j]) li.appendChild(el("span", "gk-off-map", " (not on the map)"));
    var ev = el("div", "gk-ev");
    var w = getDetails().edges[e] || {};
    line(ev, null, "weight " + fmt(E.w[e], 3) + (w["w_" + kind] !== undefined ? " (" + kind + " " + fmt(w["w_" + kind], 3) + ")" : ""));
    evidence(e, kind, ev);
    li.appendChild(ev);
    return li;
  }
  function linkGroups(links, i, parent) {
    kindOrder.forEach(function (k) {
      var g = links.filter(function (e) { return E.k[e] & k.bit; });
      if (!g.length) return;
      parent.appendChild(el("h4", null, k.label + " (" + g.length + ")"));
      var ul = el("ul");
      g.slice(0, 60).forEach(function (e) { ul.appendChild(linkItem(e, i, k.id)); });
      if (g.length > 60) ul.appendChild(el("li", "gk-ev", "… and " + (g.length - 60) + " weaker links (see graph.graphml)"));
      parent.appendChild(ul);
    });
  }
  var panelEdge = null;
  // Until the details are unpacked the panel shows what the columns hold, then fills itself in.
  function detailsNote(redo) {
    if (details === NO_DETAILS && state.detailsError) panelBody.appendChild(el("div", "gk-meta", "Abstracts and evidence cannot be read in this browser (" + state.detailsError + "); graph.json has them."));
    if (details) return;
    panelBody.appendChild(el("div", "gk-meta gk-loading", "Reading abstracts and evidence…"));
    loadDetails().then(redo);
  }
  function openPanel(i) {
    var det = getDetails().nodes[i] || {};
    panelEdge = null;
    clear(panelBody);
    panelBody.appendChild(el("h2", null, N.title[i]));
    var bits = [];
    if (N.kind[i] === 1) bits.push((det.method_kind || "method") + " named by papers in this corpus, introduced by none of them");
    else if (N.kind[i] === 2) bits.push("work cited by papers in this corpus, not in it" + (det.reference ? ": " + det.reference : ""));
    else {
      if (det.date) bits.push(det.date); else if (N.year[i]) bits.push(String(N.year[i]));
      if (det.n_authors) bits.push(det.n_authors + (det.n_authors === 1 ? " author" : " authors"));
      bits.push(N.id[i]);
    }
    panelBody.appendChild(el("div", "gk-meta", bits.join(" · ")));
    detailsNote(function () { if (state.focusIndex === i && !panel.hidden && panelEdge === null) openPanel(i); });
    if (det.reference) panelBody.appendChild(el("div", "gk-meta", "Introduced in: " + det.reference));
    if (!N.drawn[i]) panelBody.appendChild(el("div", "gk-meta gk-off-map", "Not drawn on the map (beyond --max-html-nodes); its links are listed below."));
    if (!visible[i]) panelBody.appendChild(el("div", "gk-meta", "(hidden by the current filters)"));
    // Why linked: the links drawn on the map, strongest first, grouped by kind.
    var links = [];
    forEachLink(i, function (e) { links.push(e); });
    links.sort(function (a, b) { return E.w[b] - E.w[a] || a - b; });
    var drawnLinks = links.filter(function (e) { return E.level[e] >= 0; });
    var more = links.filter(function (e) { return E.level[e] < 0; });
    panelBody.appendChild(el("h3", null, "Why linked (" + drawnLinks.length + (drawnLinks.length === 1 ? " link" : " links") + " on the map)"));
    var why = el("div", "gk-why-linked");
    linkGroups(drawnLinks, i, why);
    if (!drawnLinks.length) why.appendChild(el("div", "gk-meta", "No link of this paper is drawn."));
    panelBody.appendChild(why);
    if (more.length) {
      var dm = el("details", "gk-more");
      dm.appendChild(el("summary", null, more.length + " more " + (more.length === 1 ? "link" : "links") + " not drawn"));
      dm.addEventListener("toggle", function once() {
        if (dm.open && dm.childNodes.length === 1) linkGroups(more, i, dm);
      });
      panelBody.appendChild(dm);
    }
    var c = commById.get(N.community[i]);
    if (c && !isMethod(i)) {
      var cd = el("div", "gk-meta", "Topic: ");
      var chip = el("span", "gk-chip", c.label);
      chip.style.background = c.color;
      cd.appendChild(chip);
      panelBody.appendChild(cd);
    }
    if (det.authors) panelBody.appendChild(el("div", "gk-meta", det.authors));
    var href = safeUrl(det.url);
    if (href) {
      var a = el("a", null, href);
      a.href = href;
      a.target = "_blank";
      a.rel = "noopener noreferrer";
      var ld = el("div", "gk-meta");
      ld.appendChild(a);
      panelBody.appendChild(ld);
    }
    if (det.abstract) {
      var ab = el("details", "gk-abstract-box");
      ab.appendChild(el("summary", null, "Abstract"));
      ab.appendChild(el("p", "gk-abstract", det.abstract));
      panelBody.appendChild(ab);
    }
    var facts = el("div");
    line(facts, "Defines", list(det.defines).join(", "));
    line(facts, "Key phrases", list(det.keyphrases).join(", "));
    line(facts, "Mentions", list(det.mentions).join(", "));
    panelBody.appendChild(facts);
    panel.hidden = false;
  }
  function openEdgePanel(e) {
    clear(panelBody);
    panelEdge = e;
    panelBody.appendChild(el("h2", null, "Why linked"));
    detailsNote(function () { if (panelEdge === e && !panel.hidden) openEdgePanel(e); });
    [E.s[e], E.t[e]].forEach(function (j) { var d = el("div", "gk-meta"); d.appendChild(nbButton(j)); panelBody.appendChild(d); });
    line(panelBody, null, kindsOf(e).map(function (k) { return k.label; }).join(" + ") + " · weight " + fmt(E.w[e], 3));
    kindsOf(e).forEach(function (k) {
      panelBody.appendChild(el("h4", null, k.label));
      var ev = el("div", "gk-ev");
      evidence(e, k.id, ev);
      panelBody.appendChild(ev);
    });
    panel.hidden = false;
  }
  function closePanel() { panel.hidden = true; }
  $("gk-panel-close").addEventListener("click", function () { clearFocus(); });

  // ---- focus --------------------------------------------------------------------------------
  function fitTo(indices) {
    if (!renderer) return;
    var pts = indices.filter(function (j) { return N.drawn[j] && visible[j]; }).map(function (j) { return renderer.getNodeDisplayData(N.id[j]); }).filter(Boolean);
    if (!pts.length) return;
    var x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
    pts.forEach(function (p) { x0 = Math.min(x0, p.x); y0 = Math.min(y0, p.y); x1 = Math.max(x1, p.x); y1 = Math.max(y1, p.y); });
    var ratio = Math.max(0.03, Math.min(1.2, Math.max(x1 - x0, y1 - y0) * 1.5));
    camera.setState({ x: (x0 + x1) / 2, y: (y0 + y1) / 2, ratio: ratio });
  }
  function focusIndex(i) {
    var keep = new Set([i]), links = new Set();
    forEachLink(i, function (e) {
      if (E.level[e] >= 0 && edgePasses(e)) { links.add(e); keep.add(other(e, i)); }
    });
    focusSet = keep;
    focusEdges = links;
    state.focus = N.id[i];
    state.focusIndex = i;
    state.highlighted = Array.from(keep).map(function (j) { return N.id[j]; }).sort();
    openPanel(i);
    listSelect(i);
    drawLabels();
    // The panel and the highlight show first; the camera moves to the neighbourhood in the
    // frame after (one full redraw of the map, the slow part in software WebGL).
    if (N.drawn[i] && visible[i]) {
      var near = Array.from(keep);
      requestAnimationFrame(function () { setTimeout(function () { if (state.focusIndex === i) fitTo(near); }, 0); });
    }
  }
  function focusNode(id) {
    var i = idIndex.get(id);
    if (i === undefined) return false;
    focusIndex(i);
    return true;
  }
  function clearFocus() {
    focusSet = null;
    focusEdges = null;
    state.focus = null;
    state.focusIndex = null;
    state.highlighted = [];
    closePanel();
    drawLabels();
  }
  if (renderer) {
    renderer.on("clickNode", function (ev) { hideTip(); focusIndex(graph.getNodeAttribute(ev.node, "i")); });
    renderer.on("clickEdge", function (ev) { openEdgePanel(graph.getEdgeAttribute(ev.edge, "i")); });
    renderer.on("clickStage", function () { hideTip(); if (state.focus !== null) clearFocus(); });
  }
  document.addEventListener("keydown", function (ev) {
    if (ev.key !== "Escape") return;
    if (!panel.hidden || state.focus !== null) { clearFocus(); ev.preventDefault(); }
    else if (state.query) { searchBox.value = ""; runSearch(); }
  });

  // ---- search: whole words and prefixes of titles, names, authors and IDs ----------------------
  var TOKEN = /[\p{L}\p{N}]+/gu;
  var index = null; // token -> Int32Array-ish [node*4 + field]; fields: 0 name, 1 id, 2 title, 3 author
  var tokens = null, exact = null;
  function buildIndex() {
    var m = new Map();
    function add(text, i, field) {
      var seen = new Set(), t, all = String(text || "").toLowerCase().match(TOKEN) || [];
      for (var j = 0; j < all.length; j++) {
        t = all[j];
        if (seen.has(t)) continue;
        seen.add(t);
        var arr = m.get(t);
        if (!arr) { arr = []; m.set(t, arr); }
        arr.push(i * 4 + field);
      }
    }
    for (var i = 0; i < nNodes; i++) {
      add(N.names[i], i, 0);
      add(N.id[i], i, 1);
      add(N.title[i], i, 2);
      add(N.authors[i], i, 3);
    }
    index = m;
    tokens = Array.from(m.keys()).sort();
    exact = new Map(); // whole names and IDs (with and without their "arxiv:" prefix), aliases
    for (var k = 0; k < nNodes; k++) {
      [N.id[k], N.id[k].replace(/^[a-z]+:/, "")].concat(list(N.names[k]), list(N.aliases[k])).forEach(function (key) {
        key = key.toLowerCase();
        if (!exact.has(key)) exact.set(key, []);
        exact.get(key).push(k);
      });
    }
  }
  function lowerBound(arr, x) {
    var lo = 0, hi = arr.length;
    while (lo < hi) { var mid = (lo + hi) >> 1; if (arr[mid] < x) lo = mid + 1; else hi = mid; }
    return lo;
  }
  // Tier of a hit: 0 exact name or ID, 1 whole word in a name/ID/title, 2 prefix in one, 3 author.
  function wordHits(w) {
    var best = new Map();
    function put(i, tier) { var b = best.get(i); if (b === undefined || tier < b) best.set(i, tier); }
    for (var p = lowerBound(tokens, w); p < tokens.length && tokens[p].lastIndexOf(w, 0) === 0; p++) {
      var whole = tokens[p] === w, post = index.get(tokens[p]);
      for (var j = 0; j < post.length; j++) {
        var f = post[j] & 3, i = post[j] >> 2;
        put(i, f === 3 ? 3 : whole ? 1 : 2);
      }
    }
    return best;
  }
  function search(q) {
    q = String(q || "").trim().toLowerCase();
    if (!q) return [];
    if (!index) buildIndex();
    var words = q.match(TOKEN) || [];
    if (!words.length) return [];
    var tier = null;
    words.forEach(function (w) {
      var hits = wordHits(w);
      if (tier === null) { tier = hits; return; }
      var next = new Map();
      tier.forEach(function (t, i) { var u = hits.get(i); if (u !== undefined) next.set(i, Math.max(t, u)); });
      tier = next;
    });
    (exact.get(q) || []).forEach(function (i) { tier.set(i, 0); });
    var out = [];
    tier.forEach(function (t, i) { out.push({ id: N.id[i], index: i, tier: t, drawn: N.drawn[i] === 1, score: N.score[i] }); });
    out.sort(function (a, b) { return a.tier - b.tier || b.score - a.score || (a.id < b.id ? -1 : 1); });
    return out;
  }
  var searchBox = $("gk-search"), results = $("gk-results"), resultCount = $("gk-result-count");
  var shownResults = 30, lastFound = [];
  function renderResults() {
    clear(results);
    var found = lastFound;
    if (!state.query) { resultCount.textContent = ""; return; }
    var off = found.filter(function (r) { return !r.drawn; }).length;
    resultCount.textContent = found.length ? num(found.length) + (found.length === 1 ? " match" : " matches") + (off ? " (" + num(off) + " not on the map)" : "") : "no match";
    found.slice(0, shownResults).forEach(function (r) {
      var li = el("li"), b = el("button", null, clip(N.title[r.index], 100));
      b.type = "button";
      if (isMethod(r.index)) b.appendChild(el("span", "gk-why", " (" + (N.kind[r.index] === 1 ? "method" : "cited work") + ")"));
      if (!r.drawn) b.appendChild(el("span", "gk-off-map", " · not on the map"));
      b.addEventListener("click", function () { focusIndex(r.index); });
      li.appendChild(b);
      results.appendChild(li);
    });
    if (found.length > shownResults) {
      var li = el("li"), more = el("button", "gk-link", "show " + Math.min(100, found.length - shownResults) + " more of " + num(found.length - shownResults));
      more.type = "button";
      more.addEventListener("click", function () { shownResults += 100; renderResults(); });
      li.appendChild(more);
      results.appendChild(li);
    }
  }
  function runSearch() {
    state.query = searchBox.value.trim();
    shownResults = 30;
    lastFound = search(state.query);
    matchSet = state.query ? new Set(lastFound.map(function (r) { return r.index; })) : null;
    state.matches = matchSet ? lastFound.length : null;
    renderResults();
    drawLabels();
    state.highlightedAt = performance.now();
    return lastFound;
  }
  var searchTimer = null;
  searchBox.addEventListener("input", function () {
    clearTimeout(searchTimer);
    searchTimer = setTimeout(runSearch, 60);
  });
  searchBox.addEventListener("keydown", function (ev) {
    if (ev.key === "Enter") {
      clearTimeout(searchTimer);
      var found = runSearch();
      if (found.length) focusIndex(found[0].index);
    } else if (ev.key === "Escape") {
      ev.stopPropagation();
      searchBox.value = "";
      runSearch();
      clearFocus();
    }
  });

  // ---- the list: every node passing the filters, sorted, virtualised --------------------------
  var listBox = $("gk-list"), spacer = $("gk-list-spacer"), ROW = 24;
  var order = [], rowOf = new Int32Array(nNodes).fill(-1), active = -1;
  var sorters = {
    score: function (a, b) { return N.score[b] - N.score[a] || N.degree[b] - N.degree[a]; },
    year: function (a, b) { return dateKey(b) - dateKey(a) || N.score[b] - N.score[a]; },
    cited: function (a, b) { return N.cited[b] - N.cited[a] || N.score[b] - N.score[a]; },
    community: function (a, b) {
      var ca = commById.get(N.community[a]), cb = commById.get(N.community[b]);
      return (ca ? ca.rank : 1e9) - (cb ? cb.rank : 1e9) || N.score[b] - N.score[a];
    },
    title: function (a, b) { return N.title[a] < N.title[b] ? -1 : N.title[a] > N.title[b] ? 1 : 0; },
  };
  function rebuildList() {
    order = [];
    for (var i = 0; i < nNodes; i++) if (visible[i]) order.push(i);
    var f = sorters[state.sort];
    order.sort(function (a, b) { return f(a, b) || (N.id[a] < N.id[b] ? -1 : 1); });
    rowOf.fill(-1);
    order.forEach(function (i, r) { rowOf[i] = r; });
    spacer.style.height = order.length * ROW + "px";
    $("gk-list-title").textContent = num(order.length) + (order.length === 1 ? " node" : " nodes") + " listed";
    renderRows();
  }
  var rowEls = [];
  function renderRows() {
    var top = listBox.scrollTop, h = listBox.clientHeight || 600;
    var first = Math.max(0, Math.floor(top / ROW) - 5), last = Math.min(order.length, Math.ceil((top + h) / ROW) + 5);
    rowEls.forEach(function (r) { spacer.removeChild(r); });
    rowEls = [];
    for (var r = first; r < last; r++) {
      var i = order[r], row = el("div", "gk-row" + (N.drawn[i] ? "" : " gk-undrawn"));
      row.id = "gk-row-" + r;
      row.setAttribute("role", "option");
      row.setAttribute("aria-selected", i === active ? "true" : "false");
      row.setAttribute("data-id", N.id[i]);
      row.style.top = r * ROW + "px";
      var sw = el("span", "gk-sw" + (isMethod(i) ? " gk-diamond" : ""));
      sw.style.background = nodeColor(i);
      row.appendChild(sw);
      row.appendChild(el("span", "gk-t", N.title[i]));
      var bits = [];
      var dt = dateText(i);
      if (dt) bits.push(dt);
      if (N.cited[i]) bits.push("↩" + N.cited[i]);
      row.appendChild(el("span", "gk-n", bits.join(" ")));
      row.title = N.title[i] + (N.drawn[i] ? "" : " (not on the map)");
      spacer.appendChild(row);
      rowEls.push(row);
    }
    if (active >= 0 && rowOf[active] >= 0) listBox.setAttribute("aria-activedescendant", "gk-row-" + rowOf[active]);
    else listBox.removeAttribute("aria-activedescendant");
  }
  listBox.addEventListener("scroll", function () { requestAnimationFrame(renderRows); });
  spacer.addEventListener("click", function (ev) {
    var row = ev.target.closest ? ev.target.closest(".gk-row") : null;
    if (row) { focusNode(row.getAttribute("data-id")); listBox.focus(); }
  });
  function listSelect(i) {
    active = i;
    var r = rowOf[i];
    if (r >= 0) {
      var top = r * ROW;
      if (top < listBox.scrollTop || top + ROW > listBox.scrollTop + listBox.clientHeight) listBox.scrollTop = Math.max(0, top - listBox.clientHeight / 2);
    }
    renderRows();
  }
  listBox.addEventListener("keydown", function (ev) {
    if (!order.length) return;
    var r = active >= 0 ? rowOf[active] : -1, page = Math.max(1, Math.floor(listBox.clientHeight / ROW) - 1);
    var next = { ArrowDown: r + 1, ArrowUp: r - 1, PageDown: r + page, PageUp: r - page, Home: 0, End: order.length - 1 }[ev.key];
    if (next !== undefined) {
      ev.preventDefault();
      next = Math.max(0, Math.min(order.length - 1, next));
      listSelect(order[next]);
    } else if (ev.key === "Enter" && active >= 0) {
      ev.preventDefault();
      focusIndex(active);
    }
  });
  $("gk-sort").addEventListener("change", function (ev) { sortList(ev.target.value); });
  function sortList(key) {
    if (!sorters[key]) return false;
    state.sort = key;
    $("gk-sort").value = key;
    rebuildList();
    return true;
  }

  // ---- legend and filter controls --------------------------------------------------------------
  function legendRow(parent, swatch, label, count, onClick) {
    var li = el("li");
    li.setAttribute("role", "button");
    li.tabIndex = 0;
    li.appendChild(swatch);
    li.appendChild(el("span", "gk-name", label));
    if (count !== null) li.appendChild(el("span", "gk-count", count));
    li.addEventListener("click", onClick);
    li.addEventListener("keydown", function (ev) { if (ev.key === "Enter" || ev.key === " ") { ev.preventDefault(); onClick(); } });
    parent.appendChild(li);
    return li;
  }
  var kindRows = {};
  KINDS.forEach(function (k) {
    var sw = el("span", "gk-line" + (k.directed ? " gk-arrow" : "") + (k.dashed && Dashed ? " gk-dashed" : ""));
    sw.style.borderTopColor = k.color;
    sw.style.borderLeftColor = k.color;
    kindRows[k.id] = legendRow($("gk-edge-kinds"), sw, k.label, num(k.count), function () { setEdgeKind(k.id, (state.hiddenKinds & k.bit) !== 0); });
    kindRows[k.id].id = "gk-kind-" + k.id;
  });
  var nodeKindRows = {};
  var kindCount = [0, 0, 0];
  N.kind.forEach(function (k) { kindCount[k]++; });
  [["paper", "papers (colour = topic)", kindCount[0]], ["method", "methods (named, not introduced here)", kindCount[1]], ["reference", "cited works outside the corpus", kindCount[2]]].forEach(function (r) {
    if (!r[2]) return;
    var sw = el("span", "gk-sw" + (r[0] !== "paper" ? " gk-diamond" : ""));
    var first = N.kind.indexOf(KIND_NAMES.indexOf(r[0]));
    sw.style.background = r[0] !== "paper" ? N.color[first] : (D.communities[0] ? D.communities[0].color : "#1f6fd1");
    nodeKindRows[r[0]] = legendRow($("gk-node-kinds"), sw, r[1], num(r[2]), function () { setNodeKind(r[0], state.hiddenNodeKinds.has(r[0])); });
  });
  var commRows = new Map();
  D.communities.forEach(function (c) {
    var sw = el("span", "gk-sw");
    sw.style.background = c.color;
    var count = c.shown === c.size ? num(c.size) : num(c.shown) + "/" + num(c.size);
    var row = legendRow($("gk-communities"), sw, c.label, count, function () { setCommunity(c.id, state.hiddenCommunities.has(c.id)); });
    row.title = c.label + " — " + c.size + " papers";
    row.setAttribute("data-community", String(c.id));
    commRows.set(c.id, row);
  });
  $("gk-comm-all").addEventListener("click", function () { state.hiddenCommunities.clear(); applyFilters(); });
  $("gk-comm-none").addEventListener("click", function () { D.communities.forEach(function (c) { state.hiddenCommunities.add(c.id); }); applyFilters(); });
  function renderLegendState() {
    KINDS.forEach(function (k) { kindRows[k.id].classList.toggle("gk-off", (state.hiddenKinds & k.bit) !== 0); });
    Object.keys(nodeKindRows).forEach(function (k) { nodeKindRows[k].classList.toggle("gk-off", state.hiddenNodeKinds.has(k)); });
    commRows.forEach(function (row, id) { row.classList.toggle("gk-off", state.hiddenCommunities.has(id)); });
  }
  function applyFilters() {
    computeVisible();
    refresh();
    if (state.focus !== null) focusIndex(state.focusIndex);
    renderLegendState();
    rebuildList();
    renderStatus();
  }
  function setEdgeKind(kind, on) {
    var b = kindBit[kind];
    if (b === undefined) return false;
    state.hiddenKinds = on ? state.hiddenKinds & ~b : state.hiddenKinds | b;
    applyFilters();
    return true;
  }
  function setCommunity(id, on) { if (on) state.hiddenCommunities.delete(id); else state.hiddenCommunities.add(id); applyFilters(); }
  function setNodeKind(kind, on) { if (on) state.hiddenNodeKinds.delete(kind); else state.hiddenNodeKinds.add(kind); applyFilters(); }
  var sortedW = null; // every link's weight in order, sorted when the slider is first moved
  function setMinWeightPercent(p) {
    p = Math.max(0, Math.min(100, Number(p) || 0));
    $("gk-weight").value = String(p);
    if (!sortedW) sortedW = Float64Array.from(E.w).sort();
    if (p === 0 || !sortedW.length) {
      state.minWeight = -Infinity;
      $("gk-weight-value").textContent = "any";
    } else {
      state.minWeight = sortedW[Math.min(sortedW.length - 1, Math.floor((p / 100) * sortedW.length))];
      $("gk-weight-value").textContent = "≥ " + state.minWeight.toFixed(3) + " (top " + (100 - p) + "%)";
    }
    applyFilters();
  }
  $("gk-weight").addEventListener("input", function (ev) { setMinWeightPercent(ev.target.value); });
  function monthText(m) { return m % 100 ? Math.floor(m / 100) + "-" + ("0" + (m % 100)).slice(-2) : String(m / 100); }
  function setDateRange(lo, hi) {
    if (state.dateMin === null) return false;
    var a = Math.min(Number(lo), Number(hi)), b = Math.max(Number(lo), Number(hi));
    state.dateMin = a;
    state.dateMax = b;
    $("gk-date-min").value = String(lowerBound(months, a));
    $("gk-date-max").value = String(Math.min(months.length - 1, lowerBound(months, b)));
    $("gk-date-value").textContent = monthText(a) + " – " + monthText(b);
    applyFilters();
    return true;
  }
  function setYears(lo, hi) { return setDateRange(Number(lo) * 100, Number(hi) * 100 + 12); }
  if (months.length) {
    $("gk-dates").hidden = false;
    ["gk-date-min", "gk-date-max"].forEach(function (id, j) {
      var s = $(id);
      s.min = "0";
      s.max = String(months.length - 1);
      s.step = "1";
      s.value = String(j ? months.length - 1 : 0);
      s.addEventListener("input", function () { setDateRange(months[$("gk-date-min").value], months[$("gk-date-max").value]); });
    });
    $("gk-date-value").textContent = monthText(months[0]) + " – " + monthText(months[months.length - 1]);
    $("gk-date-unknown").addEventListener("change", function (ev) { state.dateUnknown = ev.target.checked; applyFilters(); });
  }
  function setColorBy(mode) {
    if (["community", "year", "cited"].indexOf(mode) < 0) return false;
    state.colorBy = mode;
    $("gk-color-by").value = mode;
    var key = $("gk-color-key");
    clear(key);
    if (mode !== "community") {
      var bar = el("div", "gk-ramp");
      bar.style.background = "linear-gradient(to right," + RAMP.join(",") + ")";
      key.appendChild(bar);
      key.appendChild(el("span", null, mode === "year" ? (months.length ? monthText(months[0]) + " → " + monthText(months[months.length - 1]) : "no dates") : "0 → " + maxCited + " (log)"));
    }
    refresh();
    renderRows();
    return true;
  }
  $("gk-color-by").addEventListener("change", function (ev) { setColorBy(ev.target.value); });
  $("gk-fit").addEventListener("click", function () { if (camera) camera.setState({ x: 0.5, y: 0.5, ratio: 1, angle: 0 }); });

  function counts() {
    var nodes = 0, edges = 0, drawnNodes = 0, drawnEdges = 0, listed = order.length;
    graph.forEachNode(function (key, attr) { if (visible[attr.i]) nodes++; });
    graph.forEachEdge(function (key, attr) { if (edgePasses(attr.i)) edges++; });
    if (renderer) {
      var nc = renderer.nodeDataCache, ec = renderer.edgeDataCache;
      Object.keys(nc).forEach(function (k) { if (!nc[k].hidden) drawnNodes++; });
      Object.keys(ec).forEach(function (k) { if (!ec[k].hidden) drawnEdges++; });
    }
    return { nodes: nodes, edges: edges, drawnNodes: drawnNodes, drawnEdges: drawnEdges, listed: listed, totalNodes: nNodes, totalEdges: nEdges };
  }
  function renderStatus() {
    var c = counts();
    $("gk-status").textContent = "On the map: " + num(c.nodes) + " nodes, " + num(c.edges) + " links (" + num(c.drawnEdges) + " at this zoom)";
  }

  computeVisible();
  renderLegendState();
  rebuildList();
  setColorBy("community");
  function ready() {
    if (state.ready) return;
    state.ready = true;
    renderStatus();
    window.graphkitReady = performance.now();
    document.body.setAttribute("data-ready", "1");
    // Parse the details (abstracts, evidence) and the search index while the reader looks.
    var idle = window.requestIdleCallback || function (f) { return setTimeout(f, 50); };
    idle(function () { loadDetails(); if (!index) buildIndex(); });
  }
  if (renderer) {
    renderer.once("afterRender", ready);
    renderer.refresh();
  } else ready();

  window.graphkit = {
    sigma: renderer, graph: graph, data: D, state: state, search: search, runSearch: runSearch,
    focusNode: focusNode, clearFocus: clearFocus, setEdgeKind: setEdgeKind, setCommunity: setCommunity,
    setNodeKind: setNodeKind, setMinWeightPercent: setMinWeightPercent, setYears: setYears,
    setDateRange: setDateRange, setColorBy: setColorBy, sortList: sortList, counts: counts,
    listIds: function () { return order.map(function (i) { return N.id[i]; }); },
    details: getDetails, loadDetails: loadDetails, drawLabels: drawLabels,
  };
})();
