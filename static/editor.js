// Live preview for the story editor: a short pause after typing, the body is
// sent to /preview and the server's rendering (the same as at save time)
// replaces the preview. Without JavaScript the Preview button does the same.
(function () {
  "use strict";
  var form = document.getElementById("editor");
  var body = document.getElementById("body");
  var out = document.getElementById("preview");
  if (!form || !body || !out || !window.fetch) {
    return;
  }
  var csrf = form.elements.csrf ? form.elements.csrf.value : "";
  var timer = 0;
  var sent = 0;
  // The body and the personal data the writer chose to show.
  function previewParams() {
    var p = new URLSearchParams({ body: body.value });
    var shown = form.querySelectorAll("input[name=show]:checked");
    for (var i = 0; i < shown.length; i++) {
      p.append("show", shown[i].value);
    }
    return p;
  }
  function refresh() {
    var n = ++sent;
    fetch(out.getAttribute("data-preview-url"), {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/x-www-form-urlencoded", "X-CSRF-Token": csrf },
      body: previewParams()
    }).then(function (res) {
      return res.text().then(function (html) {
        if (n !== sent) {
          return; // a newer preview is on its way
        }
        if (res.ok) {
          out.innerHTML = html; // sanitised by the server: no raw HTML, safe links only
          out.classList.remove("is-stale");
        } else {
          out.classList.add("is-stale");
        }
      });
    }).catch(function () {
      out.classList.add("is-stale");
    });
  }
  body.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(refresh, 400);
  });
  form.addEventListener("change", function (e) {
    if (e.target && e.target.name === "show") {
      refresh();
    }
  });
  form.classList.add("has-live-preview");
  refresh();
})();
