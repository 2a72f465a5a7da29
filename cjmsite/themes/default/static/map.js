// Reading a wide journey map: the lane labels stay in view while the map scrolls sideways
// (the label column is one SVG group, moved by the scroll offset), and so does each
// phase's name, within its phase. On a wide screen the map may use the page's margins;
// it is fitted to the width at once when its text stays at 11 px or more (13 px body text
// scaled), else it scrolls; a button switches between the two. Without this script the
// map simply scrolls; "Download PNG" draws the map as shown into a PNG at twice its
// size. `cjmsite serve` updates a page in place and then fires
// "cjmsite:updated": a map seen before is brought up to date, a new one is set up.
(function () {
  "use strict";
  var BODY_TEXT = 13, MIN_TEXT = 11, MARGIN = 20;
  function setup(box) {
    if (box.cjmsiteRefresh) { box.cjmsiteRefresh(); return; }
    var svg, labels, pending = false, resizing = false, chosen = false;
    var button = document.querySelector("[data-fit='" + box.id + "']");
    var section = box.closest(".map-section");
    function natural() { return svg.viewBox.baseVal ? svg.viewBox.baseVal.width : 0; }
    function scale() {
      var width = natural();
      return width ? svg.getBoundingClientRect().width / width : 1;
    }
    // The phase names: each kept inside its phase and in the visible part of the map.
    function phases(left, right) {
      svg.querySelectorAll(".phase").forEach(function (group) {
        var rect = group.querySelector("rect"), text = group.querySelector("text");
        if (!rect || !text) return;
        var x0 = rect.x.baseVal.value, x1 = x0 + rect.width.baseVal.value;
        var half = text.getComputedTextLength() / 2 + 10;
        var middle = (Math.max(x0, left) + Math.min(x1, right)) / 2;
        middle = Math.min(Math.max(middle, x0 + half), x1 - half);
        if (x1 - x0 < 2 * half) middle = (x0 + x1) / 2;
        var at = middle.toFixed(1);
        if (!text.hasAttribute("data-x")) text.setAttribute("data-x", text.getAttribute("x"));
        text.setAttribute("x", at);
        text.querySelectorAll("tspan").forEach(function (span) { span.setAttribute("x", at); });
      });
    }
    function follow() {
      pending = false;
      var s = scale() || 1;
      var x = box.scrollLeft / s;
      if (x) labels.setAttribute("transform", "translate(" + x.toFixed(1) + " 0)");
      else labels.removeAttribute("transform");
      var column = labels.querySelector(".lane-label rect");
      var covered = column ? column.getBoundingClientRect().width / s : 0;
      phases(x + covered, x + box.clientWidth / s);
    }
    // Widen the map into the page's side margins, no wider than the map itself.
    function widen() {
      if (!section) return;
      section.style.marginLeft = section.style.marginRight = "";
      var page = document.documentElement.clientWidth;
      var rect = section.getBoundingClientRect();
      var need = natural() + 2 - rect.width;
      if (need <= 0) return;
      var left = Math.max(0, rect.left - MARGIN), right = Math.max(0, page - rect.right - MARGIN);
      var l = Math.min(left, Math.max(need / 2, need - right)), r = Math.min(right, need - l);
      section.style.marginLeft = -Math.floor(l) + "px";
      section.style.marginRight = -Math.floor(r) + "px";
    }
    function wide() { return natural() > box.clientWidth + 1; }
    function readable() { return box.clientWidth / natural() * BODY_TEXT >= MIN_TEXT; }
    function label() {
      if (!button) return;
      var fitted = box.classList.contains("fit");
      button.textContent = fitted ? button.dataset.actual : button.dataset.fitLabel;
      button.setAttribute("aria-pressed", fitted ? "true" : "false");
      button.hidden = !wide();
    }
    function arrange() {
      svg = box.querySelector("svg.cjm-map");
      labels = svg && svg.querySelector(".lane-labels");
      if (!svg || !labels) return false;
      widen();
      if (!chosen) box.classList.toggle("fit", wide() && readable());
      label();
      follow();
      return true;
    }
    if (!arrange()) return;
    box.cjmsiteRefresh = arrange;
    box.addEventListener("scroll", function () {
      if (!pending) { pending = true; window.requestAnimationFrame(follow); }
    }, { passive: true });
    window.addEventListener("resize", function () {
      if (resizing) return;
      resizing = true;
      window.requestAnimationFrame(function () { resizing = false; arrange(); });
    });
    if (!button) return;
    button.addEventListener("click", function () {
      chosen = true;
      box.classList.toggle("fit");
      box.scrollLeft = 0;
      follow();
      label();
    });
  }
  // "Download PNG": map.svg's title block (hidden in the page) around the map as
  // the page shows it, light or dark, drawn at twice its size into a canvas.
  function png(button) {
    button.hidden = false;  // again after an in-place update, which brings back `hidden`
    if (button.cjmsitePng) return;
    button.cjmsitePng = true;
    button.addEventListener("click", function () {
      var box = document.getElementById(button.dataset.png);
      var frame = document.getElementById(button.dataset.frame);
      var map = box && box.querySelector("svg.cjm-map");
      if (!map || !frame) return;
      var file = frame.querySelector("svg").cloneNode(true);
      var slot = file.querySelector(".cjm-map-slot"), copy = map.cloneNode(true);
      copy.setAttribute("x", slot.getAttribute("x"));
      copy.setAttribute("y", slot.getAttribute("y"));
      copy.removeAttribute("style");
      copy.querySelectorAll(".lane-labels").forEach(function (g) { g.removeAttribute("transform"); });
      copy.querySelectorAll("[data-x]").forEach(function (text) {
        var x = text.getAttribute("data-x");
        text.setAttribute("x", x);
        text.querySelectorAll("tspan").forEach(function (span) { span.setAttribute("x", x); });
      });
      slot.parentNode.replaceChild(copy, slot);
      var dark = window.matchMedia("(prefers-color-scheme: dark)").matches;
      var xml = new XMLSerializer().serializeToString(file)
        .split("@media (prefers-color-scheme:dark)").join(dark ? "@media all" : "@media not all");
      var width = parseFloat(file.getAttribute("width")), height = parseFloat(file.getAttribute("height"));
      var image = new Image();
      image.onload = function () {
        var canvas = document.createElement("canvas");
        canvas.width = Math.round(width * 2);
        canvas.height = Math.round(height * 2);
        canvas.getContext("2d").drawImage(image, 0, 0, canvas.width, canvas.height);
        canvas.toBlob(function (blob) {
          var link = document.createElement("a");
          link.href = URL.createObjectURL(blob);
          link.download = button.dataset.name;
          document.body.appendChild(link);
          link.click();
          link.remove();
          window.setTimeout(function () { URL.revokeObjectURL(link.href); }, 10000);
        }, "image/png");
      };
      image.src = "data:image/svg+xml;charset=utf-8," + encodeURIComponent(xml);
    });
  }
  function all() {
    document.querySelectorAll(".map-scroll").forEach(setup);
    document.querySelectorAll("[data-png]").forEach(png);
  }
  all();
  document.addEventListener("cjmsite:updated", all);
})();
