/* dlcost report: draw every figure from its JSON and show a clicked point's details.
 *
 * Figure data sit in <script type="application/json" class="plot-data"> elements (escaped by
 * the renderer). A trace whose `meta.detail` describes its `customdata` gets a details panel
 * on click: {"title": i, "fields": [[label, textIndex, hrefIndex?], ...]}. Every value is set
 * with textContent, and links only for http(s) URLs.
 */
(function () {
  "use strict";

  var CONFIG = {
    displaylogo: false,
    responsive: true,
    modeBarButtonsToRemove: ["lasso2d", "select2d", "autoScale2d"],
    toImageButtonOptions: { format: "svg", scale: 1 }
  };

  function safeHref(value) {
    return typeof value === "string" && /^https?:\/\/[^\s]+$/i.test(value) ? value : null;
  }

  function textOf(value) {
    return value === null || value === undefined ? "" : String(value);
  }

  function showDetail(panel, trace, point) {
    var spec = trace.meta && trace.meta.detail;
    var row = point.customdata;
    if (!spec || !Array.isArray(row)) {
      return;
    }
    while (panel.firstChild) {
      panel.removeChild(panel.firstChild);
    }
    var head = document.createElement("div");
    head.className = "pd-model";
    head.textContent = textOf(row[spec.title]);
    panel.appendChild(head);
    var list = document.createElement("dl");
    spec.fields.forEach(function (field) {
      var text = textOf(row[field[1]]);
      if (!text) {
        return;
      }
      var dt = document.createElement("dt");
      dt.textContent = field[0];
      var dd = document.createElement("dd");
      var href = field.length > 2 ? safeHref(row[field[2]]) : null;
      if (href) {
        var a = document.createElement("a");
        a.href = href;
        a.rel = "noopener noreferrer";
        a.target = "_blank";
        a.textContent = text;
        dd.appendChild(a);
      } else {
        dd.textContent = text;
      }
      list.appendChild(dt);
      list.appendChild(dd);
    });
    panel.appendChild(list);
    panel.hidden = false;
  }

  function draw(source) {
    var target = document.getElementById(source.getAttribute("data-target"));
    if (!target) {
      return;
    }
    var spec = JSON.parse(source.textContent);
    var panel = target.parentNode.querySelector(".point-detail");
    Plotly.newPlot(target, spec.data, spec.layout, CONFIG).then(function (gd) {
      gd.on("plotly_click", function (event) {
        if (panel && event.points && event.points.length) {
          var pt = event.points[0];
          showDetail(panel, pt.data, pt);
        }
      });
    });
  }

  document.querySelectorAll("script.plot-data").forEach(draw);
})();
