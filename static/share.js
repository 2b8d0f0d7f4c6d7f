// The "Copy link" button of the confirmation after publishing; without
// JavaScript (or without clipboard access) the address stays in a field
// to select and copy by hand.
(function () {
  "use strict";
  var text = {};
  try { text = JSON.parse(document.body.getAttribute("data-ui-text")); } catch (e) { /* English */ }
  function T(s) { return text[s] || s; }
  var button = document.getElementById("copy-link");
  var field = document.getElementById("share-url");
  if (!button || !field || !navigator.clipboard) {
    return;
  }
  button.hidden = false;
  button.addEventListener("click", function () {
    navigator.clipboard.writeText(field.value).then(function () {
      button.textContent = T("Copied");
    }, function () {
      field.focus();
      field.select();
      button.textContent = T("Press Ctrl+C to copy");
    });
  });
})();
