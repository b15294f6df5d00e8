/* dealgraph's WebGL page (graph.webgl): sigma.js over a graphology graph, laid out beforehand.
 * Every text from the data reaches the page through textContent or sigma's canvas labels, never
 * as markup. What the page holds is exposed for tests: body[data-nodes|edges|ready] and
 * window.dealgraph. */
(function () {
  "use strict";
  var started = performance.now();
  var data = JSON.parse(document.getElementById("webgl-data").textContent);
  var status = document.getElementById("status");
  var GraphClass = graphology.MultiDirectedGraph;
  var graph = new GraphClass({allowSelfLoops: true});
  var kinds = data.kinds, types = data.types;
  var hiddenKinds = new Set(), hiddenTypes = new Set();
  var selected = null, neighbours = null;

  // -- the graph --------------------------------------------------------------------------------
  var N = data.nodes, E = data.edges;
  for (var i = 0; i < N.length; i++) {
    var n = N[i];
    graph.addNode(String(i), {label: n[1], kind: n[2], x: n[3], y: n[4], size: n[5], color: n[6],
                              forceLabel: n[10] === 1});
  }
  for (var j = 0; j < E.length; j++) {
    var e = E[j], t = types[e[2]];
    graph.addEdgeWithKey(String(j), String(e[0]), String(e[1]),
                         {rel: e[2], size: e[3], color: t.edge_colour, type: t.arrow ? "arrow" : "line"});
  }

  // -- what is shown ------------------------------------------------------------------------------
  function nodeReducer(node, attrs) {
    if (hiddenKinds.has(attrs.kind)) return Object.assign({}, attrs, {hidden: true});
    if (selected === null) return attrs;
    if (node === selected) return Object.assign({}, attrs, {highlighted: true, forceLabel: true, zIndex: 2});
    if (neighbours.has(node)) return Object.assign({}, attrs, {forceLabel: true, zIndex: 1});
    return Object.assign({}, attrs, {color: "#e4e4e4", label: null, forceLabel: false, zIndex: 0});
  }
  function edgeReducer(edge, attrs) {
    if (hiddenTypes.has(attrs.rel)) return Object.assign({}, attrs, {hidden: true});
    if (selected === null) return attrs;
    var ends = graph.extremities(edge);
    if (ends[0] === selected || ends[1] === selected) return Object.assign({}, attrs, {size: attrs.size + 1, zIndex: 1});
    return Object.assign({}, attrs, {color: "rgba(220,220,220,0.3)", zIndex: 0});
  }

  var container = document.getElementById("graph");
  var renderer = new Sigma(graph, container, {
    nodeReducer: nodeReducer, edgeReducer: edgeReducer, zIndex: true,
    renderEdgeLabels: false, hideEdgesOnMove: data.big, hideLabelsOnMove: data.big,
    labelRenderedSizeThreshold: N.length > 300 ? 12 : 4, labelDensity: 0.5, labelGridCellSize: 120,
    labelFont: "system-ui, sans-serif", defaultEdgeType: "line",
    minCameraRatio: 0.0005, maxCameraRatio: 20, itemSizesReference: "screen",
  });

  // -- details: a node's properties, sources and relationships --------------------------------------
  function el(tag, text, cls) {
    var x = document.createElement(tag);
    if (text !== undefined && text !== null) x.textContent = String(text);
    if (cls) x.className = cls;
    return x;
  }
  function clear(x) { while (x.firstChild) x.removeChild(x.firstChild); }
  var MAX_RELS = 200;
  function showDetails(node) {
    var n = N[+node], box = document.getElementById("details");
    document.getElementById("details-name").textContent = n[1];
    document.getElementById("details-kind").textContent = kinds[n[2]].kind +
      (n[8].length ? " · also " + n[8].join(", ") : "");
    var link = document.getElementById("details-link");
    link.hidden = !(data.entity_href && n[7]);
    if (!link.hidden) document.getElementById("details-href").setAttribute(
      "href", data.entity_href + encodeURIComponent(n[7]));
    var dl = document.getElementById("details-props");
    clear(dl);
    n[9].forEach(function (pair) { dl.appendChild(el("dt", pair[0])); dl.appendChild(el("dd", pair[1])); });
    var list = document.getElementById("details-rels");
    clear(list);
    var edges = graph.edges(node);
    document.getElementById("details-rels-title").textContent = edges.length + " relationship" +
      (edges.length === 1 ? "" : "s") + (edges.length > MAX_RELS ? " (the first " + MAX_RELS + ")" : "");
    edges.slice(0, MAX_RELS).forEach(function (edge) {
      var e = E[+edge], out = String(e[0]) === node, other = N[out ? e[1] : e[0]];
      var li = el("li");
      li.appendChild(el("span", (out ? types[e[2]].type + " → " : "← " + types[e[2]].type + " · ") + other[1]));
      if (e[4].length) li.appendChild(el("div", e[4].map(function (p) { return p[0] + ": " + p[1]; }).join("; "), "props"));
      list.appendChild(li);
    });
    box.hidden = false;
  }
  function select(node) {
    selected = node === null || node === undefined ? null : String(node);
    neighbours = selected === null ? null : new Set(graph.neighbors(selected));
    if (selected !== null) {
      showDetails(selected);
      var pos = renderer.getNodeDisplayData(selected);
      if (pos) renderer.getCamera().animate({x: pos.x, y: pos.y, ratio: Math.min(renderer.getCamera().ratio, 0.15)},
                                            {duration: 300});
    }
    renderer.refresh();
  }
  renderer.on("enterNode", function (event) { showDetails(event.node); });
  renderer.on("clickNode", function (event) { select(event.node); });
  renderer.on("clickStage", function () { if (selected !== null) select(null); });

  // -- search over names and aliases, in any script ---------------------------------------------------
  function fold(s) {
    return String(s).normalize("NFKD").replace(/[\u0300-\u036f]/g, "").replace(/đ/g, "d").replace(/Đ/g, "d")
      .toLowerCase().replace(/\s+/g, " ").trim();
  }
  var index = N.map(function (n) { return [fold(n[1])].concat(n[8].map(fold)); });
  function search(query) {
    var q = fold(query), found = [];
    if (!q) return found;
    for (var i = 0; i < index.length; i++) {
      if (hiddenKinds.has(N[i][2])) continue;
      var names = index[i], best = -1;
      for (var k = 0; k < names.length; k++) {
        var at = names[k].indexOf(q);
        if (at < 0) continue;
        var score = names[k] === q ? 3 : at === 0 ? 2 : 1;
        if (score > best) best = score;
      }
      if (best >= 0) found.push({node: String(i), score: best, size: N[i][5]});
    }
    found.sort(function (a, b) { return b.score - a.score || b.size - a.size; });
    return found.slice(0, 25).map(function (f) {
      var n = N[+f.node], q2 = fold(query);
      var alias = n[8].filter(function (a) { return fold(a).indexOf(q2) >= 0; })[0];
      return {node: f.node, name: n[1], alias: fold(n[1]).indexOf(q2) >= 0 ? null : alias || null,
              kind: kinds[n[2]].kind};
    });
  }
  var box = document.getElementById("search-box"), results = document.getElementById("results");
  function showResults() {
    clear(results);
    search(box.value).forEach(function (r) {
      var li = el("li"), button = el("button");
      button.type = "button";
      button.dataset.node = r.node;
      button.appendChild(el("span", r.name));
      button.appendChild(el("span", r.alias ? "as " + r.alias + " · " + r.kind : r.kind, "also"));
      button.addEventListener("click", function () { select(r.node); });
      li.appendChild(button);
      results.appendChild(li);
    });
  }
  box.addEventListener("input", showResults);
  document.getElementById("search").addEventListener("submit", function (event) {
    event.preventDefault();
    var first = results.querySelector("button");
    if (first) first.click();
  });

  // -- the legend hides kinds and types ----------------------------------------------------------------
  function legendItem(parent, item, swatchClass, set, position, text) {
    var label = el("label"), check = el("input"), swatch = el("span", null, swatchClass);
    check.type = "checkbox";
    check.checked = true;
    check.dataset[swatchClass === "line" ? "type" : "kind"] = item[swatchClass === "line" ? "type" : "kind"];
    swatch.style.background = item.colour;
    check.addEventListener("change", function () {
      if (check.checked) set.delete(position); else set.add(position);
      if (selected !== null && set === hiddenKinds && hiddenKinds.has(N[+selected][2])) selected = null;
      renderer.refresh();
      showResults();
    });
    label.appendChild(check);
    label.appendChild(swatch);
    label.appendChild(el("span", text));
    label.appendChild(el("span", item.count.toLocaleString("en"), "count"));
    parent.appendChild(label);
  }
  var kindBox = document.getElementById("legend-kinds"), typeBox = document.getElementById("legend-types");
  kinds.forEach(function (k, i) { legendItem(kindBox, k, "swatch", hiddenKinds, i, k.kind); });
  types.forEach(function (t, i) { legendItem(typeBox, t, "line", hiddenTypes, i, t.label); });
  document.getElementById("hint").textContent = "Untick to hide. Hover a node for its properties and sources, " +
    "click it for its relationships" + (data.entity_href ? " and a link to its page" : "") +
    "; drag to move, scroll to zoom. Colour: " + (data.color_by === "community" ?
      "community of the co-investment analysis (grey: none or a small one)" : "kind") + ". Size: " +
    ({money: "money invested (USD)", pagerank: "PageRank in the co-investment network"}[data.size_by] ||
     "number of relationships") + ".";

  // -- for tests and benchmarks -------------------------------------------------------------------------
  function visible() {
    var nodes = 0, edges = 0;
    graph.forEachNode(function (node) { var d = renderer.getNodeDisplayData(node); if (d && !d.hidden) nodes++; });
    graph.forEachEdge(function (edge) {
      var d = renderer.getEdgeDisplayData(edge), ends = graph.extremities(edge);
      var a = renderer.getNodeDisplayData(ends[0]), b = renderer.getNodeDisplayData(ends[1]);
      if (d && !d.hidden && !a.hidden && !b.hidden) edges++;
    });
    return {nodes: nodes, edges: edges};
  }
  function frames(steps) {
    // Pan and zoom through `steps` camera states, one per animation frame. For each: `render`,
    // the time sigma takes to draw the new view (every visible node and edge, labels included:
    // edges are not hidden, as they are while a user drags), and `frame`, the time from one
    // animation frame to the next (what the browser shows a user moving the view).
    return new Promise(function (resolve) {
      var camera = renderer.getCamera(), render = [], frame = [], k = 0, start = camera.getState(), last = null;
      function step(now) {
        if (last !== null) frame.push(now - last);
        last = now;
        if (k === steps) { camera.setState(start); resolve({render: render, frame: frame}); return; }
        var phase = k / steps * 2 * Math.PI;
        camera.setState({x: 0.5 + 0.25 * Math.cos(phase), y: 0.5 + 0.25 * Math.sin(phase),
                         ratio: Math.pow(2, -2 * Math.sin(phase / 2)), angle: 0});
        var t0 = performance.now();
        renderer.render();
        render.push(performance.now() - t0);
        k++;
        requestAnimationFrame(step);
      }
      requestAnimationFrame(step);
    });
  }
  window.dealgraph = {graph: graph, renderer: renderer, data: data, visible: visible, search: search,
                      select: select, frames: frames,
                      selected: function () { return selected === null ? null : N[+selected][1]; }};
  var drawn = performance.now();
  status.textContent = "drawn in " + ((drawn - started) / 1000).toFixed(1) + " s";
  document.body.dataset.firstFrameMs = String(Math.round(drawn));
  document.body.dataset.ready = "1";
})();
