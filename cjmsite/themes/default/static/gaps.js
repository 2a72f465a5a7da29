/* Gap index: filter and sort in the browser. Without JavaScript the full table still shows.
   Filters live in the URL so a filtered view can be shared and survives a reload: in the
   query over HTTP, in the fragment from file:// (where a new query would be a new file).
   The default gap-status filter shows open and in-progress gaps; "all" shows every one.
   Overdue (an action not done whose due date is before the reader's today) is decided here,
   so the built page stays the same whatever the day (see dates.js for the visible word).
   `cjmsite serve` morphs a changed page into place, undoing what this did, and then fires
   "cjmsite:updated": all of it runs again (handlers are properties, so never twice). */
(function () {
  "use strict";
  var SETTLED = ["closed", "wont-fix"];

  function params() {
    var hash = location.hash.slice(1);
    if (hash.indexOf("=") !== -1) return new URLSearchParams(hash);
    return new URLSearchParams(location.search);
  }

  function init() {
    var form = document.getElementById("gap-filters");
    var table = document.getElementById("gap-table");
    if (!form || !table) return;
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows);
    var count = document.getElementById("gap-count");
    var fields = form.querySelectorAll("[data-filter]");
    var today = window.cjmsiteToday ? window.cjmsiteToday() : new Date().toISOString().slice(0, 10);

    rows.forEach(function (row) {
      var late = (row.getAttribute("data-due") || "").split(" ").some(function (d) {
        return d && d < today;
      });
      row.setAttribute("data-overdue", late ? "1" : "");
    });

    function value(field) {
      return field.type === "checkbox" ? (field.checked ? field.value : "") : field.value;
    }

    function matches(row, key, wanted) {
      var data = row.getAttribute("data-" + key) || "";
      if (key === "gap_status") {
        if (wanted === "all") return true;
        return wanted ? data === wanted : SETTLED.indexOf(data) === -1;
      }
      if (!wanted) return true;
      var sep = key === "owner" ? "|" : (key === "status" ? " " : null);
      return sep ? data.split(sep).indexOf(wanted) !== -1 : data === wanted;
    }

    function save() {
      var query = new URLSearchParams();
      fields.forEach(function (f) { if (value(f)) query.set(f.name, value(f)); });
      var text = query.toString();
      if (!window.history) return;
      try {
        if (location.protocol === "file:") {
          history.replaceState(null, "", text ? "#" + text : location.pathname);
        } else {
          var anchor = location.hash.indexOf("=") === -1 ? location.hash : "";
          history.replaceState(null, "", (text ? "?" + text : location.pathname) + anchor);
        }
      } catch (e) { /* a browser that refuses: the filters still work */ }
    }

    function apply(keep) {
      var shown = 0, late = 0;
      rows.forEach(function (row) {
        var ok = true;
        fields.forEach(function (f) { ok = ok && matches(row, f.name, value(f)); });
        row.hidden = !ok;
        if (ok) {
          shown += 1;
          if (row.getAttribute("data-overdue")) late += 1;
        }
      });
      count.textContent = table.dataset.showing + " " + shown + " " + table.dataset.of + " " +
        rows.length + " · " + table.dataset.nOverdue.replace("{n}", String(late));
      if (!keep) save();
    }

    var initial = params();
    fields.forEach(function (f) {
      var given = initial.get(f.name) || "";
      if (f.type === "checkbox") f.checked = given === f.value;
      else if (given && f.querySelector("option[value='" + CSS.escape(given) + "']")) f.value = given;
      f.onchange = function () { apply(false); };
    });
    // A link to one gap (#gap-...) shows it even when it is closed.
    var target = location.hash.length > 1 && location.hash.indexOf("=") === -1 ?
      document.getElementById(decodeURIComponent(location.hash.slice(1))) : null;
    var status = form.querySelector("[name=gap_status]");
    if (target && rows.indexOf(target) !== -1 && !status.value &&
        SETTLED.indexOf(target.getAttribute("data-gap_status")) !== -1) status.value = "all";
    var all = form.querySelector("[data-show-all]");
    if (all) all.onclick = function () { status.value = "all"; apply(false); };
    form.onreset = function () { setTimeout(function () { apply(false); }, 0); };

    table.querySelectorAll("th[data-sort]").forEach(function (th) {
      if (th.querySelector("button.sort")) return;
      var index = Array.prototype.indexOf.call(th.parentNode.children, th);
      var button = document.createElement("button");
      button.type = "button";
      button.className = "sort";
      while (th.firstChild) button.appendChild(th.firstChild);
      th.appendChild(button);
      th.setAttribute("aria-sort", "none");
      button.addEventListener("click", function () {
        var ascending = th.getAttribute("aria-sort") !== "ascending";
        table.querySelectorAll("th[data-sort]").forEach(function (o) { o.setAttribute("aria-sort", "none"); });
        th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
        var numeric = th.dataset.sort === "rank";
        rows.sort(function (a, b) {
          var x = a.cells[index].dataset.value || a.cells[index].textContent.trim();
          var y = b.cells[index].dataset.value || b.cells[index].textContent.trim();
          var r = numeric ? Number(x) - Number(y) : x.localeCompare(y, document.documentElement.lang, { sensitivity: "base", numeric: true });
          return ascending ? r : -r;
        });
        rows.forEach(function (row) { body.appendChild(row); });
      });
    });
    apply(true);
  }
  init();
  document.addEventListener("cjmsite:updated", init);
})();
