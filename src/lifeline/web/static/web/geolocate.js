// "Use my position": a button[data-geolocate] fills the latitude and longitude fields of its
// form from the browser's geolocation. The words it says come from the button's data-* (the
// page translates them); typing the coordinates always works without it.
"use strict";
(function () {
  function say(status, text, failed) {
    if (!status) return;
    status.textContent = text;
    status.classList.toggle("error", failed);
  }
  document.querySelectorAll("button[data-geolocate]").forEach((button) => {
    const form = button.closest("form");
    const words = button.dataset;
    const status = document.getElementById(words.status);
    const latitude = form.querySelector("[name=latitude]");
    const longitude = form.querySelector("[name=longitude]");
    button.hidden = false;
    button.addEventListener("click", () => {
      if (!window.isSecureContext || !("geolocation" in navigator)) {
        say(status, words.unavailable, true);
        return;
      }
      say(status, words.finding, false);
      button.disabled = true;
      navigator.geolocation.getCurrentPosition(
        (position) => {
          button.disabled = false;
          latitude.value = position.coords.latitude.toFixed(6);
          longitude.value = position.coords.longitude.toFixed(6);
          const metres = Math.round(position.coords.accuracy || 0);
          say(status, words.found.replace("%(metres)s", metres), false);
        },
        (error) => {
          button.disabled = false;
          const text = error.code === error.PERMISSION_DENIED ? words.refused
            : error.code === error.TIMEOUT ? words.timeout : words.unavailable;
          say(status, text, true);
        },
        {enableHighAccuracy: true, timeout: 20000, maximumAge: 60000},
      );
    });
  });
})();
