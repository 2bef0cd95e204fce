/* graphkit map: draws the embedded graph with vis-network and wires search, filters, legend,
 * tooltips and the details panel.  Every piece of paper data reaches the page through
 * textContent / createTextNode only, never as HTML. */
(function () {
  "use strict";

  var D = JSON.parse(document.getElementById("gk-data").textContent);
  var KINDS = ["mention", "keyword", "similarity"]; // colour priority of multi-kind edges
  var KIND_NAMES = { keyword: "shared terms", similarity: "similar text", mention: "mentions" };
  var BIG = D.edges.length > 4000 || D.nodes.length > 2500;
  var byId = new Map();
  var adj = new Map(); // node id -> edge indices
  D.nodes.forEach(function (n) { byId.set(n.id, n); adj.set(n.id, []); });
  var maxW = 0;
  D.edges.forEach(function (e, i) {
    adj.get(e.from).push(i);
    adj.get(e.to).push(i);
    if (e.weight > maxW) maxW = e.weight;
  });

  // ---- small DOM helpers (text only) ----------------------------------------------------
  function el(tag, cls, text) {
    var x = document.createElement(tag);
    if (cls) x.className = cls;
    if (text !== undefined && text !== null) x.appendChild(document.createTextNode(String(text)));
    return x;
  }
  function $(id) { return document.getElementById(id); }
  function clip(s, n) { s = String(s || ""); return s.length > n ? s.slice(0, n - 1) + "…" : s; }
  function list(s) { return String(s || "").split("; ").filter(function (x) { return x; }); }
  function fmt(x, d) { return typeof x === "number" ? x.toFixed(d) : ""; }
  function safeUrl(u) {
    try {
      var p = new URL(String(u));
      return p.protocol === "http:" || p.protocol === "https:" ? p.href : null;
    } catch (err) { return null; }
  }
  function shortLabel(n) {
    if (n.kind === "method") return clip(n.label, 24);
    return n.short_name ? clip(n.short_name, 24) : clip(n.title || n.label || n.id, 24);
  }
  function name(id) { var n = byId.get(id); return n ? (n.short_name || n.label || n.id) : id; }
  var commById = new Map();
  D.communities.forEach(function (c) { commById.set(c.id, c); });

  // ---- vis items ---------------------------------------------------------------------------
  function fontFor(n) {
    var k = typeof labelScale === "number" ? labelScale : 1;
    return { size: Math.round((11 + n.size * 0.1) * k), color: "#222", strokeWidth: 3 * k, strokeColor: "#ffffff" };
  }
  function visNode(n) {
    var m = n.kind === "method";
    return {
      id: n.id, x: n.x, y: n.y,
      size: m ? Math.max(7, n.size * 0.8) : n.size,
      shape: m ? "diamond" : "dot",
      color: { background: n.color, border: m ? "#333333" : "#ffffff",
        highlight: { background: n.color, border: "#000000" },
        hover: { background: n.color, border: "#000000" } },
      borderWidth: m ? 1 : 1.5,
      label: "",
      font: fontFor(n),
    };
  }
  function mainKind(e) {
    for (var i = 0; i < KINDS.length; i++) if (e.kinds.indexOf(KINDS[i]) >= 0) return KINDS[i];
    return "keyword";
  }
  // Links between two communities are drawn faint so that the communities stand out.
  function crossing(e) {
    var a = byId.get(e.from), b = byId.get(e.to);
    return a.community >= 0 && b.community >= 0 && a.community !== b.community;
  }
  function visEdge(e, i) {
    var k = mainKind(e);
    var c = D.edge_colors[k];
    var o = {
      id: i, from: e.from, to: e.to,
      color: { color: c, highlight: c, hover: c, opacity: (k === "mention" ? 0.7 : 0.5) * (crossing(e) ? 0.35 : 1) },
      width: 0.5 + 2.5 * Math.sqrt(maxW > 0 ? Math.max(e.weight, 0) / maxW : 0),
      dashes: !BIG && e.kinds.length === 1 && k === "similarity",
    };
    if (e.kinds.indexOf("mention") >= 0 && e.mention_from) {
      var froms = list(e.mention_from);
      var arrow = { enabled: true, scaleFactor: 0.55 };
      if (froms.indexOf(e.from) >= 0 && froms.indexOf(e.to) >= 0) o.arrows = { to: arrow, from: arrow };
      else if (froms.indexOf(e.to) >= 0) o.arrows = { from: arrow };
      else o.arrows = { to: arrow };
    }
    return o;
  }
  var baseNodes = D.nodes.map(visNode);
  var baseEdges = D.edges.map(visEdge);
  var nodes = new vis.DataSet(baseNodes);
  var edges = new vis.DataSet(baseEdges);

  // ---- filters -----------------------------------------------------------------------------
  var years = D.nodes.map(function (n) { return n.year; }).filter(function (y) { return typeof y === "number"; });
  var state = {
    hiddenKinds: new Set(), hiddenCommunities: new Set(), hiddenNodeKinds: new Set(),
    minWeight: -Infinity, yearMin: years.length ? Math.min.apply(null, years) : null,
    yearMax: years.length ? Math.max.apply(null, years) : null, yearUnknown: true,
    focus: null, highlighted: [], physics: false, ready: false,
  };
  var nodeVisible = new Map();
  function nodePasses(n) {
    if (state.hiddenNodeKinds.has(n.kind)) return false;
    if (n.kind === "method") return true;
    if (state.hiddenCommunities.has(n.community)) return false;
    if (state.yearMin === null) return true;
    if (typeof n.year !== "number") return state.yearUnknown;
    return n.year >= state.yearMin && n.year <= state.yearMax;
  }
  function edgePasses(e) {
    if (!nodeVisible.get(e.from) || !nodeVisible.get(e.to)) return false;
    if (e.weight < state.minWeight) return false;
    for (var i = 0; i < e.kinds.length; i++) if (!state.hiddenKinds.has(e.kinds[i])) return true;
    return false;
  }
  D.nodes.forEach(function (n) { nodeVisible.set(n.id, nodePasses(n)); });
  var nodesView = new vis.DataView(nodes, { filter: function (item) { return nodeVisible.get(item.id); } });
  var edgesView = new vis.DataView(edges, { filter: function (item) { return edgePasses(D.edges[item.id]); } });

  function applyFilters() {
    D.nodes.forEach(function (n) { nodeVisible.set(n.id, nodePasses(n)); });
    nodesView.refresh();
    edgesView.refresh();
    renderLegendState();
    renderStatus();
    if (typeof scheduleLabels === "function") scheduleLabels();
  }

  // ---- network -----------------------------------------------------------------------------
  var container = $("gk-network");
  var network = new vis.Network(container, { nodes: nodesView, edges: edgesView }, {
    autoResize: true,
    layout: { improvedLayout: false, randomSeed: 1 },
    physics: { enabled: false, solver: "forceAtlas2Based", stabilization: { enabled: false },
      forceAtlas2Based: { gravitationalConstant: -60, springLength: 90, avoidOverlap: 0.2 } },
    interaction: { hover: true, tooltipDelay: 120, hideEdgesOnDrag: BIG, hideEdgesOnZoom: BIG,
      keyboard: false, multiselect: false, navigationButtons: false },
    nodes: { borderWidth: 1.5, font: { face: "system-ui, -apple-system, Segoe UI, Roboto, Arial, sans-serif" } },
    edges: { smooth: false, selectionWidth: 1.5, hoverWidth: 1 },
  });
  // Labels: the page offers label candidates in order of importance (label_rank); after every
  // zoom or pan it shows those that fit without overlapping (at most MAX_LABELS on screen), at a
  // readable on-screen size whatever the zoom (vis draws fonts in canvas units and skips labels
  // smaller than 5 px, which would hide every label of a big graph at first sight).
  var MAX_LABELS = 40;
  var labelScale = 1;
  var candidates = D.nodes.filter(function (n) { return typeof n.label_rank === "number"; })
    .sort(function (a, b) { return a.label_rank - b.label_rank; });
  var shownLabels = new Set();
  function layoutLabels() {
    var s = network.getScale();
    var scaleChanged = false;
    var want = Math.min(8, Math.max(1, 1 / s));
    if (Math.abs(want - labelScale) / labelScale > 0.1) { labelScale = want; scaleChanged = true; }
    var w = container.clientWidth, h = container.clientHeight;
    var boxes = [], next = new Set();
    for (var i = 0; i < candidates.length && next.size < MAX_LABELS; i++) {
      var n = candidates[i], node = network.body.nodes[n.id];
      if (!node || !nodeVisible.get(n.id)) continue;
      var p = network.canvasToDOM({ x: node.x, y: node.y });
      var px = fontFor(n).size * s, text = shortLabel(n);
      var bw = text.length * px * 0.55, bh = px * 1.25, top = p.y + n.size * s + 2;
      var box = [p.x - bw / 2, top, p.x + bw / 2, top + bh];
      if (box[2] < 0 || box[0] > w || box[3] < 0 || box[1] > h) continue;
      var clash = boxes.some(function (o) { return box[0] < o[2] && o[0] < box[2] && box[1] < o[3] && o[1] < box[3]; });
      if (clash) continue;
      boxes.push(box);
      next.add(n.id);
    }
    var changes = [];
    D.nodes.forEach(function (n) {
      var had = shownLabels.has(n.id), has = next.has(n.id);
      if (had !== has || (has && scaleChanged)) {
        changes.push({ id: n.id, label: has ? shortLabel(n) : "", font: fontFor(n) });
      }
    });
    shownLabels = next;
    state.labels = Array.from(next).sort();
    if (changes.length) nodes.update(changes);
  }
  var layoutPending = false;
  function scheduleLabels() {
    if (layoutPending) return;
    layoutPending = true;
    requestAnimationFrame(function () { layoutPending = false; layoutLabels(); });
  }
  ["zoom", "dragEnd", "animationFinished", "resize", "stabilized"].forEach(function (ev) { network.on(ev, scheduleLabels); });
  network.once("afterDrawing", function () {
    layoutLabels();
    state.ready = true;
    window.graphkitReady = performance.now();
    document.body.setAttribute("data-ready", "1");
  });

  // ---- tooltip ------------------------------------------------------------------------------
  var tip = $("gk-tip");
  function line(parent, label, value) {
    if (value === undefined || value === null || value === "") return;
    var d = el("div");
    if (label) d.appendChild(el("span", "gk-small", label + ": "));
    d.appendChild(document.createTextNode(String(value)));
    parent.appendChild(d);
  }
  function nodeSummary(n, box) {
    box.appendChild(el("b", null, n.kind === "method" ? n.label : (n.title || n.label)));
    if (n.kind === "method") {
      line(box, null, (n.method_kind || "method") + (n.title && n.title !== n.label ? " — " + n.title : ""));
      line(box, "mentioned by", n.n_mentions !== undefined ? n.n_mentions + " papers" : "");
      line(box, "introduced in", n.reference);
      return;
    }
    var bits = [];
    if (n.date) bits.push(n.date); else if (n.year) bits.push(String(n.year));
    if (n.n_authors) bits.push(n.n_authors + (n.n_authors === 1 ? " author" : " authors"));
    if (n.id) bits.push(n.id);
    line(box, null, bits.join(" · "));
    var c = commById.get(n.community);
    line(box, "community", c ? c.label : "");
    line(box, "key phrases", list(n.keyphrases).slice(0, 8).join(", "));
    line(box, "defines", list(n.defines).join(", "));
    line(box, "mentions", list(n.mentions).slice(0, 12).join(", "));
  }
  function edgeEvidence(e, box, opts) {
    var short = opts && opts.short;
    if (e.kinds.indexOf("keyword") >= 0) line(box, "shared terms", list(e.keyword_terms).slice(0, short ? 6 : 30).join(", "));
    if (e.kinds.indexOf("similarity") >= 0) {
      var s = "cosine " + fmt(e.similarity, 2);
      var t = list(e.similarity_terms).slice(0, short ? 6 : 15).join(", ");
      line(box, "similar text", t ? s + " — " + t : s);
    }
    if (e.kinds.indexOf("mention") >= 0) {
      var froms = list(e.mention_from);
      var who = froms.map(function (f) { return name(f) + " → " + name(f === e.from ? e.to : e.from); }).join("; ");
      line(box, "mention", who + (e.mention_names ? " (" + list(e.mention_names).join(", ") + ")" : ""));
      String(e.mention_evidence || "").split(" | ").filter(Boolean).slice(0, short ? 1 : 5).forEach(function (q) {
        box.appendChild(el("div", "gk-quote", "“" + clip(q, short ? 220 : 600) + "”"));
      });
    }
  }
  function showTip(builder, pointer) {
    while (tip.firstChild) tip.removeChild(tip.firstChild);
    builder(tip);
    tip.hidden = false;
    var r = container.getBoundingClientRect();
    var x = r.left + pointer.x + 14, y = r.top + pointer.y + 14;
    var w = tip.offsetWidth, h = tip.offsetHeight;
    if (x + w > window.innerWidth - 4) x = Math.max(4, r.left + pointer.x - w - 14);
    if (y + h > window.innerHeight - 4) y = Math.max(4, r.top + pointer.y - h - 14);
    tip.style.left = x + "px";
    tip.style.top = y + "px";
  }
  function hideTip() { tip.hidden = true; }
  network.on("hoverNode", function (p) {
    var n = byId.get(p.node);
    if (n) showTip(function (box) { nodeSummary(n, box); }, p.pointer.DOM);
  });
  network.on("hoverEdge", function (p) {
    var e = D.edges[p.edge];
    if (!e) return;
    showTip(function (box) {
      box.appendChild(el("b", null, name(e.from) + " — " + name(e.to)));
      line(box, null, e.kinds.map(function (k) { return KIND_NAMES[k]; }).join(" + ") + " · weight " + fmt(e.weight, 3));
      edgeEvidence(e, box, { short: true });
    }, p.pointer.DOM);
  });
  network.on("blurNode", hideTip);
  network.on("blurEdge", hideTip);
  network.on("dragStart", hideTip);
  network.on("zoom", hideTip);

  // ---- highlight and details panel ---------------------------------------------------------
  // The focused node and its neighbours are redrawn over a translucent veil after each frame:
  // O(neighbours) per frame instead of restyling every node and edge of a big graph.
  var focusEdges = [], focusNodes = [];
  function clearHighlight() {
    if (state.focus === null) return;
    state.focus = null;
    state.highlighted = [];
    focusEdges = [];
    focusNodes = [];
    network.unselectAll();
    network.redraw();
  }
  function highlight(id) {
    var keep = new Set([id]);
    focusEdges = (adj.get(id) || []).slice();
    focusEdges.forEach(function (i) { keep.add(D.edges[i].from); keep.add(D.edges[i].to); });
    focusNodes = Array.from(keep).sort();
    state.focus = id;
    state.highlighted = focusNodes.slice();
    if (nodeVisible.get(id)) network.selectNodes([id], true);
    else network.unselectAll();
    network.redraw();
  }
  network.on("afterDrawing", function (ctx) {
    if (state.focus === null) return;
    var body = network.body;
    var w = container.clientWidth, h = container.clientHeight;
    var a = network.DOMtoCanvas({ x: 0, y: 0 }), b = network.DOMtoCanvas({ x: w, y: h });
    ctx.save();
    ctx.fillStyle = "rgba(255,255,255,0.82)";
    ctx.fillRect(a.x, a.y, b.x - a.x, b.y - a.y);
    ctx.restore();
    var drawn = new Set(body.edgeIndices);
    focusEdges.forEach(function (i) {
      var e = body.edges[i];
      if (e && e.connected && drawn.has(i)) { e.draw(ctx); e.drawArrows(ctx); }
    });
    var labels = [];
    focusNodes.forEach(function (nid) {
      var node = body.nodes[nid];
      if (!node || !nodeVisible.get(nid)) return;
      var r = node.draw(ctx);
      if (r && r.drawExternalLabel) labels.push(r.drawExternalLabel);
      var n = byId.get(nid);
      if (!shownLabels.has(nid)) labels.push(function () { drawText(ctx, node, n); });
    });
    labels.forEach(function (f) { f(); });
  });
  function drawText(ctx, node, n) {
    var f = fontFor(n);
    ctx.save();
    ctx.font = f.size + "px system-ui, -apple-system, Segoe UI, Roboto, Arial, sans-serif";
    ctx.textAlign = "center";
    ctx.textBaseline = "top";
    ctx.lineWidth = f.strokeWidth;
    ctx.strokeStyle = "#ffffff";
    ctx.fillStyle = "#222222";
    var y = node.y + (node.shape && node.shape.height ? node.shape.height / 2 : n.size) + 2;
    var text = shortLabel(n);
    ctx.strokeText(text, node.x, y);
    ctx.fillText(text, node.x, y);
    ctx.restore();
  }

  var panel = $("gk-panel"), panelBody = $("gk-panel-body");
  function nbButton(id) {
    var b = el("button", "gk-nb", clip(name(id), 80));
    b.type = "button";
    b.addEventListener("click", function () { focusNode(id); });
    return b;
  }
  function openPanel(id) {
    var n = byId.get(id);
    if (!n) return;
    while (panelBody.firstChild) panelBody.removeChild(panelBody.firstChild);
    panelBody.appendChild(el("h2", null, n.kind === "method" ? n.label : (n.title || n.label)));
    if (n.kind === "method") {
      panelBody.appendChild(el("div", "gk-meta", (n.method_kind || "method") + " named by papers in this corpus, introduced by none of them"));
      if (n.title && n.title !== n.label) panelBody.appendChild(el("div", "gk-meta", n.title));
      if (n.reference) panelBody.appendChild(el("div", "gk-meta", "Introduced in: " + n.reference));
    } else {
      var bits = [];
      if (n.date) bits.push(n.date); else if (n.year) bits.push(String(n.year));
      if (n.n_authors) bits.push(n.n_authors + (n.n_authors === 1 ? " author" : " authors"));
      bits.push(n.id);
      panelBody.appendChild(el("div", "gk-meta", bits.join(" · ")));
      if (n.authors) panelBody.appendChild(el("div", "gk-meta", n.authors));
      var c = commById.get(n.community);
      if (c) {
        var chip = el("span", "gk-chip", c.label);
        chip.style.background = c.color;
        var cd = el("div", "gk-meta", "Community: ");
        cd.appendChild(chip);
        panelBody.appendChild(cd);
      }
      var href = safeUrl(n.url);
      if (href) {
        var a = el("a", null, href);
        a.href = href;
        a.target = "_blank";
        a.rel = "noopener noreferrer";
        var ld = el("div", "gk-meta");
        ld.appendChild(a);
        panelBody.appendChild(ld);
      }
      if (n.abstract) panelBody.appendChild(el("p", "gk-abstract", n.abstract));
      var facts = el("div");
      line(facts, "Defines", list(n.defines).join(", "));
      line(facts, "Key phrases", list(n.keyphrases).join(", "));
      line(facts, "Mentions", list(n.mentions).join(", "));
      panelBody.appendChild(facts);
    }
    if (!nodeVisible.get(id)) panelBody.appendChild(el("div", "gk-meta", "(hidden by the current filters)"));
    var groups = { mention: [], keyword: [], similarity: [] };
    (adj.get(id) || []).forEach(function (i) {
      var e = D.edges[i];
      e.kinds.forEach(function (k) { if (groups[k]) groups[k].push(e); });
    });
    var titles = { mention: "Mention links", keyword: "Shared terms", similarity: "Similar text" };
    KINDS.forEach(function (k) {
      var g = groups[k];
      if (!g.length) return;
      var w = "w_" + k;
      g.sort(function (a, b) { return (b[w] || b.weight) - (a[w] || a.weight) || (a.from + a.to < b.from + b.to ? -1 : 1); });
      panelBody.appendChild(el("h3", null, titles[k] + " (" + g.length + ")"));
      var ul = el("ul");
      g.slice(0, 40).forEach(function (e) {
        var li = el("li");
        li.appendChild(nbButton(e.from === id ? e.to : e.from));
        var ev = el("div", "gk-ev");
        var one = { kinds: [k] };
        Object.keys(e).forEach(function (key) { if (key !== "kinds") one[key] = e[key]; });
        edgeEvidence(one, ev, { short: false });
        li.appendChild(ev);
        ul.appendChild(li);
      });
      if (g.length > 40) ul.appendChild(el("li", "gk-ev", "… and " + (g.length - 40) + " more"));
      panelBody.appendChild(ul);
    });
    panel.hidden = false;
    network.redraw();
  }
  function closePanel() { panel.hidden = true; }
  $("gk-panel-close").addEventListener("click", function () { closePanel(); clearHighlight(); });

  function focusNode(id) {
    if (!byId.has(id)) return false;
    highlight(id);
    openPanel(id);
    if (nodeVisible.get(id)) {
      network.focus(id, { scale: Math.max(network.getScale(), 0.9), animation: { duration: 350, easingFunction: "easeInOutQuad" } });
    }
    return true;
  }
  network.on("click", function (p) {
    hideTip();
    if (p.nodes.length) { focusNode(p.nodes[0]); return; }
    if (p.edges.length) {
      var e = D.edges[p.edges[0]];
      if (e) openEdgePanel(e);
      return;
    }
    clearHighlight();
    closePanel();
  });
  function openEdgePanel(e) {
    while (panelBody.firstChild) panelBody.removeChild(panelBody.firstChild);
    panelBody.appendChild(el("h2", null, "Link"));
    var d = el("div", "gk-meta");
    d.appendChild(nbButton(e.from));
    d.appendChild(document.createTextNode(" — "));
    d.appendChild(nbButton(e.to));
    panelBody.appendChild(d);
    line(panelBody, "kinds", e.kinds.map(function (k) { return KIND_NAMES[k]; }).join(" + ") + " · weight " + fmt(e.weight, 3));
    var ev = el("div", "gk-ev");
    edgeEvidence(e, ev, { short: false });
    panelBody.appendChild(ev);
    panel.hidden = false;
  }

  // ---- search -------------------------------------------------------------------------------
  var hay = D.nodes.map(function (n) {
    return {
      n: n,
      names: [n.short_name, n.kind === "method" ? n.label : ""].concat(list(n.defines)).filter(Boolean).map(function (s) { return s.toLowerCase(); }),
      primary: [n.label, n.title, n.id, n.arxiv_id, n.doi, n.short_name, n.defines].join(" ").toLowerCase(),
      secondary: [n.mentions, n.keyphrases].join(" ").toLowerCase(),
    };
  });
  function search(q) {
    q = String(q || "").trim().toLowerCase();
    if (!q) return [];
    var words = q.split(/\s+/);
    var out = [];
    hay.forEach(function (h) {
      var tier;
      if (h.names.indexOf(q) >= 0 || h.n.id.toLowerCase() === q) tier = 0;
      else if (words.every(function (w) { return h.primary.indexOf(w) >= 0; })) tier = 1;
      else if (words.every(function (w) { return h.secondary.indexOf(w) >= 0 || h.primary.indexOf(w) >= 0; })) tier = 2;
      else return;
      out.push({ id: h.n.id, tier: tier, size: h.n.size });
    });
    out.sort(function (a, b) { return a.tier - b.tier || b.size - a.size || (a.id < b.id ? -1 : 1); });
    return out;
  }
  var searchBox = $("gk-search"), results = $("gk-results");
  function renderResults() {
    var found = search(searchBox.value);
    while (results.firstChild) results.removeChild(results.firstChild);
    if (searchBox.value.trim() && !found.length) results.appendChild(el("li", "gk-small", "no match"));
    found.slice(0, 12).forEach(function (r) {
      var n = byId.get(r.id);
      var li = el("li");
      var b = el("button", null, clip(n.kind === "method" ? n.label + " (method)" : (n.title || n.label), 90));
      b.type = "button";
      if (r.tier === 2) b.appendChild(el("span", "gk-why", " — mentions it"));
      b.addEventListener("click", function () { focusNode(r.id); });
      li.appendChild(b);
      results.appendChild(li);
    });
    if (found.length > 12) results.appendChild(el("li", "gk-small", "… " + (found.length - 12) + " more"));
    return found;
  }
  var searchTimer = null;
  searchBox.addEventListener("input", function () {
    clearTimeout(searchTimer);
    searchTimer = setTimeout(renderResults, 120);
  });
  searchBox.addEventListener("keydown", function (ev) {
    if (ev.key === "Enter") {
      var found = renderResults();
      if (found.length) focusNode(found[0].id);
    } else if (ev.key === "Escape") {
      searchBox.value = "";
      renderResults();
      clearHighlight();
      closePanel();
    }
  });

  // ---- legend and filter controls ------------------------------------------------------------
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
  var kindCounts = { keyword: 0, similarity: 0, mention: 0 };
  D.edges.forEach(function (e) { e.kinds.forEach(function (k) { kindCounts[k] += 1; }); });
  var kindRows = {};
  ["keyword", "similarity", "mention"].forEach(function (k) {
    var sw = el("span", "gk-line" + (k === "similarity" ? " gk-dashed" : ""));
    sw.style.borderTopColor = D.edge_colors[k];
    var label = { keyword: "shared terms (keyword)", similarity: "similar text", mention: "mention (arrow: A names B)" }[k];
    kindRows[k] = legendRow($("gk-edge-kinds"), sw, label, kindCounts[k].toLocaleString("en-US"), function () { setEdgeKind(k, state.hiddenKinds.has(k)); });
    kindRows[k].id = "gk-kind-" + k;
  });
  var nodeKindRows = {};
  var nPapers = D.nodes.filter(function (n) { return n.kind === "paper"; }).length;
  [["paper", "papers (colour = community)", nPapers], ["method", "methods (named, not introduced here)", D.nodes.length - nPapers]].forEach(function (r) {
    var sw = el("span", "gk-sw" + (r[0] === "method" ? " gk-diamond" : ""));
    sw.style.background = r[0] === "method" ? D.method_color : "#4e79a7";
    nodeKindRows[r[0]] = legendRow($("gk-node-kinds"), sw, r[1], r[2].toLocaleString("en-US"), function () {
      if (state.hiddenNodeKinds.has(r[0])) state.hiddenNodeKinds.delete(r[0]); else state.hiddenNodeKinds.add(r[0]);
      applyFilters();
    });
  });
  var commRows = new Map();
  D.communities.forEach(function (c) {
    if (!c.shown) return;
    var sw = el("span", "gk-sw");
    sw.style.background = c.color;
    var count = c.shown === c.size ? String(c.size) : c.shown + "/" + c.size;
    var row = legendRow($("gk-communities"), sw, c.label, count, function () { setCommunity(c.id, state.hiddenCommunities.has(c.id)); });
    row.title = c.label + " — " + c.size + " papers";
    row.setAttribute("data-community", String(c.id));
    commRows.set(c.id, row);
  });
  $("gk-comm-all").addEventListener("click", function () { state.hiddenCommunities.clear(); applyFilters(); });
  $("gk-comm-none").addEventListener("click", function () {
    D.communities.forEach(function (c) { state.hiddenCommunities.add(c.id); });
    applyFilters();
  });
  function renderLegendState() {
    Object.keys(kindRows).forEach(function (k) { kindRows[k].classList.toggle("gk-off", state.hiddenKinds.has(k)); });
    Object.keys(nodeKindRows).forEach(function (k) { nodeKindRows[k].classList.toggle("gk-off", state.hiddenNodeKinds.has(k)); });
    commRows.forEach(function (row, id) { row.classList.toggle("gk-off", state.hiddenCommunities.has(id)); });
  }
  function setEdgeKind(kind, on) {
    if (on) state.hiddenKinds.delete(kind); else state.hiddenKinds.add(kind);
    applyFilters();
  }
  function setCommunity(id, on) {
    if (on) state.hiddenCommunities.delete(id); else state.hiddenCommunities.add(id);
    applyFilters();
  }

  var sortedW = D.edges.map(function (e) { return e.weight; }).sort(function (a, b) { return a - b; });
  function setMinWeightPercent(p) {
    p = Math.max(0, Math.min(100, Number(p) || 0));
    $("gk-weight").value = String(p);
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

  function setYears(lo, hi) {
    if (state.yearMin === null) return;
    var a = Math.min(Number(lo), Number(hi)), b = Math.max(Number(lo), Number(hi));
    state.yearMin = a;
    state.yearMax = b;
    $("gk-year-min").value = String(a);
    $("gk-year-max").value = String(b);
    $("gk-year-value").textContent = a + "–" + b;
    applyFilters();
  }
  if (state.yearMin !== null) {
    $("gk-years").hidden = false;
    ["gk-year-min", "gk-year-max"].forEach(function (id) {
      var s = $(id);
      s.min = String(state.yearMin);
      s.max = String(state.yearMax);
      s.step = "1";
      s.value = String(id === "gk-year-min" ? state.yearMin : state.yearMax);
      s.addEventListener("input", function () { setYears($("gk-year-min").value, $("gk-year-max").value); });
    });
    $("gk-year-value").textContent = state.yearMin + "–" + state.yearMax;
    $("gk-year-unknown").addEventListener("change", function (ev) { state.yearUnknown = ev.target.checked; applyFilters(); });
  }

  function setPhysics(on) {
    state.physics = !!on;
    $("gk-physics").checked = state.physics;
    network.setOptions({ physics: { enabled: state.physics } });
  }
  $("gk-physics").addEventListener("change", function (ev) { setPhysics(ev.target.checked); });
  $("gk-fit").addEventListener("click", function () { network.fit({ animation: { duration: 300 } }); });

  function counts() {
    return {
      nodes: nodesView.length, edges: edgesView.length,
      drawnNodes: network.body.nodeIndices.length, drawnEdges: network.body.edgeIndices.length,
    };
  }
  function renderStatus() {
    var c = counts();
    $("gk-status").textContent = "Drawn: " + c.nodes.toLocaleString("en-US") + " nodes, " + c.edges.toLocaleString("en-US") + " edges";
  }
  renderLegendState();
  renderStatus();

  window.graphkit = {
    network: network, nodes: nodes, edges: edges, nodesView: nodesView, edgesView: edgesView,
    data: D, state: state, search: search, focusNode: focusNode, clearFocus: function () { clearHighlight(); closePanel(); },
    setEdgeKind: setEdgeKind, setCommunity: setCommunity, setMinWeightPercent: setMinWeightPercent,
    setYears: setYears, setPhysics: setPhysics, counts: counts,
  };
})();
