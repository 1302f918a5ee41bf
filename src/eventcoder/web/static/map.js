/* The map page: bundled country outlines (offline), optional tiles, the filtered incidents.
   Text from the data is only ever set with textContent, never parsed as HTML. */
(function () {
  "use strict";
  var el = document.getElementById("map");
  if (!el || !window.L) { return; }
  var map = L.map(el, { worldCopyJump: true, preferCanvas: false }).setView([33, 40], 4);
  map.createPane("base");
  map.getPane("base").style.zIndex = 250;

  var tiles = el.dataset.tiles;
  if (tiles) {
    var credit = document.createElement("span");
    credit.textContent = el.dataset.tilesAttribution || "";
    L.tileLayer(tiles, { attribution: credit.innerHTML, maxZoom: 18 }).addTo(map);
  }
  map.attributionControl.setPrefix("Leaflet · outlines: Natural Earth");

  fetch(el.dataset.basemap).then(function (r) { return r.json(); }).then(function (data) {
    L.geoJSON(data, {
      pane: "base", interactive: false,
      style: { color: "#8a94a6", weight: 0.7, fillColor: tiles ? "transparent" : "#f4f1ea", fillOpacity: tiles ? 0 : 1 }
    }).addTo(map);
  }).catch(function () { /* outlines are decoration */ });

  var COLORS = {
    "Battles": "#c0392b", "Explosions/Remote violence": "#e67e22", "Violence against civilians": "#8e44ad",
    "Protests": "#2980b9", "Riots": "#16a085", "Strategic developments": "#7f8c8d"
  };

  function popup(p, id) {
    var box = document.createElement("div");
    var link = document.createElement("a");
    link.href = "/events/" + encodeURIComponent(id);
    link.className = "event-link";
    link.textContent = (p.event_date || "") + " · " + (p.location || "");
    box.appendChild(link);
    var lines = [
      (p.sub_event_type || p.event_type || ""),
      [p.actor1, p.actor2].filter(Boolean).join(" — "),
      (p.fatalities || 0) + " fatalities · " + (p.n_reports || 1) + " report(s)",
      p.status === "rejected" ? "REJECTED" : (p.reviewed_fields && p.reviewed_fields.length ? "reviewed" : "")
    ];
    lines.forEach(function (text) {
      if (!text) { return; }
      var div = document.createElement("div");
      div.textContent = text;
      box.appendChild(div);
    });
    return box;
  }

  fetch(el.dataset.events).then(function (r) { return r.json(); }).then(function (data) {
    var layer = L.geoJSON(data, {
      pointToLayer: function (feature, latlng) {
        var p = feature.properties || {};
        return L.circleMarker(latlng, {
          radius: 5 + Math.min(12, Math.sqrt(p.fatalities || 0) * 1.5),
          color: "#222", weight: 1, fillColor: COLORS[p.event_type] || "#555",
          fillOpacity: p.status === "rejected" ? 0.2 : 0.75, className: "event-marker"
        });
      },
      onEachFeature: function (feature, marker) {
        marker.bindPopup(popup(feature.properties || {}, feature.id));
      }
    }).addTo(map);
    var n = data.features ? data.features.length : 0;
    if (n) { map.fitBounds(layer.getBounds().pad(0.3), { maxZoom: 8 }); }
    el.dataset.loaded = String(n);
  }).catch(function () { el.dataset.loaded = "error"; });

  var button = document.getElementById("use-view");
  if (button) {
    button.addEventListener("click", function () {
      var b = map.getBounds();
      var box = document.getElementById("bbox");
      var clamp = function (v, lo, hi) { return Math.max(lo, Math.min(hi, v)); };
      box.value = [clamp(b.getWest(), -180, 180), clamp(b.getSouth(), -90, 90), clamp(b.getEast(), -180, 180),
                   clamp(b.getNorth(), -90, 90)].map(function (v) { return v.toFixed(3); }).join(",");
      document.getElementById("filters").submit();
    });
  }
})();
