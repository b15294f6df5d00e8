// The graph view: draws the JSON in <script id="graph-data"> with vis-network.
// Shared by `dealgraph viz` pages (inlined) and the web app (served as /static/graph.js, so the
// Content-Security-Policy allows no inline script). Data is only ever read as JSON and shown as
// text: tooltips are strings, which vis-network renders as text.
var data = JSON.parse(document.getElementById("graph-data").textContent);
var container = document.getElementById("graph");
var nodes = new vis.DataSet(data.nodes);
var edges = new vis.DataSet(data.edges);
var network = new vis.Network(container, {nodes: nodes, edges: edges}, data.options);
var statusText = document.getElementById("status");

function settled() {
  // Physics has done its work: stop it so the layout stays put and the page stays light.
  network.setOptions({physics: {enabled: false}});
  network.fit();
  if (network.getScale() > 1) network.moveTo({scale: 1});  // small graphs: no giant labels
  if (statusText) statusText.textContent = "";
  document.body.setAttribute("data-ready", "1");
}
network.on("stabilizationProgress", function (p) {
  if (statusText) statusText.textContent = "· laying out… " + Math.round(100 * p.iterations / p.total) + "%";
});
network.once("stabilizationIterationsDone", settled);
if (nodes.length === 0) settled();

// In the web app a click on an entity opens its page (the container says where pages live).
var entityHref = container.getAttribute("data-entity-href");
if (entityHref) {
  network.on("click", function (params) {
    if (params.nodes.length !== 1) return;
    var node = nodes.get(params.nodes[0]);
    if (node && node.entity_id) window.location.assign(entityHref + encodeURIComponent(node.entity_id));
  });
  network.on("hoverNode", function (params) {
    var node = nodes.get(params.node);
    container.style.cursor = node && node.entity_id ? "pointer" : "default";
  });
  network.on("blurNode", function () { container.style.cursor = "default"; });
}

function applyFilters() {
  var hiddenKinds = {}, hiddenTypes = {};
  document.querySelectorAll("#legend input[data-kind]").forEach(function (box) { hiddenKinds[box.dataset.kind] = !box.checked; });
  document.querySelectorAll("#legend input[data-type]").forEach(function (box) { hiddenTypes[box.dataset.type] = !box.checked; });
  var kindOf = {};
  nodes.update(nodes.get().map(function (n) { kindOf[n.id] = n.kind; return {id: n.id, hidden: !!hiddenKinds[n.kind]}; }));
  edges.update(edges.get().map(function (e) {
    return {id: e.id, hidden: !!(hiddenTypes[e.rel_type] || hiddenKinds[kindOf[e.from]] || hiddenKinds[kindOf[e.to]])};
  }));
}
document.querySelectorAll("#legend input").forEach(function (box) { box.addEventListener("change", applyFilters); });
