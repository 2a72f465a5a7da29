/* cjmsite serve: reload when a build completes, show content errors as an overlay.
   Injected only into pages served by `cjmsite serve`; never written into built files.
   All tabs share one server connection through a SharedWorker where the browser has one,
   so many open tabs never exhaust the browser's six connections per host. */
(function () {
  "use strict";
  var page = Number(document.currentScript.dataset.build);
  var key = "cjmsite-scroll:" + location.pathname;
  var saved = sessionStorage.getItem(key);
  if (saved !== null) {
    sessionStorage.removeItem(key);
    var xy = saved.split(",");
    window.scrollTo(Number(xy[0]), Number(xy[1]));
  }
  // Errors: the save did not build (red, stays until fixed). Warnings: it built, but
  // something may be missing (amber, can be dismissed until the warnings change).
  function overlay(errors, warnings) {
    var box = document.getElementById("cjmsite-overlay");
    var seen = "cjmsite-dismissed";
    var lines = errors.length ? errors : warnings;
    var signature = lines.join("\n");
    if (!lines.length || (!errors.length && sessionStorage.getItem(seen) === signature)) {
      if (box) box.remove();
      return;
    }
    var colours = errors.length ? ["#1b0f10", "#ffd7d5", "#f85149"] : ["#1d1605", "#ffe8a3", "#d29922"];
    if (!box) {
      box = document.createElement("div");
      box.id = "cjmsite-overlay";
      document.body.appendChild(box);
    }
    box.setAttribute("role", errors.length ? "alert" : "status");
    box.dataset.level = errors.length ? "error" : "warning";
    box.style.cssText = "position:fixed;inset:auto 0 0 0;max-height:60vh;overflow:auto;z-index:99999;" +
      "background:" + colours[0] + ";color:" + colours[1] + ";font:13px/1.5 ui-monospace,Menlo,Consolas,monospace;" +
      "padding:12px 16px;border-top:4px solid " + colours[2] + ";box-shadow:0 -4px 16px rgba(0,0,0,.4)";
    box.textContent = "";
    var head = document.createElement("strong");
    head.textContent = errors.length
      ? "cjmsite: the last save did not build. Showing the last good site."
      : "cjmsite: built with " + warnings.length + " warning" + (warnings.length === 1 ? "" : "s") +
        ": some content may be missing.";
    box.appendChild(head);
    if (!errors.length) {
      var close = document.createElement("button");
      close.type = "button";
      close.textContent = "Dismiss";
      close.setAttribute("aria-label", "Dismiss the warnings");
      close.style.cssText = "float:right;font:inherit;cursor:pointer;background:transparent;" +
        "color:inherit;border:1px solid currentColor;border-radius:4px;padding:0 8px";
      close.addEventListener("click", function () {
        sessionStorage.setItem(seen, signature);
        box.remove();
      });
      box.insertBefore(close, head);
    }
    var pre = document.createElement("pre");
    pre.style.cssText = "margin:8px 0 0;white-space:pre-wrap";
    pre.textContent = signature;
    box.appendChild(pre);
  }
  // A new build: a page it changed is fetched and morphed into place (idiomorph), so
  // scroll, focus and open <details> stay as they were; theme scripts redo their part
  // on "cjmsite:updated". Edits that reach every page (config, theme) reload instead.
  var wanted = page, fetching = false;
  function here() {
    var path = decodeURIComponent(location.pathname).replace(/^\//, "");
    return path === "" || path.slice(-1) === "/" ? path + "index.html" : path;
  }
  function keep(name, node) { return name === "open" && node.nodeName === "DETAILS"; }
  var morphing = {
    callbacks: {
      beforeAttributeUpdated: function (name, node) { return !keep(name, node); },
      beforeNodeRemoved: function (node) { return node.id !== "cjmsite-overlay"; }
    }
  };
  // Walk both trees while they have the same shape, skip equal subtrees (isEqualNode runs
  // natively), patch text and attributes in place, and leave to idiomorph only the
  // subtrees whose shape changed: a 3,000-node journey page with one stage renamed costs
  // a few milliseconds, where morphing all of it cost ~80 ms.
  function patch(old, neu) {
    if (old.isEqualNode(neu)) return;
    if (old.nodeType !== 1) { old.nodeValue = neu.nodeValue; return; }
    var a = old.childNodes, b = neu.childNodes, i;
    var same = a.length === b.length;
    for (i = 0; same && i < a.length; i++) {
      same = a[i].nodeName === b[i].nodeName && (a[i].nodeType === 1 || a[i].nodeType === 3);
    }
    if (!same || old.id === "cjmsite-overlay") {
      window.Idiomorph.morph(old, neu, morphing);
      return;
    }
    for (i = old.attributes.length - 1; i >= 0; i--) {
      var name = old.attributes[i].name;
      if (!neu.hasAttribute(name) && !keep(name, old)) old.removeAttribute(name);
    }
    for (i = 0; i < neu.attributes.length; i++) {
      var attr = neu.attributes[i];
      if (old.getAttribute(attr.name) !== attr.value && !keep(attr.name, old)) {
        old.setAttribute(attr.name, attr.value);
      }
    }
    for (i = 0; i < a.length; i++) patch(a[i], b[i]);
  }
  function morph(html) {
    var doc = new DOMParser().parseFromString(html, "text/html");
    document.title = doc.title;
    var overlayBox = document.getElementById("cjmsite-overlay");
    if (overlayBox) overlayBox.remove();  // not part of the page: put back by overlay()
    patch(document.body, doc.body);
    if (overlayBox) document.body.appendChild(overlayBox);
    var tag = doc.querySelector("script[data-build]");
    page = tag ? Number(tag.dataset.build) : wanted;
    document.dispatchEvent(new CustomEvent("cjmsite:updated"));
  }
  function update() {
    if (fetching) return;
    fetching = true;
    fetch(location.pathname + location.search, { cache: "no-store" })
      .then(function (response) { return response.text(); })
      .then(function (html) {
        morph(html);
        fetching = false;
        if (wanted > page) update();
      })
      .catch(function () { location.reload(); });
  }
  function handle(state) {
    if (state.build > page) {
      var changed = state.changed;
      if (!changed || !window.Idiomorph) {
        sessionStorage.setItem(key, window.scrollX + "," + window.scrollY);
        location.reload();
        return;
      }
      wanted = Math.max(wanted, state.build);
      var sent = state.pages && state.pages[here()];
      // The quick pass sends its page with the event: no request. A tab that missed a
      // build (it connected late) cannot know what changed: it fetches.
      if (typeof sent === "string" && !fetching) {
        morph(sent);
        // Once painted, say so: serve holds its full rebuild back until then.
        window.requestAnimationFrame(function () {
          fetch("/__cjmsite/shown", { cache: "no-store" }).catch(function () {});
        });
      }
      else if (changed.indexOf(here()) !== -1 || (!fetching && state.build > page + 1)) update();
      else if (!fetching) page = state.build;
    }
    overlay(state.errors, state.warnings || []);
  }
  function direct() {
    var source = new EventSource("/__cjmsite/events");
    source.onmessage = function (event) { handle(JSON.parse(event.data)); };
  }
  if (window.SharedWorker) {
    try {
      var worker = new SharedWorker("/__cjmsite/worker.js");
      worker.port.onmessage = function (event) { handle(event.data); };
      worker.port.start();
      return;
    } catch (e) { /* fall back to one connection per tab */ }
  }
  direct();
})();
