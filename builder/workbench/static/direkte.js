// The preview page reloads itself when the server has a newer version.
// All tabs share one event stream through a shared worker, so that any number
// of them stay live (a browser opens at most six connections to one server).
// While the content has errors, a bar at the top of the window says so; once
// they are mended, the page goes back to where the editor had scrolled.
(function () {
  "use strict";
  var shown = document.currentScript.getAttribute("data-versjon");
  var place = "oversikt-rulling:" + location.pathname + location.search;
  var failing = document.querySelector("[data-feil-i-innholdet]") !== null;
  if (failing) {
    window.scrollTo(0, 0);
  } else {
    var kept = sessionStorage.getItem(place);
    if (kept !== null) window.scrollTo(0, Number(kept));
    window.addEventListener("scroll", function () {
      sessionStorage.setItem(place, String(window.scrollY));
    }, { passive: true });
  }
  if ("scrollRestoration" in history) history.scrollRestoration = "manual";
  function told(version) {
    if (version && version !== shown) {
      shown = version;
      location.reload();
    }
  }
  if (window.SharedWorker) {
    var worker = new SharedWorker("/_oversikt/arbeider.js");
    worker.port.onmessage = function (event) { told(event.data); };
    worker.port.start();
  } else {
    var events = new EventSource("/_oversikt/hendelser");
    events.onmessage = function (event) { told(event.data); };
  }
})();
