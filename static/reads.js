// Counts a read of this story: once it is on screen (not while prerendered
// or in a background tab), a POST without cookies to the address in
// data-read. The server counts each address once a day without keeping it
// (a hash with a salt of the day); the page is the same for everyone.
(function () {
  "use strict";
  var script = document.currentScript;
  var url = script && script.getAttribute("data-read");
  if (!url || !window.fetch) {
    return;
  }
  function send() {
    fetch(url, { method: "POST", credentials: "omit", keepalive: true, cache: "no-store" }).catch(function () { /* a lost count */ });
  }
  if (document.visibilityState === "visible") {
    send();
    return;
  }
  document.addEventListener("visibilitychange", function shown() {
    if (document.visibilityState === "visible") {
      document.removeEventListener("visibilitychange", shown);
      send();
    }
  });
})();
