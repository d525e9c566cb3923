// The preview page reloads itself when the server has a newer version.
// All tabs share one event stream through a shared worker, so that any number
// of them stay live (a browser opens at most six connections to one server).
(function () {
  "use strict";
  var shown = document.currentScript.getAttribute("data-versjon");
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
