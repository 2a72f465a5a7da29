/* Insights: filter the index (source, journey, persona, tag) in the browser, the filters
   kept in the URL (the query over HTTP, the fragment from file://) so a view can be shared;
   and every `time[data-age]` on any page written as an age from the reader's today
   ("hace 4 meses"), the date kept as its tooltip: the built files stay the same whatever
   the day. Without JavaScript the full table and the plain dates show. */
(function () {
  "use strict";
  var DAY = 86400000;

  function ages() {
    var lang = document.documentElement.lang || "en";
    var words = window.Intl && Intl.RelativeTimeFormat ? new Intl.RelativeTimeFormat(lang, { numeric: "auto" }) : null;
    var now = new Date();
    var today = Date.UTC(now.getFullYear(), now.getMonth(), now.getDate());
    document.querySelectorAll("time[data-age]").forEach(function (time) {
      if (!words || time.dataset.aged) return;
      var parts = time.getAttribute("datetime").split("-").map(Number);
      var days = Math.round((today - Date.UTC(parts[0], parts[1] - 1, parts[2])) / DAY);
      var text = days < 31 ? words.format(-days, "day") :
        days < 365 ? words.format(-Math.round(days / 30.44), "month") :
          words.format(-Math.round(days / 365.25), "year");
      time.title = time.getAttribute("datetime");
      time.textContent = text;
      var limit = Number(time.dataset.maxAge || 0);
      time.dataset.aged = limit && days > limit ? "yes" : "no";
      if (limit && days > limit && time.dataset.agedLabel) {
        time.classList.add("aged");
        var note = document.createElement("span");
        note.className = "aged-note";
        note.textContent = " · " + time.dataset.agedLabel;
        time.parentNode.insertBefore(note, time.nextSibling);
      }
    });
  }

  function filters() {
    var form = document.getElementById("insight-filters");
    var table = document.getElementById("insight-table");
    if (!form || !table) return;
    var rows = Array.prototype.slice.call(table.tBodies[0].rows);
    var count = document.getElementById("insight-count");
    var selects = form.querySelectorAll("select[data-filter]");
    var fromFile = location.protocol === "file:";

    function apply() {
      var shown = 0;
      rows.forEach(function (row) {
        var ok = true;
        selects.forEach(function (s) {
          if (!s.value) return;
          ok = ok && (row.getAttribute("data-" + s.name) || "").split("|").indexOf(s.value) !== -1;
        });
        row.hidden = !ok;
        if (ok) shown += 1;
      });
      count.textContent = table.dataset.showing + " " + shown + " " + table.dataset.of + " " + rows.length;
      var params = new URLSearchParams();
      selects.forEach(function (s) { if (s.value) params.set(s.name, s.value); });
      var query = params.toString();
      if (!window.history) return;
      if (fromFile) {
        history.replaceState(null, "", location.pathname + (query ? "#" + query : ""));
      } else {
        history.replaceState(null, "", query ? "?" + query : location.pathname);
      }
    }

    var initial = new URLSearchParams(location.search || location.hash.replace(/^#/, ""));
    selects.forEach(function (s) {
      var wanted = initial.get(s.name);
      if (wanted && Array.prototype.some.call(s.options, function (o) { return o.value === wanted; })) s.value = wanted;
      s.onchange = apply;
    });
    form.onreset = function () { setTimeout(apply, 0); };
    apply();
  }

  function init() { ages(); filters(); }
  init();
  document.addEventListener("cjmsite:updated", init);
})();
