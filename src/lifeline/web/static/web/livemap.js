// The live map (web/_map_live.html): the offline basemaps Lifeline serves (PMTiles read with
// HTTP range requests; vector tiles drawn by protomaps-leaflet on a canvas, PNG or JPEG tiles
// read by pmtiles and painted on canvases) and the layers web.map_layers gives this role, each
// switched on and off in the layers control. Pages' scripts get the map through LifelineLiveMap.ready(el).
"use strict";
window.LifelineLiveMap = (function () {
  const MARKS = {
    camp: "#1f4e9a", site: "#1f4e9a", place: "#334155", waypoint: "#1d4ed8",
    rally: "#0e7490", objective: "#7a3fb0", extraction: "#0a7d2c", team: "#1d4ed8",
    "team-overdue": "#b3261e", checkin: "#0e7490", report: "#b3261e",
  };
  function areaStyle(id) {
    return (feature) => {
      const p = feature.properties;
      if (feature.geometry.type === "Point") return {};  // points keep pointOf's style
      if (id === "risk") return {stroke: false, fillColor: "#e07000", fillOpacity: p.opacity};
      if (id === "zones") return {color: "#b00", weight: 1, fillColor: "#c00", fillOpacity: p.opacity};
      if (id === "route") {
        return {color: p.colour, weight: 5, dashArray: p.dashed ? "8 6" : null, fill: false};
      }
      return {color: "#1d4ed8", weight: 3, dashArray: "8 6", fill: false};
    };
  }
  function pointOf(id) {
    return (feature, at) => {
      const p = feature.properties;
      if (id === "sightings") {
        return L.circleMarker(at, {radius: 4 + 2 * Math.sqrt(Math.max(p.count, 1)), color: "#600",
          weight: 1, opacity: p.opacity, fillColor: "#b3261e", fillOpacity: p.opacity});
      }
      if (id === "groups") {
        return L.circleMarker(at, {radius: 8, color: "#7a0000", weight: 3, fillColor: "#111", fillOpacity: 1});
      }
      if (id === "stores") {
        return L.circleMarker(at, {radius: 7, color: "#fff", weight: 2, fillColor: "#8a5a00", fillOpacity: 1});
      }
      if (id === "facilities") {
        return L.circleMarker(at, {radius: 6, color: "#fff", weight: 2, fillColor: "#5b21b6", fillOpacity: 1});
      }
      const big = p.kind === "camp" || p.kind === "extraction" || (p.kind || "").startsWith("team");
      return L.circleMarker(at, {radius: big ? 9 : 6, color: "#fff", weight: 2,
        fillColor: MARKS[p.kind] || "#334155", fillOpacity: 1});
    };
  }
  function labelOf(id) {
    return (feature, layer) => {
      const p = feature.properties;
      if (!p.label) return;
      // Places and camps keep their names on the map; the rest say theirs on a tap.
      const named = id === "places" || (id === "mission" && feature.geometry.type === "Point");
      layer.bindTooltip(p.label, {permanent: named, direction: "auto", offset: [8, 0],
        className: "map-label"});
      if (p.href) layer.on("dblclick", () => { window.location.href = p.href; });
    };
  }
  function basemapLayer(basemap) {
    if (basemap.type === "mvt") {
      return protomapsL.leafletLayer({url: basemap.url, flavor: "light",
        lang: document.documentElement.lang || "en", maxDataZoom: basemap.max_zoom,
        attribution: basemap.name});
    }
    return new RasterTiles(new pmtiles.PMTiles(basemap.url), {
      minNativeZoom: basemap.min_zoom, maxNativeZoom: basemap.max_zoom, maxZoom: 19,
      bounds: basemap.bounds, attribution: basemap.name});
  }
  // A raster basemap (PNG or JPEG tiles): each tile read from the file by pmtiles and painted
  // on a canvas. pmtiles' own leafletRasterLayer shows tiles as <img src="blob:...">, which
  // the Content-Security-Policy (img-src 'self' data:) refuses; a canvas needs no URL. A tile
  // the file lacks is left blank, and a tile scrolled away stops its read.
  const RasterTiles = L.GridLayer.extend({
    initialize: function (source, options) {
      this._source = source;
      L.GridLayer.prototype.initialize.call(this, options);
    },
    createTile: function (coords, done) {
      const tile = document.createElement("canvas");
      const controller = new AbortController();
      tile.stopRead = () => controller.abort();
      this._source.getZxy(coords.z, coords.x, coords.y, controller.signal)
        .then((found) => (found ? createImageBitmap(new Blob([found.data])) : null))
        .then((bitmap) => {
          if (bitmap) {
            tile.width = bitmap.width; tile.height = bitmap.height;
            tile.getContext("2d").drawImage(bitmap, 0, 0);
            bitmap.close();
          }
          done(null, tile);
        })
        .catch((error) => { if (error.name !== "AbortError") done(error, tile); });
      return tile;
    },
    _removeTile: function (key) {
      const held = this._tiles[key];
      if (held && held.el.stopRead) held.el.stopRead();
      L.GridLayer.prototype._removeTile.call(this, key);
    },
  });
  const made = new Map();
  function create(el) {
    const basemaps = JSON.parse(document.getElementById(el.dataset.basemaps).textContent);
    const layers = JSON.parse(document.getElementById(el.dataset.layers).textContent);
    const b = el.dataset.bounds.split(",").map(Number);
    const map = L.map(el, {zoomSnap: 0.25, maxZoom: 19, attributionControl: true});
    map.attributionControl.setPrefix(false);
    map.fitBounds([[b[0], b[1]], [b[2], b[3]]]);
    const control = L.control.layers(null, null, {collapsed: true}).addTo(map);
    // One basemap at a time (a vector one's ground would hide another under it): the one
    // added last, the others a choice in the layers control.
    basemaps.forEach((basemap, i) => {
      const drawn = basemapLayer(basemap);
      if (i === 0) drawn.addTo(map);
      if (basemaps.length > 1) control.addBaseLayer(drawn, basemap.name);
    });
    layers.forEach((layer) => {
      const drawn = L.geoJSON(layer.data, {style: areaStyle(layer.id), pointToLayer: pointOf(layer.id),
        onEachFeature: labelOf(layer.id)});
      if (layer.shown) drawn.addTo(map);
      control.addOverlay(drawn, layer.title);
    });
    // What a page's script draws (routes, tapped points) goes on top.
    const live = {map: map, overlay: L.layerGroup().addTo(map), element: el};
    if (el.dataset.pick !== undefined) pickInto(live, el.closest("form"));
    made.set(el, live);
    el.dataset.ready = "1";
    return live;
  }
  // A map in a form with data-pick: a tap fills the form's latitude and longitude (a report's
  // place, a zone's corner), and marks where.
  function pickInto(live, form) {
    let picked = null;
    live.map.on("click", (event) => {
      const at = event.latlng;
      [["latitude", at.lat], ["longitude", at.lng]].forEach(([name, value]) => {
        const input = form.querySelector(`[name=${name}]`);
        input.value = value.toFixed(6);
        input.dispatchEvent(new Event("input", {bubbles: true}));
      });
      if (picked) picked.setLatLng(at);
      else {
        picked = L.circleMarker(at, {radius: 9, color: "#fff", weight: 2, fillColor: "#b3261e",
          fillOpacity: 1, className: "picked"}).addTo(live.overlay);
      }
    });
  }
  function ready(el) {
    return made.get(el) || create(el);
  }
  document.addEventListener("DOMContentLoaded", () => {
    document.querySelectorAll(".map-live").forEach((el) => ready(el));
  });
  return {ready: ready};
})();
