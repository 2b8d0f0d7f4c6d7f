// The "Copy link" button of the confirmation after publishing; without
// JavaScript (or without clipboard access) the address stays in a field
// to select and copy by hand.
(function () {
  "use strict";
  var button = document.getElementById("copy-link");
  var field = document.getElementById("share-url");
  if (!button || !field || !navigator.clipboard) {
    return;
  }
  button.hidden = false;
  button.addEventListener("click", function () {
    navigator.clipboard.writeText(field.value).then(function () {
      button.textContent = "Copied";
    }, function () {
      field.focus();
      field.select();
      button.textContent = "Press Ctrl+C to copy";
    });
  });
})();
