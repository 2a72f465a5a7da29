/* Search as you type, from every page and from file://: the index and MiniSearch are plain
   scripts loaded on first use, so reading a page costs nothing. Accents and case are folded
   on both sides, so "atencion" finds "Atención". */
(function () {
  "use strict";
  var form = document.getElementById("search");
  if (!form) return;
  var input = document.getElementById("search-input");
  var panel = document.getElementById("search-panel");
  var list = document.getElementById("search-results");
  var status = document.getElementById("search-status");
  var root = form.getAttribute("data-root") || "";
  var engine = null, loading = null, pending = "", ready = false;
  var LIMIT = 12;
  form.hidden = false;
  // `cjmsite serve` morphs a changed page into place (the built HTML hides the form).
  document.addEventListener("cjmsite:updated", function () { form.hidden = false; });

  function fold(term) {
    return term.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }

  function loadScript(src) {
    return new Promise(function (resolve, reject) {
      var s = document.createElement("script");
      s.src = src;
      s.onload = resolve;
      s.onerror = function () { reject(new Error("cannot load " + src)); };
      document.head.appendChild(s);
    });
  }

  function load() {
    if (!loading) {
      // search_index.js lists the index's shards (cjmsite/render/search.py): all are
      // loaded, in parallel, and indexed in the order listed.
      loading = Promise.all([
        window.MiniSearch ? null : loadScript(root + "assets/vendor/minisearch.js"),
        (window.cjmsiteSearchShards ? Promise.resolve() : loadScript(root + "search_index.js"))
          .then(function () {
            return Promise.all(window.cjmsiteSearchShards.map(function (path) {
              return loadScript(root + path);
            }));
          }),
      ]).then(function () {
        var docs = [];
        window.cjmsiteSearchShards.forEach(function (path) {
          var name = path.replace(/^search\//, "").replace(/\.js$/, "");
          docs = docs.concat(window.cjmsiteSearchDocs[name] || []);
        });
        engine = new window.MiniSearch({
          idField: "url",
          fields: ["title", "context", "text"],
          storeFields: ["kind", "title", "context", "url"],
          processTerm: function (term) { return fold(term); },
          searchOptions: {
            boost: { title: 4, context: 1.5 },
            prefix: true,
            fuzzy: function (term) { return term.length > 4 ? 0.2 : 0; },
            combineWith: "AND",
          },
        });
        // In chunks, so typing stays responsive while a large site is indexed.
        return engine.addAllAsync(docs, { chunkSize: 500 });
      }).catch(function (error) {
        status.textContent = form.getAttribute("data-failed");
        loading = null;
        throw error;
      });
    }
    return loading;
  }

  function item(result) {
    var li = document.createElement("li");
    var a = document.createElement("a");
    a.href = root + result.url;
    var title = document.createElement("span");
    title.className = "search-title";
    title.textContent = result.title;
    var meta = document.createElement("span");
    meta.className = "search-meta";
    meta.textContent = result.context ? result.kind + " · " + result.context : result.kind;
    a.appendChild(title);
    a.appendChild(meta);
    li.appendChild(a);
    return li;
  }

  function show(query) {
    list.textContent = "";
    if (!query.trim()) {
      panel.hidden = true;
      return;
    }
    var results = engine.search(query);
    results.slice(0, LIMIT).forEach(function (r) { list.appendChild(item(r)); });
    status.textContent = results.length
      ? form.getAttribute("data-found").replace("{n}", results.length)
      : form.getAttribute("data-none");
    panel.hidden = false;
  }

  function update() {
    pending = input.value;
    if (!ready && pending.trim()) {
      status.textContent = form.getAttribute("data-loading");
      list.textContent = "";
      panel.hidden = false;
    }
    load().then(function () {
      ready = true;
      if (input.value === pending) show(pending);
    });
  }

  function links() { return Array.prototype.slice.call(list.querySelectorAll("a")); }

  function close() { panel.hidden = true; }

  input.addEventListener("focus", function () { load(); if (input.value) update(); });
  input.addEventListener("input", update);
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    load().then(function () {
      show(input.value);
      var first = links()[0];
      if (first) window.location.href = first.href;
    });
  });
  form.addEventListener("keydown", function (event) {
    var all = links();
    var at = all.indexOf(document.activeElement);
    if (event.key === "ArrowDown" && all.length) {
      event.preventDefault();
      all[Math.min(at + 1, all.length - 1)].focus();
    } else if (event.key === "ArrowUp" && at >= 0) {
      event.preventDefault();
      (at === 0 ? input : all[at - 1]).focus();
    } else if (event.key === "Escape") {
      close();
      input.focus();
    }
  });
  list.addEventListener("click", close);
  document.addEventListener("click", function (event) {
    if (!form.contains(event.target)) close();
  });
  document.addEventListener("keydown", function (event) {
    var tag = (event.target.tagName || "").toLowerCase();
    if (event.key === "/" && tag !== "input" && tag !== "select" && tag !== "textarea") {
      event.preventDefault();
      input.focus();
    }
  });
})();
