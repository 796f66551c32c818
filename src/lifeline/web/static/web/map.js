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
    await window.LifelineMap.routeShow(svg.dataset.api, form, points, status, draw);
  });
})();
