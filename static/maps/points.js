// Adds a map's points from compact JSON to a cluster layer, with a popup linking to each listing.
// The points are fetched, not written into the page, so a map of 20,000 places stays a small page.

// A page with few points (search results, one listing) writes them into data-points instead of a URL.
function loadPoints(element) {
  if (element.dataset.points) return Promise.resolve(JSON.parse(element.dataset.points));
  return fetch(element.dataset.pointsUrl, { headers: { Accept: "application/json" } }).then((response) => {
    if (!response.ok) throw new Error(`points: ${response.status}`);
    return response.json();
  });
}

function addPoints(map, element) {
  loadPoints(element)
    .then((data) => {
      const cluster = L.markerClusterGroup({ chunkedLoading: true, showCoverageOnHover: false });
      const markers = data.points.map(([lat, lon, name, slug]) => {
        const marker = L.marker([lat, lon], { title: name, alt: name });
        marker.bindPopup(() => {
          const link = document.createElement("a");
          link.className = "govuk-link";
          link.href = data.listing_url.replace("SLUG", encodeURIComponent(slug));
          link.textContent = name;
          return link;
        });
        return marker;
      });
      cluster.addLayers(markers);
      // Fit first, without animation, then show the clusters: they are drawn once at the final zoom, so
      // nothing is mid-animation (overlapping) when the page says the places are shown.
      if (markers.length) {
        const bounds = L.latLngBounds(markers.map((marker) => marker.getLatLng()));
        map.fitBounds(bounds, { maxZoom: Number(element.dataset.maxZoom || 15), padding: [20, 20], animate: false });
      }
      map.addLayer(cluster);
      const status = document.getElementById(element.dataset.statusId);
      if (status) status.textContent = markers.length === 1 ? "1 place shown on the map." : `${markers.length.toLocaleString("en-GB")} places shown on the map.`;
      element.dataset.pointsLoaded = String(markers.length);
    })
    .catch((error) => {
      console.warn("map points:", error);
      const status = document.getElementById(element.dataset.statusId);
      if (status) status.textContent = "The places could not be loaded. Use the table below instead.";
    });
}

function start(name) {
  const element = document.getElementById(name);
  const map = window.portalMaps && window.portalMaps[name];
  if (element && map && (element.dataset.pointsUrl || element.dataset.points) && !element.dataset.pointsStarted) {
    element.dataset.pointsStarted = "yes";
    addPoints(map, element);
  }
}

for (const name of Object.keys(window.portalMaps || {})) start(name);
document.addEventListener("portal:map-ready", (event) => start(event.detail));
