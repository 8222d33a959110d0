/* Small behaviours shared by every page, declared with data- attributes instead of inline handlers
   (the Content-Security-Policy allows no inline script):
     <select data-autosubmit>            submits its form when changed (the language switcher)
     <button data-print>                 prints the page
     <body data-print-on-load>           prints once the page has loaded (print views)
     <img data-remove-on-error>          removed when it cannot be loaded (missing thumbnails)
     <input type=checkbox data-check-all="NAME">   ticks or unticks every input[name=NAME]
     <span data-width="42">              style width 42 % (bars); data-indent="3": padding-left 3em
   Sizes are set through the CSSOM, which the policy allows, unlike style="" attributes. */
(function () {
  "use strict";

  // Every element matching selector in root, root itself included (htmx hands over the new element).
  function each(root, selector, fn) {
    if (root.matches && root.matches(selector)) fn(root);
    root.querySelectorAll(selector).forEach(fn);
  }

  function percent(value) {
    var n = parseFloat(value);
    return isFinite(n) ? Math.max(0, Math.min(100, n)) + "%" : "";
  }

  function applySizes(root) {
    each(root, "[data-width]", function (el) { el.style.width = percent(el.dataset.width); });
    each(root, "[data-height]", function (el) { el.style.height = percent(el.dataset.height); });
    each(root, "[data-indent]", function (el) {
      var em = parseFloat(el.dataset.indent);
      if (isFinite(em)) el.style.paddingLeft = Math.max(0, em) + "em";
    });
  }

  function dropBroken(root) {
    each(root, "img[data-remove-on-error]", function (img) {
      if (img.complete && img.naturalWidth === 0 && img.getAttribute("src")) img.remove();
    });
  }

  document.addEventListener("change", function (event) {
    var select = event.target.closest("select[data-autosubmit]");
    if (select && select.form) select.form.submit();
  });

  document.addEventListener("click", function (event) {
    if (event.target.closest("[data-print]")) { window.print(); return; }
    var all = event.target.closest("input[data-check-all]");
    if (all) {
      document.querySelectorAll("input[name='" + all.dataset.checkAll + "']").forEach(function (box) {
        box.checked = all.checked;
      });
    }
  });

  // "error" does not bubble: listen in the capture phase, for images that fail after this script ran.
  document.addEventListener("error", function (event) {
    var img = event.target;
    if (img && img.tagName === "IMG" && img.hasAttribute("data-remove-on-error")) img.remove();
  }, true);

  // htmx fires htmx:load on every element it adds (and once on <body> at start).
  document.addEventListener("htmx:load", function (event) {
    if (event.target instanceof Element) { applySizes(event.target); dropBroken(event.target); }
  });

  document.addEventListener("DOMContentLoaded", function () { applySizes(document); dropBroken(document); });

  window.addEventListener("load", function () {
    dropBroken(document);
    if (document.body && document.body.hasAttribute("data-print-on-load")) window.print();
  });
})();
