// One event stream for every open preview tab: each new version is passed on to them all.
"use strict";
var ports = [];
var current = null;
var events = new EventSource("/_oversikt/hendelser");
events.onmessage = function (event) {
  current = event.data;
  ports.forEach(function (port) { port.postMessage(current); });
};
onconnect = function (event) {
  var port = event.ports[0];
  ports.push(port);
  if (current !== null) port.postMessage(current);
};
