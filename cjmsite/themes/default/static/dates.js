/* Dates decided in the reader's browser against the reader's today, so built pages stay
   byte-identical whatever the day (a site built last month still shows what is overdue
   today): overdue actions get a visible word, journeys past their next review say so, and
   counts of both are filled in. Without JavaScript every date still reads plainly.
   `cjmsite serve` fires "cjmsite:updated" after patching a page: it all runs again. */
(function () {
  "use strict";
  function today() {
    var now = new Date();
    return now.getFullYear() + "-" + String(now.getMonth() + 1).padStart(2, "0") + "-" +
      String(now.getDate()).padStart(2, "0");
  }
  function late(dates, day) {
    return (dates || "").split(" ").filter(function (d) { return d && d < day; }).length;
  }
  function mark(time, text) {
    if (time.classList.contains("overdue")) return;
    time.classList.add("overdue");
    var word = document.createElement("span");
    word.className = "badge late-word";
    word.textContent = text;
    time.parentNode.insertBefore(word, time.nextSibling);
    time.parentNode.insertBefore(document.createTextNode(" "), word);
  }
  function init() {
    var day = today(), body = document.body.dataset;
    // Actions not done or dropped, past their due date: data-due holds the status.
    document.querySelectorAll("time[data-due]").forEach(function (time) {
      var status = time.getAttribute("data-due");
      if (status === "done" || status === "dropped") return;
      if (time.getAttribute("datetime") < day) mark(time, body.overdue);
    });
    // A journey's next review: past it, the journey is due for review.
    document.querySelectorAll("time[data-review]").forEach(function (time) {
      if (time.getAttribute("datetime") < day) mark(time, body.reviewOverdue);
    });
    document.querySelectorAll("[data-review-next]").forEach(function (el) {
      if (el.getAttribute("data-review-next") < day && !el.classList.contains("overdue")) {
        el.classList.add("overdue", "late-word", "badge");
        el.textContent = body.reviewOverdue;
      }
    });
    // Counts of dates already past (overdue actions of a journey, attention items).
    document.querySelectorAll("[data-overdue-count]").forEach(function (el) {
      var n = late(el.getAttribute("data-overdue-count"), day);
      el.textContent = String(n);
      el.classList.toggle("late", n > 0);
    });
    document.querySelectorAll("[data-attention]").forEach(function (el) {
      el.textContent = String(Number(el.getAttribute("data-attention")) +
                              late(el.getAttribute("data-when"), day));
    });
    // Attention page: items that count only once their date has passed.
    document.querySelectorAll("[data-when-item]").forEach(function (item) {
      item.hidden = !(item.getAttribute("data-when-item") < day);
    });
    document.querySelectorAll("[data-group]").forEach(function (group) {
      var items = group.querySelectorAll("li[data-item]");
      var shown = Array.prototype.filter.call(items, function (li) { return !li.hidden; });
      var count = group.querySelector("[data-group-count]");
      if (count) count.textContent = String(shown.length);
      var toc = document.querySelector("[data-group-count-of='" + group.id + "']");
      if (toc) toc.textContent = String(shown.length);
      var none = group.querySelector("[data-none]");
      if (none) none.hidden = shown.length > 0;
    });
  }
  window.cjmsiteToday = today;
  init();
  document.addEventListener("cjmsite:updated", init);
})();
