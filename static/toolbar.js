// The editor's formatting toolbar and its shortcuts (Ctrl/Cmd+B, I, K), and
// the Write / Preview tabs that phones show instead of two columns. Without
// JavaScript the toolbar stays hidden and the Markdown help beside the
// label says how to format; both panes are shown one under the other.
(function () {
  "use strict";
  var body = document.getElementById("body");
  var bar = document.querySelector(".md-toolbar");
  if (!body || !bar) {
    return;
  }

  // wrap puts before and after around the selection (or a placeholder,
  // selected so that typing replaces it).
  function wrap(before, after, placeholder) {
    var s = body.selectionStart, e = body.selectionEnd, v = body.value;
    var text = v.slice(s, e) || placeholder;
    body.value = v.slice(0, s) + before + text + after + v.slice(e);
    body.focus();
    body.setSelectionRange(s + before.length, s + before.length + text.length);
  }

  // prefix starts every line of the selection with p (a quote, a list).
  function prefix(p) {
    var v = body.value;
    var s = v.lastIndexOf("\n", body.selectionStart - 1) + 1;
    var e = body.selectionEnd;
    var lines = v.slice(s, e).split("\n").map(function (l) { return p + l; }).join("\n");
    body.value = v.slice(0, s) + lines + v.slice(e);
    body.focus();
    body.setSelectionRange(s, s + lines.length);
  }

  function link() {
    var s = body.selectionStart, e = body.selectionEnd, v = body.value;
    var text = v.slice(s, e) || "link text";
    var url = "https://";
    body.value = v.slice(0, s) + "[" + text + "](" + url + ")" + v.slice(e);
    body.focus();
    var at = s + text.length + 3; // after "[text]("
    body.setSelectionRange(at, at + url.length);
  }

  var actions = {
    bold: function () { wrap("**", "**", "bold text"); },
    italic: function () { wrap("_", "_", "italic text"); },
    link: link,
    quote: function () { prefix("> "); },
    list: function () { prefix("- "); },
    heading: function () { prefix("## "); },
    picture: function () {
      var input = document.getElementById("picture");
      if (input) {
        input.click(); // the upload script inserts the picture at the cursor
      }
    }
  };

  function run(name) {
    actions[name]();
    if (name !== "picture") {
      body.dispatchEvent(new Event("input", { bubbles: true })); // preview and autosave follow
    }
  }

  bar.addEventListener("click", function (e) {
    var b = e.target.closest("button[data-md]");
    if (b) {
      run(b.getAttribute("data-md"));
    }
  });
  body.addEventListener("keydown", function (e) {
    if (!(e.ctrlKey || e.metaKey) || e.altKey || e.shiftKey) {
      return;
    }
    var name = { b: "bold", i: "italic", k: "link" }[e.key.toLowerCase()];
    if (name) {
      e.preventDefault();
      run(name);
    }
  });
  bar.hidden = false;
  var help = document.querySelector(".md-help");
  if (help) {
    help.hidden = true; // the toolbar says it now
  }
})();

(function () {
  "use strict";
  var form = document.getElementById("editor");
  var tabs = document.querySelector(".editor-tabs");
  if (!form || !tabs) {
    return;
  }
  var buttons = tabs.querySelectorAll("[role=tab]");
  function show(which) {
    form.setAttribute("data-tab", which);
    for (var i = 0; i < buttons.length; i++) {
      var on = buttons[i].id === "tab-" + which;
      buttons[i].setAttribute("aria-selected", on ? "true" : "false");
      buttons[i].tabIndex = on ? 0 : -1;
    }
  }
  tabs.addEventListener("click", function (e) {
    var b = e.target.closest("[role=tab]");
    if (b) {
      show(b.id.replace("tab-", ""));
    }
  });
  tabs.addEventListener("keydown", function (e) {
    if (e.key === "ArrowLeft" || e.key === "ArrowRight") {
      var next = form.getAttribute("data-tab") === "write" ? "preview" : "write";
      show(next);
      document.getElementById("tab-" + next).focus();
    }
  });
  tabs.hidden = false;
  form.classList.add("has-tabs");
  show("write");
})();
