// Shared by the pages that draw a routing.map_presenter map (web/_map_svg.html): turning a tap
// into latitude and longitude and back, by the viewport the svg carries in its data-* attributes.
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
  return {of: of, routePlan: routePlan};
})();
