// After a refused save, the error summary takes focus so that a screen reader
// reads it at once; after a save, the notice that says what was saved.
// While a build or a publish runs, its page asks how far it has come and
// shows the file being made, then shows the result once it is done.
document.addEventListener("DOMContentLoaded", function () {
  "use strict";
  var first = document.querySelector("[data-feil]") || document.querySelector("[data-lagret]");
  if (first) first.focus();
  var progress = document.querySelector("[data-fremdrift]");
  if (!progress) return;
  var making = progress.querySelector("[data-lager]");
  function ask() {
    fetch(progress.getAttribute("data-fremdrift"), { cache: "no-store" })
      .then(function (answer) { return answer.json(); })
      .then(function (state) {
        if (state.ferdig) {
          location.reload();
          return;
        }
        if (making && state.lager) making.textContent = state.lager;
        setTimeout(ask, 400);
      })
      .catch(function () { setTimeout(ask, 1000); });
  }
  setTimeout(ask, 200);
});
