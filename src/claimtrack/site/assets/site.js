// claimtrack site: search and filters over the claims, in the browser, from files of the site
// only (works from file:// and any static host: every file is a script, no fetch). A query
// word loads one file of the index (the terms sharing its first letters); the first page of
// results loads only the rows it shows; filters read one small file of each claim's status,
// kind and topics. Data is put on the page as text, never as HTML. Filters, search and page
// live in the query string: a filtered view can be linked, and Back and Forward restore it.
(function () {
  "use strict";
  var meta = window.CT_META;
  var form = document.getElementById("filters");
  if (!meta || !form) { return; }
  var PAGE = 100;
  var FIELDS = ["text", "status", "kind", "asserter", "topic"];
  var tbody = document.querySelector("#claims tbody");
  var serverRows = tbody.innerHTML;
  var count = document.getElementById("count");
  var pager = document.getElementById("pager");
  var serverPager = pager.innerHTML;
  var serverCount = count.textContent;
  var page = 0;
  var loaded = {};   // script path -> promise
  var terms = {};    // shard -> {term: postings}
  var rows = {};     // block -> rows
  var facets = null;
  var asserters = null;
  var stop = {};
  meta.stop.forEach(function (w) { stop[w] = true; });
  var shards = {};
  meta.shards.split(",").forEach(function (name) { shards[name] = true; });

  window.CT_TERMS = function (name, data) { terms[name] = data; };
  window.CT_ROWS = function (block, data) { rows[block] = data; };
  window.CT_FACETS = function (data) { facets = data; };
  window.CT_ASSERTERS = function (data) { asserters = data; };

  function load(path) {
    if (loaded[path]) { return loaded[path]; }
    loaded[path] = new Promise(function (resolve, reject) {
      var script = document.createElement("script");
      script.src = meta.root + "search/" + path;
      script.onload = function () { resolve(); };
      script.onerror = function () { reject(new Error("cannot load " + script.src)); };
      document.body.appendChild(script);
    });
    return loaded[path];
  }

  function fold(text) {
    return String(text).normalize("NFKD").replace(/\p{M}/gu, "").toLowerCase();
  }

  function words(text) {
    return (fold(text).match(/[\p{L}\p{N}]+/gu) || [])
      .filter(function (w) { return w.length >= 2 && !stop[w]; });
  }

  function stems(word) {  // the word's stem in each language of the index
    var found = [];
    Object.keys(meta.endings).forEach(function (lang) {
      var endings = meta.endings[lang];
      for (var i = 0; i < endings.length; i++) {
        var e = endings[i][0];
        if (word.length - e.length >= 3 && word.slice(-e.length) === e) {
          found.push(word.slice(0, -e.length) + endings[i][1]);
          break;
        }
      }
    });
    return found;
  }

  function hex(text) {
    return Array.from(new TextEncoder().encode(text))
      .map(function (b) { return b.toString(16).padStart(2, "0"); }).join("");
  }

  function decode(postings) {  // "deltas of 4 * claim + weight" -> {claim: weight}
    var out = {};
    if (!postings) { return out; }
    var value = 0;
    postings.split(",").forEach(function (d) {
      value += parseInt(d, 36);
      var doc = value >> 2;
      out[doc] = Math.max(out[doc] || 0, value & 3);
    });
    return out;
  }

  function matchWord(word) {  // claims holding a term the word begins, or one of its stems
    var exact = stems(word);
    var candidates = [word].concat(exact);
    var files = {};
    candidates.forEach(function (c) {
      var name = hex(Array.from(c).slice(0, meta.prefix).join(""));
      if (shards[name]) { files[name] = true; }  // no such file: no term starts so
    });
    return Promise.all(Object.keys(files).map(function (f) {
      return load("t/" + f + ".js");
    })).then(function () {
      var found = {};
      Object.keys(files).forEach(function (f) {
        var held = terms[f] || {};
        Object.keys(held).forEach(function (term) {
          var hit = exact.indexOf(term) >= 0 ||
            (word.length < meta.prefix ? term === word : term.indexOf(word) === 0);
          if (!hit) { return; }
          var docs = decode(held[term]);
          Object.keys(docs).forEach(function (d) { found[d] = Math.max(found[d] || 0, docs[d]); });
        });
      });
      return found;
    });
  }

  function values() {
    var out = {};
    FIELDS.forEach(function (name) { out[name] = form.elements[name].value.trim(); });
    return out;
  }

  function active(f) { return f.text || f.status || f.kind || f.asserter || f.topic; }

  function search(f) {  // -> [[claim, score]] best first, then in site order
    var queryWords = words(f.text);
    if (f.text && !queryWords.length) {  // only stop words or single letters: nothing to find
      return Promise.resolve([]);
    }
    var textMatch = queryWords.length ? Promise.all(queryWords.map(matchWord)) : Promise.resolve(null);
    var needs = [load("facets.js")];
    if (f.asserter) { needs.push(load("a.js")); }
    return Promise.all([textMatch].concat(needs)).then(function (done) {
      var perWord = done[0];
      var scores = null;
      if (perWord) {
        scores = perWord[0];
        perWord.slice(1).forEach(function (next) {
          var kept = {};
          Object.keys(scores).forEach(function (d) {
            if (next[d] !== undefined) { kept[d] = scores[d] + next[d]; }
          });
          scores = kept;
        });
      }
      var docs = scores ? Object.keys(scores).map(Number) : null;
      var statusCode = f.status ? meta.statuses.indexOf(f.status) : -1;
      var kindCode = f.kind ? meta.kinds.indexOf(f.kind) : -1;
      var topicDocs = f.topic ? decode(facets.topics[f.topic] || "") : null;
      var asserterDocs = null;
      if (f.asserter) {
        var wanted = fold(f.asserter);
        asserterDocs = {};
        Object.keys(asserters).forEach(function (name) {
          if (fold(name).indexOf(wanted) >= 0) { Object.assign(asserterDocs, decode(asserters[name])); }
        });
      }
      var codes = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
      function keep(d) {
        return (statusCode < 0 || facets.statuses[d] === codes[statusCode]) &&
          (kindCode < 0 || facets.kinds[d] === codes[kindCode]) &&
          (!topicDocs || topicDocs[d] !== undefined) &&
          (!asserterDocs || asserterDocs[d] !== undefined);
      }
      if (docs === null) {
        docs = [];
        for (var d = 0; d < meta.total; d++) { if (keep(d)) { docs.push(d); } }
        return docs.map(function (d) { return [d, 0]; });
      }
      return docs.filter(keep).map(function (d) { return [d, scores[d]]; })
        .sort(function (a, b) { return b[1] - a[1] || a[0] - b[0]; });
    });
  }

  function dateWords(iso) {  // as the pages write dates: `27 October 2021`, `October 2021`
    var m = /^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?/.exec(iso || "");
    if (!m) { return iso || ""; }
    if (!m[2]) { return m[1]; }
    var month = meta.months[parseInt(m[2], 10) - 1] || m[2];
    return (m[3] ? parseInt(m[3], 10) + " " : "") + month + " " + m[1];
  }

  function cell(tr, node, label) {
    var td = document.createElement("td");
    td.appendChild(node);
    if (label) { td.dataset.label = label; }  // shown before the cell on a phone
    tr.appendChild(td);
  }

  function text(value) { return document.createTextNode(value); }

  function draw(matches) {
    var start = page * PAGE;
    var shown = matches.slice(start, start + PAGE);
    var blocks = {};
    shown.forEach(function (m) { blocks[Math.floor(m[0] / meta.block)] = true; });
    return Promise.all(Object.keys(blocks).map(function (b) { return load("d/" + b + ".js"); }))
      .then(function () { render(matches, shown, start); });
  }

  function render(matches, shown, start) {
    tbody.textContent = "";
    shown.forEach(function (m) {
      var r = rows[Math.floor(m[0] / meta.block)][m[0] % meta.block];
      var tr = document.createElement("tr");
      var a = document.createElement("a");
      a.href = meta.root + "claims/" + encodeURIComponent(r[0]) + ".html";
      a.textContent = r[1] === null ? "statement withheld (" + r[0] + ")" : r[1];
      cell(tr, a);
      var badge = document.createElement("span");
      badge.className = "badge status-" + r[2].replace(/[^a-z_]/g, "");
      badge.textContent = meta.words[r[2]] || r[2];
      badge.title = meta.definitions[r[2]] || "";
      cell(tr, badge, "Status");
      cell(tr, text(r[3].replace(/_/g, " ")), "Kind");
      cell(tr, text(r[4].join("; ")), "Asserted by");
      var time = document.createElement("time");
      time.dateTime = r[5];
      time.textContent = dateWords(r[5]);
      cell(tr, time, "Date");
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
      page = target; draw(matches).then(function () { remember(true); count.focus(); });
    });
    return b;
  }

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

  var latest = 0;
  function apply(push, atPage) {
    var f = values();
    var mine = ++latest;
    if (!active(f)) {
      tbody.innerHTML = serverRows; pager.innerHTML = serverPager; count.textContent = serverCount;
      page = 0;
      if (push !== null) { remember(push); }
      return;
    }
    count.textContent = "Searching…";
    search(f).then(function (matches) {
      if (mine !== latest) { return null; }  // a later query is on its way
      var pages = Math.max(1, Math.ceil(matches.length / PAGE));
      page = Math.min(atPage || 0, pages - 1);
      return draw(matches).then(function () {
        count.dataset.query = f.text;  // what the list shows now (for tests and tools)
        if (push !== null) { remember(push); }
      });
    }).catch(function (error) {
      count.textContent = "The search index could not be loaded: " + error.message;
    });
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
