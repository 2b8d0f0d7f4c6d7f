// Autosave: a pause in the typing keeps the form on this device
// (localStorage) and, for a draft, on the server; the first autosave of a
// new story creates its draft and the address becomes its editor's. A public
// story's changes stay on the device until "Save changes": an autosave never
// publishes. Coming back to the editor with a copy that differs from the
// form offers to restore it; leaving with unsaved changes asks first.
(function () {
  "use strict";
  // T gives a message in the page's language: the page holds the
  // translations of the scripts' messages (the body's data-ui-text).
  var uiText = {};
  try { uiText = JSON.parse(document.body.getAttribute("data-ui-text")); } catch (e) { /* English */ }
  function T(s, arg) { return (uiText[s] || s).replace("%s", arg === undefined ? "" : arg); }
  var form = document.getElementById("editor");
  var status = document.getElementById("autosave-status");
  if (!form || !status || !window.fetch || !window.JSON) {
    return;
  }
  var fieldNames = ["title", "body", "tags", "company", "city"];
  var url = form.getAttribute("data-autosave-url");
  var key = "doleances-draft:" + form.getAttribute("data-draft-key");
  var csrf = form.elements.csrf ? form.elements.csrf.value : "";
  var dirty = false; // typed since the last save on the server
  var edits = 0;
  var timer = 0;

  var store = {
    get: function (k) { try { return JSON.parse(localStorage.getItem(k) || "null"); } catch (e) { return null; } },
    set: function (k, v) { try { localStorage.setItem(k, JSON.stringify(v)); } catch (e) { /* full or forbidden: the server copy remains */ } },
    drop: function (k) { try { localStorage.removeItem(k); } catch (e) { /* nothing kept */ } }
  };

  function fields() {
    var f = {};
    fieldNames.forEach(function (n) { f[n] = form.elements[n] ? form.elements[n].value : ""; });
    return f;
  }
  function sameAsForm(copy) {
    var now = fields();
    return fieldNames.every(function (n) { return (copy.fields[n] || "") === now[n]; });
  }
  function hhmm(d) {
    return ("0" + d.getHours()).slice(-2) + ":" + ("0" + d.getMinutes()).slice(-2);
  }
  // params is the form as the server reads it, without files or buttons.
  function params() {
    var p = new URLSearchParams();
    new FormData(form).forEach(function (v, k) {
      if (typeof v === "string" && k !== "action") {
        p.append(k, v);
      }
    });
    return p;
  }

  function saved(answer, n) {
    if (n === edits) {
      dirty = false;
      store.drop(key);
    }
    status.textContent = T("Saved at %s", hhmm(new Date(answer.saved_at)));
    if (answer.autosave_url && answer.autosave_url !== url) { // the first autosave made the draft
      var copy = store.get(key);
      store.drop(key);
      url = answer.autosave_url;
      key = "doleances-draft:" + answer.key;
      if (copy && n !== edits) {
        store.set(key, copy);
      }
      form.setAttribute("action", answer.edit_url); // "Save draft" now saves this draft, not a new one (form.action is the buttons named "action")
      form.setAttribute("data-autosave-url", url);
      history.replaceState(null, "", answer.edit_url);
    }
  }

  function save() {
    var n = edits;
    var at = new Date();
    store.set(key, { fields: fields(), at: at.getTime() });
    if (!url) {
      status.textContent = T("Kept on this device at %s: press “Save changes” to publish them.", hhmm(at));
      return;
    }
    fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/x-www-form-urlencoded", "Accept": "application/json", "X-CSRF-Token": csrf },
      body: params()
    }).then(function (res) {
      return res.json().then(function (answer) {
        if (res.ok) {
          saved(answer, n);
        } else {
          status.textContent = (answer.error || T("Not saved on the server.")) + " " + T("Kept on this device at %s.", hhmm(at));
        }
      });
    }).catch(function () {
      status.textContent = T("Not saved on the server (no connection?). Kept on this device at %s.", hhmm(at));
    });
  }

  function changed() {
    dirty = true;
    edits++;
    status.textContent = T("Unsaved changes…");
    clearTimeout(timer);
    timer = setTimeout(save, 1500);
  }
  form.addEventListener("input", changed);
  form.addEventListener("change", function (e) {
    if (e.target && (e.target.type === "checkbox" || e.target.type === "radio")) {
      changed();
    }
  });
  form.addEventListener("submit", function () {
    // The form itself carries the text now: a refusal gives it back in the
    // page, and a copy kept here would differ from what the server made of
    // it (tags tidied, spaces trimmed) and be offered again for nothing.
    dirty = false;
    clearTimeout(timer);
    store.drop(key);
  });
  window.addEventListener("beforeunload", function (e) {
    if (dirty) {
      e.preventDefault();
      e.returnValue = ""; // older browsers ask only when this is set
    }
  });

  // offerRestore shows, above the buttons, the copy this device kept.
  function offerRestore(copy) {
    var box = document.createElement("div");
    box.className = "flash restore-offer";
    box.setAttribute("role", "alert");
    var p = document.createElement("p");
    p.textContent = T("This device kept text you wrote here at %s that was not saved.", hhmm(new Date(copy.at))) + " ";
    var restore = document.createElement("button");
    restore.type = "button";
    restore.className = "button";
    restore.textContent = T("Restore it");
    var discard = document.createElement("button");
    discard.type = "button";
    discard.className = "button secondary";
    discard.textContent = T("Discard it");
    box.appendChild(p);
    box.appendChild(restore);
    box.appendChild(discard);
    form.insertBefore(box, form.firstChild);
    restore.addEventListener("click", function () {
      fieldNames.forEach(function (n) {
        if (form.elements[n] && typeof copy.fields[n] === "string") {
          form.elements[n].value = copy.fields[n];
        }
      });
      box.remove();
      document.getElementById("body").dispatchEvent(new Event("input", { bubbles: true })); // preview and autosave follow
    });
    discard.addEventListener("click", function () {
      store.drop(key);
      box.remove();
    });
  }

  var kept = store.get(key);
  if (kept && kept.fields) {
    if (sameAsForm(kept)) {
      store.drop(key); // saved since
    } else {
      offerRestore(kept);
    }
  }
})();
