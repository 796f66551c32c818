// The map page (web/map.html): tap the start, then the destination; the safest route (and its
// alternatives) is asked of the routes API and drawn. Words come from #route-options' data-*.
"use strict";
(function () {
  const svg = document.getElementById("route-map");
  if (!svg) return;
  const map = window.LifelineMap.of(svg);
  const layer = document.getElementById("route-map-routes");
  const status = document.getElementById("route-status");
  const form = document.getElementById("route-options");
  const words = form.dataset;
  const colours = ["#0a7d2c", "#d08a00", "#7a3fb0", "#555"];
  let points = [];
  function mark(x, y, colour) {
    layer.appendChild(map.element("circle", {cx: x, cy: y, r: 7, fill: colour}));
  }
  function draw(route, colour, dashed) {
    const attributes = {points: route.path.map(([a, b]) => map.toXY(a, b).join(",")).join(" "),
                        fill: "none", stroke: colour, "stroke-width": 4};
    if (dashed) attributes["stroke-dasharray"] = "8 6";
    layer.appendChild(map.element("polyline", attributes));
  }
  document.getElementById("route-clear").addEventListener("click", () => {
    points = []; layer.replaceChildren(); status.textContent = words.start;
  });
  svg.addEventListener("click", async (event) => {
    const at = map.fromEvent(event);
    if (points.length !== 1) { points = []; layer.replaceChildren(); }
    points.push([at.lat, at.lon]); mark(at.x, at.y, points.length === 1 ? "#0a7d2c" : "#b00");
    if (points.length < 2) { status.textContent = words.next; return; }
    const data = new FormData(form);
    const body = {origin: points[0], destination: points[1], risk_weight: +data.get("risk_weight"),
                  avoid_level: data.get("avoid_level") ? +data.get("avoid_level") : null,
                  alternatives: +data.get("alternatives")};
    status.textContent = words.planning;
    const answer = await window.LifelineMap.routePlan(svg.dataset.api, body);
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
