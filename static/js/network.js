/* Draws the trust networks with Cytoscape.js (static/vendor/cytoscape, see
 * scripts/vendor_static.sh): every <div class="network-graph" data-src="..."> gets the
 * graph of that same-origin JSON endpoint, {nodes: [{id, label, degree, mark}], edges:
 * [{source, target}], layout: "web" | "tree", roots: [id]}.
 *
 * Progressive enhancement: the drawing's section is `hidden` in the HTML and shown here, so
 * without JavaScript the page keeps its lists only. No inline script or style: the CSP
 * allows same-origin scripts only. Colours come from the page's CSS custom properties, so
 * the drawing follows the light and dark themes. When drawn, the container says how many
 * nodes and edges it shows (data-nodes, data-edges, data-suspended: how many nodes are
 * marked "suspended"; data-state="drawn").
 */
(function () {
  "use strict";

  function cssVar(name, fallback) {
    var value = getComputedStyle(document.documentElement).getPropertyValue(name).trim();
    return value || fallback;
  }

  function style() {
    var text = cssVar("--text", "#1a1d21");
    var surface = cssVar("--surface", "#ffffff");
    return [
      { selector: "node", style: {
          "label": "data(label)", "color": text, "font-size": 12,
          "text-valign": "bottom", "text-margin-y": 4,
          "text-background-color": surface, "text-background-opacity": 0.85,
          "text-background-padding": 2,
          "width": 18, "height": 18,
          "background-color": cssVar("--badge-fg", "#3730a3"),
          "border-width": 2, "border-color": surface } },
      { selector: "node[degree = 0]", style: {
          "width": 26, "height": 26, "background-color": cssVar("--primary", "#1d4ed8"),
          "font-weight": "bold" } },
      { selector: "node[degree = 2]", style: {
          "background-color": cssVar("--muted", "#4f5661") } },
      { selector: "node[mark = 'subject']", style: {
          "width": 26, "height": 26, "background-color": cssVar("--danger", "#b42318"),
          "font-weight": "bold" } },
      { selector: "node[mark = 'suspended']", style: {
          "background-color": cssVar("--suspended-fg", "#9a3412"),
          "border-color": cssVar("--danger", "#b42318"), "border-width": 3,
          "shape": "diamond" } },
      { selector: "edge", style: {
          "width": 1.5, "line-color": cssVar("--border-strong", "#767d88"),
          "target-arrow-color": cssVar("--border-strong", "#767d88"),
          "target-arrow-shape": "triangle", "arrow-scale": 0.8,
          "curve-style": "bezier" } }
    ];
  }

  function layout(data) {
    if (data.layout === "tree") {
      return { name: "breadthfirst", directed: true, roots: data.roots || undefined,
               spacingFactor: 1.1, padding: 16, animate: false };
    }
    // A force-directed layout: contacts gather around me, the 2nd degree around them.
    return { name: "cose", padding: 24, animate: false, randomize: true,
             nodeRepulsion: function () { return 8000; },
             idealEdgeLength: function () { return 60; }, numIter: 1500 };
  }

  function draw(container, data) {
    var elements = data.nodes.map(function (node) { return { group: "nodes", data: node }; })
      .concat(data.edges.map(function (edge, index) {
        return { group: "edges", data: { id: "e" + index, source: edge.source,
                                         target: edge.target } };
      }));
    var cy = window.cytoscape({
      container: container, elements: elements, style: style(), layout: layout(data),
      userZoomingEnabled: true, userPanningEnabled: true, boxSelectionEnabled: false,
      autoungrabify: true, minZoom: 0.3, maxZoom: 1.5
    });
    cy.ready(function () {
      container.dataset.nodes = String(cy.nodes().length);
      container.dataset.edges = String(cy.edges().length);
      container.dataset.suspended = String(cy.nodes("[mark = 'suspended']").length);
      container.dataset.state = "drawn";
    });
  }

  function start(container) {
    var section = container.closest("[hidden]");
    if (section) { section.hidden = false; }
    fetch(container.dataset.src, { credentials: "same-origin",
                                   headers: { "Accept": "application/json" } })
      .then(function (response) {
        if (!response.ok) { throw new Error("HTTP " + response.status); }
        return response.json();
      })
      .then(function (data) { draw(container, data); })
      .catch(function () {
        container.dataset.state = "failed";
        if (section) { section.hidden = true; }  // the lists still say it all
      });
  }

  function init() {
    if (typeof window.cytoscape !== "function") { return; }
    // Cytoscape.js injects a <style> element (blocked by the CSP) unless an element with
    // this id exists; app.css has its one rule (.network-graph { position: relative }).
    if (!document.getElementById("__________cytoscape_stylesheet")) {
      var marker = document.createElement("meta");
      marker.id = "__________cytoscape_stylesheet";
      document.head.appendChild(marker);
    }
    Array.prototype.forEach.call(document.querySelectorAll(".network-graph[data-src]"), start);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
