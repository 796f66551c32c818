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
  const colours = ["#0a7d2c", "#d08a00", "#7a3fb0", "#555"];
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
    const data = new FormData(form);
    const body = {origin: points[0], destination: points[1], risk_weight: +data.get("risk_weight"),
                  avoid_level: data.get("avoid_level") ? +data.get("avoid_level") : null,
                  alternatives: +data.get("alternatives")};
    status.textContent = words.planning;
    const answer = await window.LifelineMap.routePlan(el.dataset.api, body);
    const plan = answer.plan;
    if (!answer.ok) { status.textContent = plan.error ? plan.error.message : words.failed; return; }
    if (!plan.found) {
      status.textContent = words.unsafe.replace("%(reason)s", plan.reason) + (plan.least_exposed ? " " + words.leastExposed : "");
      if (plan.least_exposed) draw(plan.least_exposed, "#b00", true);
      return;
    }
    plan.routes.slice().reverse().forEach((r, i) => draw(r, colours[plan.routes.length - 1 - i] || "#555", i < plan.routes.length - 1));
    status.textContent = plan.routes.map((r, i) => (i ? words.alternative.replace("%(n)s", i) : words.safest)
      .replace("%(metres)s", Math.round(r.length_m)).replace("%(exposure)s", r.exposure)
      .replace("%(peak)s", r.peak_risk)).join(" · ");
  });
})();
