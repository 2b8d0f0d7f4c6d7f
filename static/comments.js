// Likes and "me too" without reloading the page. Without this file the
// buttons are plain forms that post and come back to the story.
// uiT gives a message in the page's language: the page holds the
// translations of the scripts' messages (the body's data-ui-text).
var uiT = (function () {
  "use strict";
  var text = {};
  try { text = JSON.parse(document.body.getAttribute("data-ui-text")); } catch (e) { /* English */ }
  return function (s, arg) { return (text[s] || s).replace("%s", arg === undefined ? "" : arg); };
})();
(function () {
  "use strict";
  var labels = {
    like: ["Like", "You like this", "reader likes", "readers like"],
    metoo: ["Me too", "It happened to you too", "reader", "readers"]
  };
  document.querySelectorAll("form.reaction").forEach(function (form) {
    form.addEventListener("submit", function (ev) {
      var csrf = form.querySelector("input[name=csrf]");
      if (!csrf || !window.fetch) { return; } // visitors go to sign in the plain way
      ev.preventDefault();
      var button = form.querySelector("button");
      var on = form.querySelector("input[name=on]");
      button.disabled = true;
      fetch(form.action, {
        method: "POST",
        headers: { "X-CSRF-Token": csrf.value, "Accept": "application/json",
          "Content-Type": "application/x-www-form-urlencoded" },
        body: "on=" + encodeURIComponent(on.value),
        credentials: "same-origin"
      }).then(function (res) {
        if (!res.ok) { throw new Error(res.status); }
        return res.json();
      }).then(function (r) {
        var kind = form.dataset.kind, l = labels[kind];
        on.value = r.on ? "0" : "1";
        button.classList.toggle("is-on", r.on);
        button.setAttribute("aria-pressed", r.on ? "true" : "false");
        button.querySelector(".label").textContent = r.label || (r.on ? l[1] : l[0]);
        button.querySelector(".n").textContent = r.count;
        var count = document.querySelector("[data-count=" + kind + "]");
        if (count) { count.textContent = r.count_text || r.count + " " + (r.count === 1 ? l[2] : l[3]); }
      }).catch(function () {
        form.submit(); // fall back to the plain form
      }).finally(function () {
        button.disabled = false;
      });
    });
  });
})();

// A like or "me too" pressed before signing in, by this browser: sent now.
(function () {
  "use strict";
  var pending = document.querySelector("form.pending-reaction[data-send=auto]");
  if (pending) { pending.submit(); }
})();

// Reply opens the comment form under the comment replied to; without this
// script the Reply link reloads the page with ?replyto= and the form at the
// bottom says whom it answers.
(function () {
  "use strict";
  var respond = document.getElementById("respond");
  var form = respond && respond.querySelector("form.comment-form");
  if (!form) { return; }
  var home = document.createElement("div");
  respond.parentNode.insertBefore(home, respond);
  var title = document.getElementById("respond-title");
  var firstTitle = title.textContent;
  var submit = form.querySelector("button[type=submit]");
  var firstSubmit = submit.textContent;
  var cancel = document.createElement("p");
  cancel.className = "replying";
  var cancelLink = document.createElement("a");
  cancelLink.href = "#respond";
  cancelLink.textContent = uiT("Cancel the reply");
  cancel.appendChild(cancelLink);

  function parentField() {
    var p = form.querySelector("input[name=parent]");
    if (!p) {
      p = document.createElement("input");
      p.type = "hidden";
      p.name = "parent";
      form.insertBefore(p, form.firstChild);
    }
    return p;
  }
  function openUnder(li, id) {
    var who = li.querySelector(".who");
    var name = who ? who.textContent.trim() : "";
    parentField().value = id;
    title.textContent = name ? uiT("Reply to %s", name) : uiT("Reply");
    submit.textContent = uiT("Post the reply");
    var old = respond.querySelector(".replying");
    if (old && old !== cancel) { old.remove(); }
    title.after(cancel);
    var article = li.querySelector("article");
    article.after(respond);
    respond.classList.add("is-inline");
    var body = document.getElementById("c-body");
    if (body) { body.focus(); }
  }
  cancelLink.addEventListener("click", function (ev) {
    ev.preventDefault();
    var p = form.querySelector("input[name=parent]");
    if (p) { p.remove(); }
    title.textContent = firstTitle;
    submit.textContent = firstSubmit;
    cancel.remove();
    home.after(respond);
    respond.classList.remove("is-inline");
  });
  document.addEventListener("click", function (ev) {
    var a = ev.target.closest && ev.target.closest("a.reply");
    if (!a) { return; }
    var m = /[?&]replyto=(\d+)/.exec(a.getAttribute("href"));
    var li = a.closest("li.comment");
    if (!m || !li) { return; }
    ev.preventDefault();
    openUnder(li, m[1]);
  });
})();

// A guest's name, email and website, kept on this device only (the page
// is the same for everyone; this script fills the fields in), when they
// tick the box it adds.
(function () {
  "use strict";
  var key = "doleances-guest";
  var form = document.querySelector("form.comment-form");
  var name = form && form.querySelector("#c-name");
  if (!name || !window.localStorage) { return; }
  var fields = { name: name, email: form.querySelector("#c-email"), url: form.querySelector("#c-url") };
  var saved = null;
  try { saved = JSON.parse(localStorage.getItem(key) || "null"); } catch (e) { saved = null; }
  var label = document.createElement("label");
  label.className = "choice remember";
  var box = document.createElement("input");
  box.type = "checkbox";
  box.id = "c-remember";
  label.appendChild(box);
  label.appendChild(document.createTextNode(" Remember my name, email and website on this device"));
  form.querySelector(".guest-fields").after(label);
  if (saved) {
    box.checked = true;
    Object.keys(fields).forEach(function (k) {
      if (fields[k] && !fields[k].value && typeof saved[k] === "string") { fields[k].value = saved[k]; }
    });
  }
  form.addEventListener("submit", function () {
    if (!box.checked) { localStorage.removeItem(key); return; }
    var v = {};
    Object.keys(fields).forEach(function (k) { if (fields[k]) { v[k] = fields[k].value; } });
    localStorage.setItem(key, JSON.stringify(v));
  });
})();
