// The map page over a basemap (web/map.html with web/_map_live.html): tap the start, then the
// destination; the safest route (and its alternatives) is asked of the routes API and drawn
// over the map. With "Draw a threat zone" open (commanders), taps place the zone's corners
// instead, and the zone is saved through the threat zones API. Words come from data-*.
"use strict";
(function () {
  const el = document.getElementById("route-map");
  if (!el || !el.classList.contains("map-live")) return;
  const live = window.LifelineLiveMap.ready(el);
  const status = document.getElementById("route-status");
  const form = document.getElementById("route-options");
  const words = form.dataset;
  let points = [];
  function mark(at, colour) {
    L.circleMarker(at, {radius: 8, color: "#fff", weight: 2, fillColor: colour, fillOpacity: 1})
      .addTo(live.overlay);
  }
  function draw(route, colour, dashed) {
    L.polyline(route.path, {color: colour, weight: 5, dashArray: dashed ? "8 6" : null,
      className: "route-line"}).addTo(live.overlay);
  }
  document.getElementById("route-clear").addEventListener("click", () => {
    points = []; live.overlay.clearLayers(); status.textContent = words.start;
  });
  const zone = document.getElementById("zone-draw");
  const corners = [];
  const outline = L.polygon([], {color: "#b00", weight: 2, dashArray: "4 4", fillColor: "#f66",
    fillOpacity: 0.2, className: "zone-drawn"});
  function zoneSay(text) { document.getElementById("zone-status").textContent = text; }
  if (zone) {
    outline.addTo(live.map);
    document.getElementById("zone-clear").addEventListener("click", () => {
      corners.length = 0; outline.setLatLngs([]); zoneSay("");
    });
    document.getElementById("zone-save").addEventListener("click", async () => {
      zoneSay(zone.dataset.saving);
      const response = await fetch(zone.dataset.api, {method: "POST", credentials: "same-origin",
        headers: {"Content-Type": "application/json",
                  "X-CSRFToken": document.querySelector("[name=csrfmiddlewaretoken]").value},
        body: JSON.stringify({name: document.getElementById("zone-name").value,
          level: +document.getElementById("zone-level").value,
          polygon: corners.map((c) => [c.lat, c.lng])})});
      if (response.ok) { window.location.reload(); return; }
      const answer = await response.json().catch(() => ({}));
      const error = answer.error || {};
      const fields = Object.entries(error.fields || {}).map(([k, v]) => k + ": " + [].concat(v).join(" "));
      zoneSay(zone.dataset.failed + " " + (fields.join("; ") || error.message || response.status));
    });
  }
  live.map.on("click", async (event) => {
    const at = event.latlng;
    if (zone && zone.open) {
      corners.push(at); outline.setLatLngs(corners);
      zoneSay(zone.dataset.corners.replace("%(n)s", corners.length));
      return;
    }
    if (points.length !== 1) { points = []; live.overlay.clearLayers(); }
    points.push([at.lat, at.lng]); mark(at, points.length === 1 ? "#0a7d2c" : "#b00");
    if (points.length < 2) { status.textContent = words.next; return; }
    await window.LifelineMap.routeShow(el.dataset.api, form, points, status, draw);
  });
})();
