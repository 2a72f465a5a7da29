/* Filter and sort a table in the browser: the gap index and the portfolio's priority table
   (one script for both). Without JavaScript the full table still shows.

   A `form.filters` names its table in `data-table`; each field with `data-filter` keeps
   the rows whose `data-<name>` matches its value. A field's `data-sep` splits the row's
   value into several (owners "|", action statuses " "); a field with `data-settled` (the
   gap status) hides those values while it is empty and shows every row at "all". A
   checkbox filters on its value. Headers with `data-sort` ("rank": numbers, "text")
   become sort buttons; a cell's `data-value` is what is compared.

   Filters live in the URL so a filtered view can be shared and survives a reload: in the
   query over HTTP, in the fragment from file:// (where a new query would be a new file).
   Overdue (a row's `data-due` date before the reader's today) is decided here, so the
   built page stays the same whatever the day (see dates.js for the visible word); a table
   with `data-n-overdue` counts them beside "Showing N of M".
   `cjmsite serve` morphs a changed page into place, undoing what this did, and then fires
   "cjmsite:updated": all of it runs again (handlers are properties, so never twice).
   gaps.js, which themes of older versions load, loads this file. */
(function () {
  "use strict";
  // The gap index's form before its fields said so themselves (a theme's own gaps.html).
  var LEGACY_SEP = { owner: "|", status: " " };
  var LEGACY_SETTLED = { gap_status: "closed wont-fix" };

  function params() {
    var hash = location.hash.slice(1);
    if (hash.indexOf("=") !== -1) return new URLSearchParams(hash);
    return new URLSearchParams(location.search);
  }

  function attr(field, name, legacy) {
    return field.hasAttribute("data-" + name) ? field.getAttribute("data-" + name) :
      (legacy[field.name] || "");
  }

  function value(field) {
    return field.type === "checkbox" ? (field.checked ? field.value : "") : field.value;
  }

  function matches(row, field, wanted) {
    var data = row.getAttribute("data-" + field.name) || "";
    var settled = attr(field, "settled", LEGACY_SETTLED);
    if (settled) {
      if (wanted === "all") return true;
      return wanted ? data === wanted : settled.split(" ").indexOf(data) === -1;
    }
    if (!wanted) return true;
    var sep = attr(field, "sep", LEGACY_SEP);
    return sep ? data.split(sep).indexOf(wanted) !== -1 : data === wanted;
  }

  function save(fields) {
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

  function sortable(table, body, rows) {
    table.querySelectorAll("th[data-sort]").forEach(function (th) {
      if (th.querySelector("button.sort")) return;
      var index = Array.prototype.indexOf.call(th.parentNode.children, th);
      var button = document.createElement("button");
      button.type = "button";
      button.className = "sort";
      while (th.firstChild) button.appendChild(th.firstChild);
      th.appendChild(button);
      th.setAttribute("aria-sort", "none");
      button.onclick = function () {
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
      };
    });
  }

  function setUp(form, table) {
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows);
    var count = form.querySelector("output");
    var fields = Array.prototype.slice.call(form.querySelectorAll("[data-filter]"));
    var today = window.cjmsiteToday ? window.cjmsiteToday() : new Date().toISOString().slice(0, 10);

    rows.forEach(function (row) {
      if (!row.hasAttribute("data-due")) return;
      var late = row.getAttribute("data-due").split(" ").some(function (d) {
        return d && d < today;
      });
      row.setAttribute("data-overdue", late ? "1" : "");
    });

    function apply(keep) {
      var shown = 0, late = 0;
      rows.forEach(function (row) {
        var ok = fields.every(function (f) { return matches(row, f, value(f)); });
        row.hidden = !ok;
        if (ok) {
          shown += 1;
          if (row.getAttribute("data-overdue")) late += 1;
        }
      });
      if (count) {
        count.textContent = table.dataset.showing + " " + shown + " " + table.dataset.of + " " +
          rows.length + (table.dataset.nOverdue ?
            " · " + table.dataset.nOverdue.replace("{n}", String(late)) : "");
      }
      if (!keep) save(fields);
    }

    var initial = params();
    fields.forEach(function (f) {
      var given = initial.get(f.name) || "";
      if (f.type === "checkbox") f.checked = given === f.value;
      else if (given && f.querySelector("option[value='" + CSS.escape(given) + "']")) f.value = given;
      f.onchange = function () { apply(false); };
    });
    // A link to one row (#gap-...) shows it even when it is settled (a closed gap).
    var target = location.hash.length > 1 && location.hash.indexOf("=") === -1 ?
      document.getElementById(decodeURIComponent(location.hash.slice(1))) : null;
    var settled = fields.filter(function (f) { return attr(f, "settled", LEGACY_SETTLED); })[0];
    if (settled && target && rows.indexOf(target) !== -1 && !settled.value &&
        !matches(target, settled, "")) settled.value = "all";
    var all = form.querySelector("[data-show-all]");
    if (all && settled) all.onclick = function () { settled.value = "all"; apply(false); };
    form.onreset = function () { setTimeout(function () { apply(false); }, 0); };
    sortable(table, body, rows);
    apply(true);
  }

  function init() {
    document.querySelectorAll("form.filters").forEach(function (form) {
      var id = form.getAttribute("data-table") || (form.id === "gap-filters" ? "gap-table" : "");
      var table = id && document.getElementById(id);
      if (table && table.tBodies.length) setUp(form, table);
    });
  }
  init();
  document.addEventListener("cjmsite:updated", init);
})();
