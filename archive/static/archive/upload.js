/* Back office → Nhập tài liệu: upload dropped or chosen files one at a time, with progress.
   Settings come from data- attributes of #upload (URL, messages); the CSRF token from the form's hidden
   input. A static file, not an inline script: the Content-Security-Policy allows no inline script. */
(function () {
  "use strict";
  function start() {
    var box = document.getElementById("upload");
    if (!box) return;
    var url = box.dataset.url, csrf = box.querySelector("input[name=csrfmiddlewaretoken]").value;
    var rows = document.getElementById("rows"), queue = [], busy = false;

    function add(files) {
      for (var i = 0; i < files.length; i++) {
        var tr = document.createElement("tr");
        tr.innerHTML = "<td></td><td><progress max='100' value='0'></progress></td><td></td>";
        tr.cells[0].textContent = files[i].name;
        rows.appendChild(tr);
        queue.push([files[i], tr]);
      }
      next();
    }

    function next() {
      if (busy || !queue.length) return;
      busy = true;
      var job = queue.shift(), file = job[0], tr = job[1];
      var form = new FormData();
      form.append("file", file);
      form.append("access", document.getElementById("access").value);
      var xhr = new XMLHttpRequest();
      xhr.open("POST", url);
      xhr.setRequestHeader("X-CSRFToken", csrf);
      xhr.upload.onprogress = function (e) {
        if (e.lengthComputable) tr.querySelector("progress").value = 100 * e.loaded / e.total;
      };
      xhr.onload = function () {
        var r = {};
        try { r = JSON.parse(xhr.responseText); } catch (e) { r = {error: xhr.status}; }
        tr.querySelector("progress").value = 100;
        tr.cells[2].textContent = r.error ? "⚠ " + r.error
          : (r.outcome === "duplicate" ? box.dataset.duplicate : box.dataset.received) + " #" + r.id;
        busy = false; next();
      };
      xhr.onerror = function () { tr.cells[2].textContent = "⚠ " + box.dataset.networkError; busy = false; next(); };
      xhr.send(form);
    }

    var drop = document.getElementById("drop");
    drop.addEventListener("dragover", function (e) { e.preventDefault(); });
    drop.addEventListener("drop", function (e) { e.preventDefault(); add(e.dataTransfer.files); });
    document.getElementById("files").addEventListener("change", function (e) { add(e.target.files); });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start); else start();
})();
