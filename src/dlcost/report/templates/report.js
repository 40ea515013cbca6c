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

  // Below this width (a phone) a chart gets a compact layout: the legend moves under the plot
  // in small type, the margins shrink and every axis makes room for its own title, so that
  // nothing is cut and the page never scrolls sideways.
  var COMPACT_WIDTH = 640;

  function axisKeys(layout) {
    return Object.keys(layout).filter(function (k) { return /^[xy]axis\d*$/.test(k); });
  }

  // Long legend entries, axis titles and category labels break into lines of this many
  // characters on a phone instead of running out of the chart.
  var WRAP_CHARS = 34;
  var TITLE_CHARS = 24;
  var TICK_CHARS = 20;

  function wrap(text, width) {
    var limit = width || WRAP_CHARS;
    if (typeof text !== "string" || text.replace(/<[^>]*>/g, "").length <= limit) {
      return text;
    }
    if (/<br\s*\/?>/i.test(text)) {
      return text.split(/<br\s*\/?>/i).map(function (part) {
        return wrap(part, limit);
      }).join("<br>");
    }
    var lines = [];
    var line = "";
    text.split(" ").forEach(function (word) {
      if (line && (line + " " + word).replace(/<[^>]*>/g, "").length > limit) {
        lines.push(line);
        line = word;
      } else {
        line = line ? line + " " + word : word;
      }
    });
    lines.push(line);
    return lines.join("<br>");
  }

  function compactData(data) {
    return (data || []).map(function (trace) {
      var out = Object.assign({}, trace);
      if (typeof out.name === "string") {
        out.name = wrap(out.name, WRAP_CHARS);
      }
      ["x", "y"].forEach(function (key) {  // category labels (strings) wrap alike everywhere
        if (Array.isArray(out[key]) && out[key].length && typeof out[key][0] === "string" &&
            isNaN(Date.parse(out[key][0]))) {
          out[key] = out[key].map(function (t) { return wrap(t, TICK_CHARS); });
        }
      });
      return out;
    });
  }

  function compactLayout(layout) {
    var out = JSON.parse(JSON.stringify(layout || {}));
    var margin = out.margin || {};
    out.margin = { l: Math.min(margin.l || 56, 56), r: 12, t: Math.min(margin.t || 40, 40),
                   b: Math.max(margin.b || 56, 56) };
    // The legend goes above the plot, where no axis title competes for the room.
    out.legend = Object.assign({}, out.legend || {}, {
      orientation: "h", x: 0, xanchor: "left", y: 1.02, yanchor: "bottom",
      font: { size: 10 }
    });
    var traces = out.showlegend === false ? 0 : 1;
    out.margin.b = Math.min(margin.b || 56, 72);
    out.height = Math.max(out.height || 420, 420) + (traces ? 110 : 0);
    axisKeys(out).forEach(function (k) {
      out[k] = Object.assign({}, out[k], { automargin: true });
      var title = out[k].title;
      if (title && typeof title === "object") {
        out[k].title = Object.assign({}, title, { text: wrap(title.text, TITLE_CHARS),
          font: Object.assign({}, title.font || {}, { size: 11 }) });
      }
      if (Array.isArray(out[k].ticktext)) {
        out[k].ticktext = out[k].ticktext.map(function (t) { return wrap(t, TICK_CHARS); });
      }
    });
    out.font = Object.assign({}, out.font || {}, { size: 11 });
    return out;
  }

  function draw(source) {
    var target = document.getElementById(source.getAttribute("data-target"));
    if (!target) {
      return;
    }
    var spec = JSON.parse(source.textContent);
    var panel = target.parentNode.querySelector(".point-detail");
    var compact = target.clientWidth < COMPACT_WIDTH;
    var layout = compact ? compactLayout(spec.layout) : spec.layout;
    var data = compact ? compactData(spec.data) : spec.data;
    if (compact) {
      target.style.height = layout.height + "px";
    }
    Plotly.newPlot(target, data, layout, CONFIG).then(function (gd) {
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
