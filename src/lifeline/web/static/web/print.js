// The "Print" button of a printable card: the browser's own print dialog. Without JavaScript
// the browser's Print menu gives the same card (the print stylesheet does the layout).
"use strict";
document.querySelectorAll("[data-print]").forEach((button) => {
  button.addEventListener("click", () => window.print());
});
