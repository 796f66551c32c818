// The mission planning page (web/missions/plan.html): a tap on the map (drawn, or live over
// a basemap) fills the next empty
// waypoint row, or the extraction point's row, with its latitude and longitude; the points
// (tapped or typed) are drawn in order with a dashed line; "Show the safest route" asks the
// routes API for the safest way between each point and the next. Words come from data-*.
"use strict";
(function () {
  const el = document.getElementById("plan-map");
  if (!el) return;
  // The map under the taps: the drawn one (an svg) or the live one over a basemap (Leaflet).
  const surface = el.classList.contains("map-live") ? liveSurface(el) : svgSurface(el);
  const status = document.getElementById("plan-map-status");
  const words = status.dataset;
  const form = el.closest("form");
  const rows = Array.from(form.querySelectorAll("[data-point-row]"));
  const clear = document.getElementById("plan-clear");
  const route = document.getElementById("plan-route");
  const field = (row, name) => row.querySelector(`[name^=point_${name}_]`);
  const filled = (row) => field(row, "lat").value.trim() !== "" && field(row, "lon").value.trim() !== "";
  const nameOf = (row) => field(row, "name").value.trim() || row.dataset.defaultName;

  function svgSurface(svg) {
    const map = window.LifelineMap.of(svg);
    const layer = map.element("g", {class: "plan-taps"});
    const routes = map.element("g", {class: "plan-routes"});
    svg.appendChild(routes);
    svg.appendChild(layer);
    // The server drew the points it was sent; this script draws them from now on.
    document.querySelectorAll("#plan-map-marks .mark-waypoint, #plan-map-marks .mark-extraction")
      .forEach((mark) => mark.remove());
    return {
      onTap: (handle) => svg.addEventListener("click", (event) => {
        const at = map.fromEvent(event);
        handle(at.lat, at.lon);
      }),
      drawPoints: (placed) => {
        layer.replaceChildren();
        if (placed.length > 1) {
          layer.appendChild(map.element("polyline", {
            class: "plan-line", points: placed.map((p) => map.toXY(p.lat, p.lon).join(",")).join(" "),
          }));
        }
        placed.forEach((p) => {
          const [x, y] = map.toXY(p.lat, p.lon);
          const mark = map.element("g", {class: `mark mark-${p.kind} tapped`});
          mark.appendChild(map.element("circle", {cx: x, cy: y, r: 8}));
          const before = x > svg.viewBox.baseVal.width * 0.6;
          const label = map.element("text", before
            ? {x: x - 10, y: y + 5, "font-size": 15, "text-anchor": "end"}
            : {x: x + 10, y: y + 5, "font-size": 15});
          label.textContent = p.name;
          mark.appendChild(label);
          layer.appendChild(mark);
        });
      },
      clearRoutes: () => routes.replaceChildren(),
      drawRoute: (path) => routes.appendChild(map.element("polyline", {
        class: "plan-route", points: path.map(([a, b]) => map.toXY(a, b).join(",")).join(" "),
      })),
    };
  }
  function liveSurface(div) {
    const live = window.LifelineLiveMap.ready(div);
    const taps = L.layerGroup().addTo(live.overlay);
    const routes = L.layerGroup().addTo(live.overlay);
    const colours = {extraction: "#0a7d2c", waypoint: "#1d4ed8"};
    return {
      onTap: (handle) => live.map.on("click", (event) => handle(event.latlng.lat, event.latlng.lng)),
      drawPoints: (placed) => {
        taps.clearLayers();
        if (placed.length > 1) {
          L.polyline(placed.map((p) => [p.lat, p.lon]), {color: "#1d4ed8", weight: 3,
            dashArray: "8 6", className: "plan-line"}).addTo(taps);
        }
        placed.forEach((p) => {
          L.circleMarker([p.lat, p.lon], {radius: 9, color: "#fff", weight: 2,
            fillColor: colours[p.kind] || "#1d4ed8", fillOpacity: 1, className: `tapped mark-${p.kind}`})
            .bindTooltip(p.name, {permanent: true, direction: "auto", offset: [10, 0],
              className: "map-label"})
            .addTo(taps);
        });
      },
      clearRoutes: () => routes.clearLayers(),
      drawRoute: (path) => L.polyline(path, {color: "#0a7d2c", weight: 5, className: "plan-route"})
        .addTo(routes),
    };
  }

  function say(text, failed) {
    status.textContent = text;
    status.classList.toggle("error", !!failed);
  }
  function points() {
    const ordered = rows.filter((r) => r.dataset.kind !== "extraction")
      .concat(rows.filter((r) => r.dataset.kind === "extraction"));
    return ordered.filter(filled).map((row) => ({
      row: row, name: nameOf(row), kind: row.dataset.kind,
      lat: parseFloat(field(row, "lat").value), lon: parseFloat(field(row, "lon").value),
    })).filter((p) => Number.isFinite(p.lat) && Number.isFinite(p.lon));
  }
  function redraw() {
    surface.clearRoutes();
    const placed = points();
    surface.drawPoints(placed);
    if (clear) clear.hidden = placed.length === 0;
    if (route) route.hidden = placed.length < 2;
  }
  surface.onTap((lat, lon) => {
    const mode = form.querySelector("[name=tap_places]:checked");
    const extraction = mode && mode.value === "extraction";
    const row = extraction ? rows.find((r) => r.dataset.kind === "extraction")
      : rows.find((r) => r.dataset.kind !== "extraction" && !filled(r));
    if (!row) { say(words.full, true); return; }
    field(row, "lat").value = lat.toFixed(6);
    field(row, "lon").value = lon.toFixed(6);
    redraw();
    say(words.placed.replace("%(name)s", nameOf(row)), false);
  });
  form.addEventListener("input", (event) => {
    if (event.target.name && event.target.name.startsWith("point_")) redraw();
  });
  if (clear) {
    clear.addEventListener("click", () => {
      rows.forEach((row) => { field(row, "lat").value = ""; field(row, "lon").value = ""; });
      redraw();
      say("", false);
    });
  }
  if (route && el.dataset.api) {
    route.addEventListener("click", async () => {
      const placed = points();
      surface.clearRoutes();
      say(words.routing, false);
      let metres = 0;
      for (let i = 0; i + 1 < placed.length; i++) {
        const answer = await window.LifelineMap.routePlan(el.dataset.api, {
          origin: [placed[i].lat, placed[i].lon], destination: [placed[i + 1].lat, placed[i + 1].lon],
          risk_weight: 2, alternatives: 0,
        });
        const plan = answer.plan;
        if (!answer.ok) { say(plan.error ? plan.error.message : words.failed, true); return; }
        if (!plan.found) { say(words.unsafe.replace("%(reason)s", plan.reason), true); return; }
        const best = plan.routes[0];
        metres += best.length_m;
        surface.drawRoute(best.path);
      }
      say(words.routed.replace("%(metres)s", Math.round(metres)), false);
    });
  }
  redraw();
})();
