// After a refused save, the error summary takes focus so that a screen reader
// reads it at once; after a save, the notice that says what was saved.
document.addEventListener("DOMContentLoaded", function () {
  "use strict";
  var first = document.querySelector("[data-feil]") || document.querySelector("[data-lagret]");
  if (first) first.focus();
});
