// Shared by the pages that draw a routing.map_presenter map (web/_map_svg.html): turning a tap
// into latitude and longitude and back, by the viewport the svg carries in its data-* attributes;
// and by both map pages (drawn and live): asking the routes API and showing its answer.
"use strict";
window.LifelineMap = (function () {
  const SVG_NS = "http://www.w3.org/2000/svg";
  function of(svg) {
    const f = svg.dataset, S = +f.south, W = +f.west, N = +f.north, E = +f.east;
    const box = svg.viewBox.baseVal;
    return {
      svg: svg,
      toXY: (lat, lon) => [(lon - W) / (E - W) * box.width, (N - lat) / (N - S) * box.height],
      fromEvent: (event) => {
        const pt = svg.createSVGPoint();
        pt.x = event.clientX; pt.y = event.clientY;
        const local = pt.matrixTransform(svg.getScreenCTM().inverse());
        return {x: local.x, y: local.y,
                lat: N - local.y / box.height * (N - S), lon: W + local.x / box.width * (E - W)};
      },
      element: (name, attributes) => {
        const el = document.createElementNS(SVG_NS, name);
        for (const [key, value] of Object.entries(attributes)) el.setAttribute(key, value);
        return el;
      },
    };
  }
  function csrf() {
    const field = document.querySelector("[name=csrfmiddlewaretoken]");
    return field ? field.value : "";
  }
  async function routePlan(api, body) {
    const response = await fetch(api, {method: "POST", credentials: "same-origin",
      headers: {"Content-Type": "application/json", "X-CSRFToken": csrf()},
      body: JSON.stringify(body)});
    return {ok: response.ok, plan: await response.json()};
  }
  const ROUTE_COLOURS = ["#0a7d2c", "#d08a00", "#7a3fb0", "#555"];
  // The route from `points` [[lat, lon], [lat, lon]] with #route-options' settings: the answer
  // said in `status` with the form's words (data-*), each route given to draw(route, colour,
  // dashed), the safest last so that it is drawn on top.
  async function routeShow(api, form, points, status, draw) {
    const words = form.dataset;
    const data = new FormData(form);
    const body = {origin: points[0], destination: points[1], risk_weight: +data.get("risk_weight"),
                  avoid_level: data.get("avoid_level") ? +data.get("avoid_level") : null,
                  alternatives: +data.get("alternatives")};
    status.textContent = words.planning;
    const answer = await routePlan(api, body);
    const plan = answer.plan;
    if (!answer.ok) { status.textContent = plan.error ? plan.error.message : words.failed; return; }
    if (!plan.found) {
      status.textContent = words.unsafe.replace("%(reason)s", plan.reason) + (plan.least_exposed ? " " + words.leastExposed : "");
      if (plan.least_exposed) draw(plan.least_exposed, "#b00", true);
      return;
    }
    plan.routes.slice().reverse().forEach((r, i) => draw(r, ROUTE_COLOURS[plan.routes.length - 1 - i] || "#555", i < plan.routes.length - 1));
    status.textContent = plan.routes.map((r, i) => (i ? words.alternative.replace("%(n)s", i) : words.safest)
      .replace("%(metres)s", Math.round(r.length_m)).replace("%(exposure)s", r.exposure)
      .replace("%(peak)s", r.peak_risk)).join(" · ");
  }
  return {of: of, routePlan: routePlan, routeShow: routeShow};
})();
