// claimtrack site: filters and search over the claims, in the browser, from files of the site
// only (works from file:// and any static host). The index is split into chunks, loaded when a
// filter or a search is first used. Data is put on the page as text, never as HTML. Filters,
// search and page live in the query string: a filtered view can be linked, and Back and
// Forward restore it.
(function () {
  "use strict";
  var meta = window.CT_META;
  var form = document.getElementById("filters");
  if (!meta || !form) { return; }
  var PAGE = 100;
  var rows = [];
  var loaded = 0;
  var loading = null;
  var page = 0;
  var tbody = document.querySelector("#claims tbody");
  var serverRows = tbody.innerHTML;
  var count = document.getElementById("count");
  var pager = document.getElementById("pager");
  var serverPager = pager.innerHTML;
  var serverCount = count.textContent;

  function key(text) {
    return String(text).normalize("NFKD").replace(/\p{M}/gu, "").toLowerCase();
  }

  window.CT_CHUNK = function (index, data) {
    for (var i = 0; i < data.length; i++) { rows.push(data[i]); }
    loaded += 1;
  };

  function loadAll() {
    if (loading) { return loading; }
    loading = new Promise(function (resolve, reject) {
      function next(i) {
        if (i >= meta.chunks) { resolve(); return; }
        var script = document.createElement("script");
        script.src = meta.root + "search/chunk-" + i + ".js";
        script.onload = function () { next(i + 1); };
        script.onerror = function () { reject(new Error("cannot load " + script.src)); };
        document.body.appendChild(script);
      }
      next(0);
    });
    return loading;
  }

  function cell(tr, node) {
    var td = document.createElement("td");
    td.appendChild(node);
    tr.appendChild(td);
  }

  function text(value) { return document.createTextNode(value); }

  function render(matches) {
    tbody.textContent = "";
    var start = page * PAGE;
    var shown = matches.slice(start, start + PAGE);
    shown.forEach(function (r) {
      var tr = document.createElement("tr");
      var a = document.createElement("a");
      a.href = meta.root + "claims/" + encodeURIComponent(r[0]) + ".html";
      a.textContent = r[1] === null ? "statement withheld (" + r[0] + ")" : r[1];
      cell(tr, a);
      var badge = document.createElement("span");
      badge.className = "badge status-" + r[2].replace(/[^a-z_]/g, "");
      badge.textContent = meta.words[r[2]] || r[2];
      cell(tr, badge);
      cell(tr, text(r[3]));
      cell(tr, text(r[4].join("; ")));
      cell(tr, text(r[5]));
      tbody.appendChild(tr);
    });
    var pages = Math.max(1, Math.ceil(matches.length / PAGE));
    count.textContent = matches.length === 0 ? "No claim matches." :
      matches.length + " claims match; showing " + (start + 1) + "–" + (start + shown.length) + ".";
    pager.textContent = "";
    if (page > 0) { pager.appendChild(button("← Previous", page - 1, matches)); }
    var label = document.createElement("span");
    label.textContent = "Page " + (page + 1) + " of " + pages;
    pager.appendChild(label);
    if (page + 1 < pages) { pager.appendChild(button("Next →", page + 1, matches)); }
  }

  function button(label, target, matches) {
    var b = document.createElement("button");
    b.type = "button";
    b.textContent = label;
    b.addEventListener("click", function () {
      page = target; render(matches); remember(true); count.focus();
    });
    return b;
  }

  var FIELDS = ["text", "status", "kind", "asserter", "topic"];

  function remember(push) {
    var query = new URLSearchParams();
    FIELDS.forEach(function (name) {
      var value = form.elements[name].value.trim();
      if (value) { query.set(name, value); }
    });
    if (page > 0) { query.set("page", String(page + 1)); }
    var search = query.toString();
    var url = location.pathname + (search ? "?" + search : "");
    if (url === location.pathname + location.search) { return; }
    try { history[push ? "pushState" : "replaceState"](null, "", url); } catch (e) { /* file: */ }
  }

  function restore() {
    var query = new URLSearchParams(location.search);
    FIELDS.forEach(function (name) { form.elements[name].value = query.get(name) || ""; });
    var wanted = parseInt(query.get("page") || "1", 10);
    return isNaN(wanted) || wanted < 1 ? 0 : wanted - 1;
  }

  function values() {
    return {
      text: key(form.elements.text.value.trim()),
      status: form.elements.status.value,
      kind: form.elements.kind.value,
      asserter: key(form.elements.asserter.value.trim()),
      topic: form.elements.topic.value
    };
  }

  function active(f) { return f.text || f.status || f.kind || f.asserter || f.topic; }

  function apply(push, atPage) {
    var f = values();
    if (!active(f)) {
      tbody.innerHTML = serverRows; pager.innerHTML = serverPager; count.textContent = serverCount;
      page = 0;
      if (push !== null) { remember(push); }
      return;
    }
    count.textContent = "Searching…";
    loadAll().then(function () {
      var now = values();
      var matches = rows.filter(function (r) {
        return (!now.status || r[2] === now.status) && (!now.kind || r[3] === now.kind) &&
          (!now.topic || r[6].indexOf(now.topic) >= 0) &&
          (!now.asserter || r[4].some(function (a) { return key(a).indexOf(now.asserter) >= 0; })) &&
          (!now.text || r[7].indexOf(now.text) >= 0);
      });
      var pages = Math.max(1, Math.ceil(matches.length / PAGE));
      page = Math.min(atPage || 0, pages - 1);
      render(matches);
      if (push !== null) { remember(push); }
    }, function (error) { count.textContent = "The search index could not be loaded: " + error.message; });
  }

  var timer = null;
  form.addEventListener("input", function () {
    clearTimeout(timer); timer = setTimeout(function () { apply(false); }, 150);
  });
  form.addEventListener("change", function () { apply(true); });
  form.addEventListener("submit", function (event) { event.preventDefault(); apply(true); });
  form.addEventListener("reset", function () { setTimeout(function () { apply(true); }, 0); });
  window.addEventListener("popstate", function () { apply(null, restore()); });
  window.addEventListener("pageshow", function (event) {
    if (event.persisted) { apply(null, restore()); }  // back from a claim, from the page cache
  });
  count.tabIndex = -1;
  form.hidden = false;
  if (location.search) { apply(null, restore()); }
}());
