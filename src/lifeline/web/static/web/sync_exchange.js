// The progress of a sync exchange (web/sync_exchange.html): while it runs, the page is
// loaded again every two seconds; the server renders how far it is.
(function () {
  "use strict";
  if (document.querySelector("[data-exchange-running]")) {
    window.setTimeout(function () { window.location.reload(); }, 2000);
  }
})();
