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
  function overlay(errors) {
    var box = document.getElementById("cjmsite-overlay");
    if (!errors.length) { if (box) box.remove(); return; }
    if (!box) {
      box = document.createElement("div");
      box.id = "cjmsite-overlay";
      box.setAttribute("role", "alert");
      box.style.cssText = "position:fixed;inset:auto 0 0 0;max-height:60vh;overflow:auto;z-index:99999;" +
        "background:#1b0f10;color:#ffd7d5;font:13px/1.5 ui-monospace,Menlo,Consolas,monospace;" +
        "padding:12px 16px;border-top:4px solid #f85149;box-shadow:0 -4px 16px rgba(0,0,0,.4)";
      document.body.appendChild(box);
    }
    box.textContent = "";
    var head = document.createElement("strong");
    head.textContent = "cjmsite: the last save did not build. Showing the last good site.";
    box.appendChild(head);
    var pre = document.createElement("pre");
    pre.style.cssText = "margin:8px 0 0;white-space:pre-wrap";
    pre.textContent = errors.join("\n");
    box.appendChild(pre);
  }
  function handle(state) {
    if (state.build > page && !state.errors.length) {
      sessionStorage.setItem(key, window.scrollX + "," + window.scrollY);
      location.reload();
      return;
    }
    overlay(state.errors);
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
