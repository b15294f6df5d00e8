// The review page (graph/web/templates/review.html): the article with every drafted quote
// highlighted, the facts beside it; accept, edit, reject, add a fact from selected words; the
// decisions go to /save as JSON in the form's `review` field. Everything shown is set as text
// (textContent), never as HTML.
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("draft-data").textContent);
  var textEl = document.getElementById("article-text");
  var text = textEl.textContent;
  var list = document.getElementById("facts");
  var template = document.getElementById("fact-template");
  var entities = {};
  (data.entities || []).forEach(function (e) { entities[e.id] = e; });
  var facts = data.facts || [];
  facts.forEach(function (f) { f.status = f.status || "pending"; });

  function nameOf(id) { return id ? (entities[id] ? entities[id].name : id) : "?"; }

  function spanOf(fact) {  // [start, end) of the fact's quote in the article, or null
    var quote = (fact.evidence || "").trim();
    if (!quote) { return null; }
    var at = text.indexOf(quote);
    if (at < 0) { at = text.toLowerCase().indexOf(quote.toLowerCase()); }
    return at < 0 ? null : [at, at + quote.length];
  }

  // -- the article, cut at every quote's ends: each piece lists the facts that quote it -------------
  function renderText() {
    var spans = facts.map(function (f) { return f.status === "rejected" ? null : spanOf(f); });
    var cuts = [0, text.length];
    spans.forEach(function (s) { if (s) { cuts.push(s[0], s[1]); } });
    cuts = cuts.filter(function (v, i, all) { return all.indexOf(v) === i; }).sort(function (a, b) { return a - b; });
    textEl.textContent = "";
    for (var k = 0; k < cuts.length - 1; k++) {
      var a = cuts[k], b = cuts[k + 1], covering = [];
      spans.forEach(function (s, i) { if (s && s[0] <= a && b <= s[1]) { covering.push(i); } });
      if (covering.length) {
        var mark = document.createElement("mark");
        mark.textContent = text.slice(a, b);
        mark.setAttribute("data-facts", covering.join(" "));
        textEl.appendChild(mark);
      } else {
        textEl.appendChild(document.createTextNode(text.slice(a, b)));
      }
    }
  }

  function focusFact(i) {
    document.querySelectorAll("mark.focus, .fact.focus").forEach(function (el) { el.classList.remove("focus"); });
    list.children[i].classList.add("focus");
    var marks = Array.prototype.filter.call(textEl.querySelectorAll("mark"), function (m) {
      return m.getAttribute("data-facts").split(" ").indexOf(String(i)) >= 0;
    });
    marks.forEach(function (m) { m.classList.add("focus"); });
    if (marks.length) { marks[0].scrollIntoView({block: "nearest"}); }
  }

  textEl.addEventListener("click", function (event) {
    var mark = event.target.closest("mark");
    if (!mark) { return; }
    document.querySelectorAll("mark.focus, .fact.focus").forEach(function (el) { el.classList.remove("focus"); });
    mark.classList.add("focus");
    var ids = mark.getAttribute("data-facts").split(" ");
    ids.forEach(function (i) { list.children[Number(i)].classList.add("focus"); });
    list.children[Number(ids[0])].scrollIntoView({block: "nearest"});
  });

  // -- the facts ----------------------------------------------------------------------------------------
  function detail(f) {
    var parts = [];
    if (f.amount !== undefined && f.amount !== null && f.amount !== "") { parts.push("amount " + f.amount + (f.currency ? " " + f.currency : "")); }
    if (f.date) { parts.push("date " + f.date); }
    if (f.led) { parts.push("lead investor"); }
    if (f.round) { parts.push("round " + f.round); }
    if (f.caveat) { parts.push("caveat: " + f.caveat); }
    return parts.join(" · ");
  }

  function renderFacts() {
    list.textContent = "";
    facts.forEach(function (f, i) {
      var li = template.content.firstElementChild.cloneNode(true);
      li.classList.add(f.status);
      li.setAttribute("data-index", i);
      li.querySelector(".fact-status").textContent = {accepted: "✔ accepted", rejected: "✘ rejected", pending: "… to decide"}[f.status];
      li.querySelector(".fact-type").textContent = f.type;
      li.querySelector(".fact-ends").textContent = nameOf(f.from) + " → " + nameOf(f.to);
      li.querySelector(".fact-detail").textContent = detail(f);
      li.querySelector(".fact-quote").textContent = f.evidence || "";
      li.querySelector(".accept").addEventListener("click", function (e) { e.stopPropagation(); setStatus(i, "accepted"); });
      li.querySelector(".reject").addEventListener("click", function (e) { e.stopPropagation(); setStatus(i, "rejected"); });
      li.querySelector(".edit").addEventListener("click", function (e) { e.stopPropagation(); openEditor(li, f); });
      li.addEventListener("click", function (e) { if (!e.target.closest(".fact-editor")) { focusFact(i); } });
      list.appendChild(li);
    });
    var n = {accepted: 0, rejected: 0, pending: 0};
    facts.forEach(function (f) { n[f.status] += 1; });
    document.getElementById("fact-counts").textContent =
      "(" + n.accepted + " accepted, " + n.rejected + " rejected, " + n.pending + " to decide)";
  }

  function setStatus(i, status) { facts[i].status = status; refresh(); }
  function refresh() { renderText(); renderFacts(); }

  // -- editing: entities from the resolver's suggestions (/search.json), the other fields as typed -----
  function slug(name) {
    return name.normalize("NFKD").replace(/[\u0300-\u036f]/g, "").toLowerCase().replace(/[^a-z0-9]+/g, "-")
      .replace(/^-+|-+$/g, "").slice(0, 60) || "entity";
  }

  function entityField(editor, end, fact) {
    var input = editor.querySelector(".f-" + end + "-name");
    var shown = editor.querySelector(".f-" + end + "-id");
    var box = editor.querySelector(".f-" + end + "-suggestions");
    var choose = function (id) { editor.setAttribute("data-" + end, id); shown.textContent = " " + id; input.value = nameOf(id); box.textContent = ""; };
    editor.setAttribute("data-" + end, fact[end] || "");
    input.value = fact[end] ? nameOf(fact[end]) : "";
    shown.textContent = fact[end] ? " " + fact[end] : "";
    var timer = null;
    input.addEventListener("input", function () {
      clearTimeout(timer);
      editor.setAttribute("data-" + end, "");
      shown.textContent = "";
      var q = input.value.trim();
      timer = setTimeout(function () {
        if (!q) { box.textContent = ""; return; }
        fetch("/search.json?q=" + encodeURIComponent(q)).then(function (r) { return r.json(); }).then(function (hits) {
          if (input.value.trim() !== q) { return; }
          box.textContent = "";
          (Array.isArray(hits) ? hits : []).slice(0, 6).forEach(function (h) {
            var li = document.createElement("li"), b = document.createElement("button");
            b.type = "button";
            b.className = "suggestion";
            b.textContent = h.name + " (" + h.id + (h.kind ? ", " + h.kind : "") + ")";
            b.addEventListener("click", function () { entities[h.id] = entities[h.id] || {id: h.id, name: h.name, kind: h.kind, linked: true}; choose(h.id); });
            li.appendChild(b);
            box.appendChild(li);
          });
          var li = document.createElement("li"), kind = document.createElement("select"), b = document.createElement("button");
          ["Company", "Fund", "GovernmentBody", "Person", "Model"].forEach(function (k) { var o = document.createElement("option"); o.textContent = k; kind.appendChild(o); });
          b.type = "button";
          b.className = "new-entity";
          b.textContent = "New entity “" + q + "”";
          b.addEventListener("click", function () {
            var id = slug(q);
            entities[id] = entities[id] && !entities[id].added ? entities[id] : {id: id, name: q, kind: kind.value, added: true};
            choose(id);
          });
          li.appendChild(kind);
          li.appendChild(b);
          box.appendChild(li);
        });
      }, 250);
    });
  }

  function openEditor(li, f) {
    var editor = li.querySelector(".fact-editor");
    editor.hidden = false;
    editor.querySelector(".f-type").value = f.type;
    entityField(editor, "from", f);
    entityField(editor, "to", f);
    editor.querySelector(".f-amount").value = f.amount === undefined || f.amount === null ? "" : f.amount;
    editor.querySelector(".f-currency").value = f.currency || "";
    editor.querySelector(".f-date").value = f.date || "";
    editor.querySelector(".f-led").checked = !!f.led;
    editor.querySelector(".f-caveat").value = f.caveat || "";
    editor.querySelector(".f-evidence").value = f.evidence || "";
    editor.querySelector(".done").addEventListener("click", function (e) {
      e.stopPropagation();
      var value = function (cls) { return editor.querySelector(cls).value.trim(); };
      f.type = value(".f-type");
      f.from = editor.getAttribute("data-from");
      f.to = editor.getAttribute("data-to");
      var amount = value(".f-amount").replace(/[,_\s]/g, "");
      if (amount === "") { delete f.amount; delete f.amount_text; } else if (String(f.amount) !== amount) {
        f.amount = isFinite(Number(amount)) ? Number(amount) : amount;
        delete f.amount_text; delete f.amount_usd;
      }
      ["currency", "date", "caveat", "evidence"].forEach(function (k) {
        var v = value(".f-" + k);
        if (v) { f[k] = k === "currency" ? v.toUpperCase() : v; } else { delete f[k]; }
      });
      if (f.date !== undefined) { delete f.date_text; }
      if (editor.querySelector(".f-led").checked) { f.led = true; } else { delete f.led; }
      f.status = "accepted";
      f.edited = true;
      refresh();
    }, {once: true});
  }

  // -- a fact from selected words -------------------------------------------------------------------
  var addButton = document.getElementById("add-fact");
  var selected = "";
  document.addEventListener("selectionchange", function () {
    var sel = window.getSelection();
    var inside = sel.rangeCount && textEl.contains(sel.getRangeAt(0).commonAncestorContainer);
    selected = inside ? sel.toString().trim() : "";
    addButton.disabled = !selected;
  });
  addButton.addEventListener("click", function () {
    if (!selected) { return; }
    facts.push({type: "INVESTED_IN", evidence: selected, status: "pending", added: true});
    refresh();
    var li = list.children[facts.length - 1];
    openEditor(li, facts[facts.length - 1]);
    li.scrollIntoView({block: "nearest"});
  });

  // -- saving ---------------------------------------------------------------------------------------------
  document.getElementById("save").addEventListener("submit", function () {
    var added = Object.keys(entities).map(function (id) { return entities[id]; }).filter(function (e) { return e.added; });
    document.getElementById("review-json").value = JSON.stringify({
      entities: (data.entities || []).concat(added), rounds: data.rounds || [], facts: facts
    });
  });

  refresh();
  document.body.setAttribute("data-ready", "1");
}());
