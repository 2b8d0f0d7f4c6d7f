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

// Pictures: choosing a file, dropping one on the text or pasting one sends it
// to /media and inserts its ![description](url) at the cursor. Without
// JavaScript the "Upload the picture" button sends the whole form instead.
(function () {
  "use strict";
  var form = document.getElementById("editor");
  var body = document.getElementById("body");
  var box = document.getElementById("pictures");
  var input = document.getElementById("picture");
  var altInput = document.getElementById("picture_alt");
  if (!form || !body || !box || !input || !window.fetch || !window.FormData) {
    return;
  }
  var csrf = form.elements.csrf ? form.elements.csrf.value : "";
  var maxBytes = 10 * 1024 * 1024;
  // The messages come translated in the page, with %s for the file's name.
  function msg(name, file) {
    return (box.getAttribute("data-msg-" + name) || "").replace("%s", file || "");
  }
  var status = document.createElement("p");
  status.className = "help upload-status";
  status.setAttribute("role", "status");
  box.appendChild(status);
  var button = form.querySelector('button[name="action"][value="upload"]');
  if (button) {
    button.hidden = true; // a chosen file is sent at once
  }

  function insert(text) {
    var start = body.selectionStart, end = body.selectionEnd, v = body.value;
    var before = v.slice(0, start), after = v.slice(end).replace(/^\n+/, "");
    var pad = before === "" || /\n\n$/.test(before) ? "" : /\n$/.test(before) ? "\n" : "\n\n";
    body.value = before + pad + text + "\n\n" + after;
    var pos = (before + pad + text).length;
    body.focus();
    body.setSelectionRange(pos, pos);
    body.dispatchEvent(new Event("input", { bubbles: true })); // the live preview follows
  }

  function send(file) {
    if (file.size > maxBytes) {
      status.textContent = msg("large", file.name);
      return;
    }
    var alt = altInput && altInput.value.trim();
    if (!alt) {
      alt = (window.prompt(msg("describe"), "") || "").trim();
    }
    var data = new FormData();
    data.append("file", file);
    data.append("alt", alt);
    status.textContent = msg("sending", file.name);
    fetch(box.getAttribute("data-upload-url"), {
      method: "POST",
      credentials: "same-origin",
      headers: { "Accept": "application/json", "X-CSRF-Token": csrf },
      body: data
    }).then(function (res) {
      return res.json().then(function (answer) {
        if (!res.ok) {
          status.textContent = answer.error || msg("refused");
          return;
        }
        insert(answer.markdown);
        status.textContent = alt ? msg("added") : msg("added-no-alt");
        if (altInput) {
          altInput.value = "";
        }
      });
    }).catch(function () {
      status.textContent = msg("failed");
    });
  }

  function pictures(list) {
    var out = [];
    for (var i = 0; list && i < list.length; i++) {
      if (/^image\//.test(list[i].type)) {
        out.push(list[i]);
      }
    }
    return out;
  }

  input.addEventListener("change", function () {
    pictures(input.files).forEach(send);
    input.value = ""; // sent: the form must not send it again
  });
  body.addEventListener("dragover", function (e) {
    if (e.dataTransfer && Array.prototype.indexOf.call(e.dataTransfer.types, "Files") >= 0) {
      e.preventDefault();
    }
  });
  body.addEventListener("drop", function (e) {
    var files = pictures(e.dataTransfer && e.dataTransfer.files);
    if (files.length) {
      e.preventDefault();
      files.forEach(send);
    }
  });
  body.addEventListener("paste", function (e) {
    var files = pictures(e.clipboardData && e.clipboardData.files);
    if (files.length) {
      e.preventDefault();
      files.forEach(send);
    }
  });
})();
