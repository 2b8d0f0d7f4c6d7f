// Likes and "me too" without reloading the page. Without this file the
// buttons are plain forms that post and come back to the story.
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
