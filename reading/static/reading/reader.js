/* Reading room: the zoomable page viewer (OpenSeadragon), page flipping with the keyboard, deep links
   to #page-N, the lazy tree's aria-expanded state and "copy citation". No framework; htmx does the swaps. */
(function () {
  "use strict";
  var viewer = null;

  function initViewer() {
    var reader = document.getElementById("reader");
    var box = document.getElementById("osd");
    if (viewer) { viewer.destroy(); viewer = null; }
    if (!reader || !box || !reader.dataset.image || !window.OpenSeadragon) return;
    viewer = window.OpenSeadragon({
      element: box,
      prefixUrl: reader.dataset.osdPrefix,
      tileSources: { type: "image", url: reader.dataset.image, buildPyramid: false },
      showNavigator: true,
      navigatorPosition: "BOTTOM_RIGHT",
      gestureSettingsMouse: { clickToZoom: false },
      visibilityRatio: 0.8,
      crossOriginPolicy: false
    });
    viewer.addHandler("open", function () { markWords(reader); box.dataset.loaded = "1"; });
  }

  /* The search terms on the page image: OCR word boxes in units of the page width (the viewer's own
     coordinates), one overlay each. */
  function markWords(reader) {
    var boxes = [];
    try { boxes = JSON.parse(reader.dataset.boxes || "[]"); } catch (e) { boxes = []; }
    boxes.forEach(function (b) {
      if (!Array.isArray(b) || b.length !== 4) return;
      var el = document.createElement("div");
      el.className = "hl-box";
      viewer.addOverlay({ element: el, location: new window.OpenSeadragon.Rect(b[0], b[1], b[2], b[3]) });
    });
  }

  function firstMarkIntoView() {
    var mark = document.querySelector(".page-text mark.hl");
    var pane = document.querySelector(".text-pane");
    if (mark && pane) pane.scrollTop = Math.max(0, mark.offsetTop - pane.offsetTop - 40);
  }

  function openHashPage() {
    var m = /^#page-(\d+)$/.exec(window.location.hash);
    var reader = document.getElementById("reader");
    if (m && reader && reader.dataset.page !== m[1]) {
      var params = new URLSearchParams(window.location.search);
      params.set("page", m[1]);
      if (reader.dataset.query && !params.get("q")) params.set("q", reader.dataset.query);
      window.location.replace(window.location.pathname + "?" + params.toString());
    }
  }

  document.addEventListener("keydown", function (event) {
    if (event.target.closest("input, select, textarea")) return;
    var rel = event.key === "ArrowLeft" ? "prev" : event.key === "ArrowRight" ? "next" : null;
    var link = rel && document.querySelector("#reader .pager a[rel=" + rel + "]");
    if (link) { event.preventDefault(); link.click(); }
  });

  document.addEventListener("click", function (event) {
    var button = event.target.closest("button.copy");
    if (button) {
      var source = document.querySelector(button.dataset.copy);
      if (source && navigator.clipboard) {
        navigator.clipboard.writeText(source.innerText).then(function () { button.dataset.done = "1"; });
      } else if (source) {
        var range = document.createRange(); range.selectNodeContents(source);
        var sel = window.getSelection(); sel.removeAllRanges(); sel.addRange(range);
      }
    }
    var toggle = event.target.closest(".tree .toggle");
    if (toggle) {
      var li = toggle.closest("li");
      var open = li.getAttribute("aria-expanded") === "true";
      li.setAttribute("aria-expanded", open ? "false" : "true");
      var group = li.querySelector(":scope > ul");
      if (group) group.hidden = open;
    }
  });

  document.addEventListener("htmx:afterSwap", function (event) {
    if (event.detail.target && (event.detail.target.id === "reader" || document.getElementById("reader"))) {
      initViewer(); firstMarkIntoView();
    }
  });

  document.addEventListener("DOMContentLoaded", function () { openHashPage(); initViewer(); firstMarkIntoView(); });
})();
