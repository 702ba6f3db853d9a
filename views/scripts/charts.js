/*
 * Time-series charts (views/components/time-chart.tsx) drawn with uPlot, served from the binary.
 * A chart element names its data endpoint (data-series, /api/series) and says what to draw
 * (data-metrics, data-bounds, data-range); this script fetches the downsampled data, draws it in
 * the browser's local time, lets the range picker change the span (and the URL's ?range=), and
 * on each SSE update of the page asks only for what it lacks (from its last bucket on) and
 * appends it. The element is hx-preserve'd, so htmx's live swaps never replace the canvas.
 * The uPlot instance is on the element as `el._uplot` (tests and benchmarks read it).
 */
(function () {
  "use strict";
  if (window.iotCharts) return; // loaded once, whatever htmx does with <script> tags
  var RANGES = { "1h": 3600e3, "6h": 6 * 3600e3, "24h": 864e5, "7d": 7 * 864e5, "30d": 30 * 864e5 };
  var charts = new Set();

  function token(el, name, fallback) {
    return getComputedStyle(el).getPropertyValue(name).trim() || fallback;
  }
  function palette(el) {
    return {
      temperature: token(el, "--warn", "#d97706"),
      humidity: token(el, "--info", "#2563eb"),
      bound: token(el, "--bad", "#dc2626"),
      text: token(el, "--muted", "#6b7280"),
      grid: token(el, "--border", "#8884"),
    };
  }
  /** A colour with alpha (for bands), from a hex or rgb() token; leaves others as they are. */
  function faint(color, alpha) {
    var m = /^#([0-9a-f]{6})$/i.exec(color);
    if (m) {
      var n = parseInt(m[1], 16);
      return "rgba(" + (n >> 16) + "," + ((n >> 8) & 255) + "," + (n & 255) + "," + alpha + ")";
    }
    m = /^#([0-9a-f]{3})$/i.exec(color);
    if (m) return faint("#" + m[1].replace(/./g, "$&$&"), alpha);
    m = /^rgb\((\d+)[ ,]+(\d+)[ ,]+(\d+)\)$/.exec(color);
    if (m) return "rgba(" + m[1] + "," + m[2] + "," + m[3] + "," + alpha + ")";
    return color;
  }
  function round(v) {
    return v === null || v === undefined ? "—" : String(Math.round(v * 10) / 10);
  }
  function fmt(v, unit) {
    return round(v) + " " + unit;
  }

  function init(root) {
    var found = [];
    if (root.matches && root.matches(".time-chart")) found.push(root);
    if (root.querySelectorAll) found.push.apply(found, root.querySelectorAll(".time-chart"));
    for (var i = 0; i < found.length; i++) if (!found[i]._chart) setup(found[i]);
    // charts a navigation took away: let go of their canvas and observers
    charts.forEach(function (c) {
      if (!c.el.isConnected) destroy(c);
    });
  }

  function setup(el) {
    var c = {
      el: el,
      src: el.dataset.series,
      range: RANGES[el.dataset.range] ? el.dataset.range : "24h",
      metrics: JSON.parse(el.dataset.metrics || "[]"),
      bounds: JSON.parse(el.dataset.bounds || "[]"),
      height: Number(el.dataset.height) || 220,
      compact: el.hasAttribute("data-compact"),
      plot: el.querySelector(".chart-plot"),
      readout: el.querySelector(".chart-readout"),
      colors: palette(el),
      t: [],
      cols: {},
      bucketMs: 0,
      until: 0,
      busy: false,
      again: false,
      u: null,
    };
    el._chart = c;
    c.stamp = stampOf(c);
    charts.add(c);
    el.querySelectorAll("[data-range-pick]").forEach(function (a) {
      a.addEventListener("click", function (e) {
        e.preventDefault();
        pick(c, a.getAttribute("data-range-pick"));
      });
    });
    c.resize = new ResizeObserver(function () {
      if (c.u && c.plot.clientWidth > 0)
        c.u.setSize({ width: c.plot.clientWidth, height: c.height });
    });
    c.resize.observe(c.plot);
    load(c);
  }

  function destroy(c) {
    charts.delete(c);
    c.resize.disconnect();
    if (c.u) c.u.destroy();
    c.el._chart = c.el._uplot = undefined;
  }

  function pick(c, range) {
    if (!RANGES[range]) return;
    c.range = range;
    c.el.querySelectorAll("[data-range-pick]").forEach(function (a) {
      if (a.getAttribute("data-range-pick") === range) a.setAttribute("aria-current", "true");
      else a.removeAttribute("aria-current");
    });
    var url = new URL(location.href);
    url.searchParams.set("range", range);
    history.replaceState(history.state, "", url);
    load(c);
  }

  function url(c, query) {
    return c.src + (c.src.indexOf("?") < 0 ? "?" : "&") + new URLSearchParams(query);
  }

  /** The whole range again (first draw, another range). */
  function load(c) {
    var range = c.range;
    c.busy = true;
    var query = { since: String(Date.now() - RANGES[range]) };
    if (c.el.dataset.buckets) query.buckets = c.el.dataset.buckets;
    fetch(url(c, query), {
      headers: { accept: "application/json" },
    })
      .then(function (res) {
        return res.ok ? res.json() : Promise.reject(new Error("HTTP " + res.status));
      })
      .then(function (s) {
        if (range !== c.range || !c.el._chart) return;
        c.t = [];
        c.cols = {};
        c.bucketMs = s.bucket_ms;
        merge(c, s);
        draw(c);
      })
      .catch(function (e) {
        status(c, "Chart data could not be loaded (" + e.message + ").");
      })
      .finally(function () {
        c.busy = false;
        if (c.again) refresh(c);
      });
  }

  /** What came since the last bucket (which may have grown): on each live update of the page. */
  function refresh(c) {
    if (c.busy || !c.u) {
      c.again = true;
      return;
    }
    c.busy = true;
    c.again = false;
    var range = c.range;
    var from = c.t.length ? c.t[c.t.length - 1] : c.until - RANGES[range];
    fetch(url(c, { since: String(from), bucket_ms: String(c.bucketMs) }), {
      headers: { accept: "application/json" },
    })
      .then(function (res) {
        return res.ok ? res.json() : Promise.reject(new Error("HTTP " + res.status));
      })
      .then(function (s) {
        if (range !== c.range || !c.el._chart) return;
        merge(c, s);
        update(c);
      })
      .catch(function () {
        c.stamp = null; // the next update asks again from the same bucket
      })
      .finally(function () {
        c.busy = false;
        if (c.again) refresh(c);
      });
  }

  var KEYS = ["min", "max", "mean"];
  /** New buckets replace the ones they overlap (the last one grew) and go after the rest. */
  function merge(c, s) {
    var first = s.t.length ? s.t[0] : Infinity;
    var keep = 0;
    while (keep < c.t.length && c.t[keep] < first) keep++;
    c.t = c.t.slice(0, keep).concat(s.t);
    c.metrics.forEach(function (m) {
      var have = c.cols[m.key] || { min: [], max: [], mean: [] };
      KEYS.forEach(function (k) {
        have[k] = have[k].slice(0, keep).concat(s[m.key] ? s[m.key][k] : s.t.map(() => null));
      });
      c.cols[m.key] = have;
    });
    c.until = Math.max(c.until, s.until_ms);
    // older than the range: off the chart, out of memory
    var cut = 0;
    var start = c.until - RANGES[c.range];
    while (cut < c.t.length && c.t[cut] + c.bucketMs <= start) cut++;
    if (cut) {
      c.t = c.t.slice(cut);
      c.metrics.forEach(function (m) {
        KEYS.forEach(function (k) {
          c.cols[m.key][k] = c.cols[m.key][k].slice(cut);
        });
      });
    }
  }

  /**
   * uPlot's columns (seconds on x), with a gap (nulls) where readings stopped for longer than
   * three of their usual intervals, so a silent room is not drawn as a straight line.
   */
  function columns(c) {
    var t = c.t;
    var deltas = [];
    for (var i = 1; i < t.length; i++) deltas.push(t[i] - t[i - 1]);
    deltas.sort(function (a, b) {
      return a - b;
    });
    var usual = deltas.length ? deltas[Math.floor(deltas.length / 2)] : c.bucketMs;
    var gap = 3 * Math.max(usual, c.bucketMs);
    var x = [];
    var ys = [];
    c.metrics.forEach(function (m) {
      KEYS.forEach(function () {
        ys.push([]);
      });
    });
    for (i = 0; i < t.length; i++) {
      if (i > 0 && t[i] - t[i - 1] > gap) {
        x.push((t[i - 1] + c.bucketMs) / 1000);
        ys.forEach(function (y) {
          y.push(null);
        });
      }
      x.push(t[i] / 1000);
      var j = 0;
      c.metrics.forEach(function (m) {
        KEYS.forEach(function (k) {
          ys[j++].push(c.cols[m.key][k][i]);
        });
      });
    }
    return [x].concat(ys);
  }

  function boundsOf(c, metric) {
    return c.bounds.filter(function (b) {
      return b.metric === metric;
    });
  }

  function options(c) {
    var series = [{}];
    var bands = [];
    var axes = [
      {
        stroke: function () {
          return c.colors.text;
        },
        grid: { stroke: () => c.colors.grid, width: 1 },
        ticks: { stroke: () => c.colors.grid, width: 1 },
        space: 60,
      },
    ];
    var scales = {
      x: {
        time: true,
        range: function () {
          return [(c.until - RANGES[c.range]) / 1000, c.until / 1000];
        },
      },
    };
    c.metrics.forEach(function (m, mi) {
      var color = function () {
        return c.colors[m.key] || c.colors.text;
      };
      var base = series.length;
      series.push(
        {
          label: m.label + " min",
          scale: m.key,
          stroke: () => faint(color(), 0.35),
          width: 1,
          points: { show: false },
        },
        {
          label: m.label + " max",
          scale: m.key,
          stroke: () => faint(color(), 0.35),
          width: 1,
          points: { show: false },
        },
        { label: m.label, scale: m.key, stroke: color, width: 2, points: { show: false } },
      );
      bands.push({ series: [base + 1, base], fill: () => faint(color(), 0.15) });
      scales[m.key] = {
        range: function (u, min, max) {
          var lo = min;
          var hi = max;
          boundsOf(c, m.key).forEach(function (b) {
            lo = lo === null ? b.value : Math.min(lo, b.value);
            hi = hi === null ? b.value : Math.max(hi, b.value);
          });
          if (lo === null || hi === null) return m.unit === "%" ? [0, 100] : [0, 40];
          var pad = Math.max(1, (hi - lo) * 0.1);
          return [Math.floor(lo - pad), Math.ceil(hi + pad)];
        },
      };
      axes.push({
        scale: m.key,
        side: mi === 0 ? 3 : 1,
        label: c.compact ? undefined : m.label + " (" + m.unit + ")",
        labelSize: c.compact ? 0 : 18,
        stroke: color,
        grid: { show: mi === 0, stroke: () => c.colors.grid, width: 1 },
        ticks: { show: false },
        size: c.compact ? 44 : 56,
        values: function (u, vals) {
          return vals.map(function (v) {
            return fmt(v, m.unit);
          });
        },
      });
    });
    return {
      width: Math.max(200, c.plot.clientWidth),
      height: c.height,
      series: series,
      bands: bands,
      scales: scales,
      axes: axes,
      legend: { show: false },
      cursor: { drag: { x: false, y: false }, points: { show: true } },
      hooks: {
        setCursor: [
          function (u) {
            showReadout(c, u.cursor.idx);
          },
        ],
        drawClear: [
          function () {
            c.drawStart = performance.now();
          },
        ],
        draw: [
          function (u) {
            drawBounds(c, u);
            c.el.dataset.drawMs = (performance.now() - c.drawStart).toFixed(1);
          },
        ],
      },
    };
  }

  /** Each rule bound as a dashed line on its metric's scale, labelled at the left. */
  function drawBounds(c, u) {
    var ctx = u.ctx;
    var dpr = window.devicePixelRatio || 1;
    ctx.save();
    ctx.strokeStyle = c.colors.bound;
    ctx.fillStyle = c.colors.bound;
    ctx.lineWidth = dpr;
    ctx.setLineDash([6 * dpr, 4 * dpr]);
    ctx.font = 11 * dpr + "px system-ui, sans-serif";
    c.bounds.forEach(function (b) {
      if (!u.scales[b.metric]) return;
      var y = Math.round(u.valToPos(b.value, b.metric, true)) + 0.5;
      if (y < u.bbox.top || y > u.bbox.top + u.bbox.height) return;
      ctx.beginPath();
      ctx.moveTo(u.bbox.left, y);
      ctx.lineTo(u.bbox.left + u.bbox.width, y);
      ctx.stroke();
      if (c.compact) return;
      // labelled on the side of its metric's axis
      var right = c.metrics.length > 1 && c.metrics[0].key !== b.metric;
      ctx.textAlign = right ? "right" : "left";
      var x = right ? u.bbox.left + u.bbox.width - 4 * dpr : u.bbox.left + 4 * dpr;
      ctx.fillText(b.label, x, y - 3 * dpr);
    });
    ctx.restore();
  }

  /** The hover read-out: the time and each metric's mean (min–max) there, else the newest. */
  function showReadout(c, idx) {
    if (!c.readout || !c.u) return;
    var data = c.u.data;
    var last = data[0].length - 1;
    var latest = idx === null || idx === undefined;
    var i = latest ? last : idx;
    var empty = function (j) {
      return c.metrics.every(function (m, mi) {
        return data[3 + mi * 3][j] === null;
      });
    };
    while (latest && i > 0 && empty(i)) i--;
    if (i < 0 || data[0][i] === undefined) {
      c.readout.textContent = "No readings in this range";
      return;
    }
    var when = new Date(data[0][i] * 1000).toLocaleString([], {
      month: "short",
      day: "numeric",
      hour: "2-digit",
      minute: "2-digit",
    });
    var parts = [(latest ? "Latest " : "") + when];
    c.metrics.forEach(function (m, mi) {
      var b = 1 + mi * 3;
      var mean = data[b + 2][i];
      if (mean === null || mean === undefined) return;
      var lo = data[b][i];
      var hi = data[b + 1][i];
      parts.push(
        m.label +
          " " +
          fmt(mean, m.unit) +
          (lo !== hi ? " (" + round(lo) + "–" + fmt(hi, m.unit) + ")" : ""),
      );
    });
    c.readout.textContent = parts.join(" · ");
  }

  function status(c, text) {
    var p = c.el.querySelector(".chart-status");
    if (p) p.textContent = text;
  }

  function draw(c) {
    var data = columns(c);
    status(c, c.t.length ? "" : "No readings in this range yet.");
    if (c.u) {
      c.u.setData(data);
    } else {
      c.u = new uPlot(options(c), data, c.plot);
      c.el._uplot = c.u;
    }
    c.el.dataset.points = String(c.t.length);
    showReadout(c, null);
  }

  function update(c) {
    draw(c);
  }

  /** The data's stamp as the page now renders it (views/components/time-chart.tsx), if any. */
  function stampOf(c) {
    var s = document.querySelector('.chart-stamp[data-for="' + CSS.escape(c.el.id) + '"]');
    return s ? s.getAttribute("data-stamp") : null;
  }

  // a live update of the page (htmx's SSE extension): each chart whose data changed asks for
  // what it lacks
  document.addEventListener("htmx:sseMessage", function () {
    charts.forEach(function (c) {
      if (!c.el.isConnected) return destroy(c);
      var stamp = stampOf(c);
      if (stamp !== null && stamp === c.stamp) return;
      if (c.el.dataset.live !== "off" && !document.hidden) {
        c.stamp = stamp;
        refresh(c);
      }
    });
  });
  document.addEventListener("visibilitychange", function () {
    if (!document.hidden) charts.forEach(refresh);
  });
  // light/dark: the tokens change, the canvas is drawn again with them
  function repaint() {
    charts.forEach(function (c) {
      c.colors = palette(c.el);
      if (c.u) c.u.redraw(false);
    });
  }
  new MutationObserver(repaint).observe(document.documentElement, {
    attributes: true,
    attributeFilter: ["data-theme", "class"],
  });
  matchMedia("(prefers-color-scheme: dark)").addEventListener("change", repaint);

  document.addEventListener("htmx:load", function (e) {
    init(e.target);
  });
  window.iotCharts = { charts: charts, init: init };
  if (document.readyState !== "loading") init(document.body);
  else document.addEventListener("DOMContentLoaded", () => init(document.body));
})();
