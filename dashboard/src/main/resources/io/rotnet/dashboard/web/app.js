// rotnet-stream dashboard: draws /api/state and redraws on every "update" of /api/events.
(function () {
  "use strict";

  const charts = {};            // chart id -> uPlot instance
  const chartKeys = {};         // chart id -> series signature, to know when to rebuild
  const view = { state: null, run: null, lowshotK: {}, marks: { checkpoints: [], epochs: [] }, updates: 0, fetching: false, again: false };
  // For scripts and tests: the charts, the last state, how many updates were drawn.
  window.rotnet = {
    charts: charts,
    get state() { return view.state; },
    get updates() { return view.updates; },
    get marks() { return view.marks; }
  };

  // ---------- theme ----------
  const THEMES = ["auto", "light", "dark"];
  function storedTheme() {
    const fromUrl = new URLSearchParams(location.search).get("theme");
    if (THEMES.includes(fromUrl)) return fromUrl;
    try { return THEMES.includes(localStorage.getItem("rotnet-theme")) ? localStorage.getItem("rotnet-theme") : "auto"; }
    catch (e) { return "auto"; }
  }
  function applyTheme(theme) {
    if (theme === "auto") delete document.documentElement.dataset.theme;
    else document.documentElement.dataset.theme = theme;
    document.getElementById("theme").textContent = "theme: " + theme;
  }
  let theme = storedTheme();
  applyTheme(theme);
  document.getElementById("theme").addEventListener("click", function () {
    theme = THEMES[(THEMES.indexOf(theme) + 1) % THEMES.length];
    try { localStorage.setItem("rotnet-theme", theme); } catch (e) { /* private mode */ }
    applyTheme(theme);
    rebuildAll();
  });
  if (window.matchMedia) {
    window.matchMedia("(prefers-color-scheme: dark)").addEventListener("change", rebuildAll);
  }
  function cssVar(name) { return getComputedStyle(document.documentElement).getPropertyValue(name).trim(); }
  function colour(i) { return cssVar("--c" + ((i % 8) + 1)); }

  // ---------- helpers ----------
  function el(tag, attrs, children) {
    const node = document.createElement(tag);
    if (attrs) for (const k in attrs) {
      if (k === "text") node.textContent = attrs[k];
      else if (k === "cls") node.className = attrs[k];
      else node.setAttribute(k, attrs[k]);
    }
    (children || []).forEach(function (c) { if (c != null) node.appendChild(typeof c === "string" ? document.createTextNode(c) : c); });
    return node;
  }
  function fmt(v, digits) { return v == null ? "-" : Number(v).toFixed(digits); }
  function ago(iso) {
    if (!iso) return "";
    const s = Math.max(0, (Date.now() - Date.parse(iso)) / 1000);
    return s < 90 ? Math.round(s) + " s ago" : s < 5400 ? Math.round(s / 60) + " min ago" : Math.round(s / 3600) + " h ago";
  }
  function duration(seconds) {
    if (seconds < 90) return Math.round(seconds) + " s";
    if (seconds < 5400) return Math.round(seconds / 60) + " min";
    return (seconds / 3600).toFixed(1) + " h";
  }
  function padRange(u, min, max) {
    if (min == null || max == null) return [0, 1];
    if (min === max) { const d = Math.abs(min) * 0.05 || 1; return [min - d, max + d]; }
    return [min, max];
  }
  function chartWidth(container) { return Math.max(240, container.clientWidth || 300); }

  // Vertical lines at checkpoints (dashed) and epoch boundaries (faint) on training charts.
  function markersPlugin(getMarks) {
    return { hooks: { draw: [function (u) {
      const marks = getMarks();
      const ctx = u.ctx, top = u.bbox.top, bottom = u.bbox.top + u.bbox.height;
      ctx.save();
      ctx.lineWidth = 1;
      marks.epochs.forEach(function (x) {
        const cx = Math.round(u.valToPos(x, "x", true));
        if (cx < u.bbox.left || cx > u.bbox.left + u.bbox.width) return;
        ctx.strokeStyle = cssVar("--epoch"); ctx.setLineDash([]);
        ctx.beginPath(); ctx.moveTo(cx, top); ctx.lineTo(cx, bottom); ctx.stroke();
      });
      marks.checkpoints.forEach(function (x) {
        const cx = Math.round(u.valToPos(x, "x", true));
        if (cx < u.bbox.left || cx > u.bbox.left + u.bbox.width) return;
        ctx.strokeStyle = cssVar("--marker"); ctx.setLineDash([5, 4]);
        ctx.beginPath(); ctx.moveTo(cx, top); ctx.lineTo(cx, bottom); ctx.stroke();
      });
      ctx.restore();
    }] } };
  }

  function axes(yValues) {
    const axis = { stroke: cssVar("--axis"), grid: { stroke: cssVar("--grid"), width: 1 }, ticks: { stroke: cssVar("--grid"), width: 1 } };
    const y = Object.assign({}, axis, { size: 56 });
    if (yValues) y.values = yValues;
    return [Object.assign({}, axis, { label: "step", labelSize: 20 }), y];
  }

  /** Creates the chart, or only sets its data when its series are unchanged. */
  function draw(id, container, series, data, extra) {
    const key = JSON.stringify(series.map(function (s) { return [s.label, s.stroke, s.dash || null]; })) + (extra && extra.key || "");
    let chart = charts[id];
    if (chart && chartKeys[id] === key && chart.root.parentNode === container) {
      chart.setData(data);
      return chart;
    }
    if (chart) chart.destroy();
    container.textContent = "";
    const opts = {
      width: chartWidth(container),
      height: 220,
      series: [{ label: "step" }].concat(series),
      scales: { x: { time: false, range: padRange }, y: { range: padRange } },
      axes: axes(extra && extra.yValues),
      legend: { live: true },
      cursor: { drag: { x: true, y: false } },
      plugins: extra && extra.plugins || []
    };
    chart = new uPlot(opts, data, container);
    charts[id] = chart;
    chartKeys[id] = key;
    return chart;
  }

  function rebuildAll() {
    Object.keys(charts).forEach(function (id) { charts[id].destroy(); delete charts[id]; delete chartKeys[id]; });
    if (view.state) render(view.state);
  }

  window.addEventListener("resize", function () {
    Object.keys(charts).forEach(function (id) {
      const c = charts[id];
      if (c.root.parentNode) c.setSize({ width: chartWidth(c.root.parentNode), height: 220 });
    });
  });

  // ---------- training ----------
  function renderTraining(runs) {
    const select = document.getElementById("run");
    document.getElementById("training-empty").hidden = runs.length > 0;
    document.getElementById("training-charts").hidden = runs.length === 0;
    const names = runs.map(function (r) { return r.run; });
    if (!names.includes(view.run)) {
      // newest run by its latest record
      let best = null;
      runs.forEach(function (r) { if (!best || (r.latest && (!best.latest || r.latest.recordedAt > best.latest.recordedAt))) best = r; });
      view.run = best ? best.run : null;
    }
    if (select.options.length !== names.length || names.some(function (n, i) { return select.options[i].value !== n; })) {
      select.textContent = "";
      names.forEach(function (n) { select.appendChild(el("option", { value: n, text: n })); });
    }
    select.value = view.run || "";
    const run = runs.find(function (r) { return r.run === view.run; });
    if (!run) return;
    const l = run.latest;
    document.getElementById("run-summary").textContent = l
      ? "step " + l.step + " · epoch " + l.epoch + " · loss " + fmt(l.loss, 4) + " · rotation accuracy " +
        fmt(l.rotationAccuracy == null ? null : 100 * l.rotationAccuracy, 1) + " % · " + fmt(l.imagesPerSecond, 1) +
        " img/s · " + run.checkpoints.length + " checkpoint(s) · " + ago(l.recordedAt)
      : run.checkpoints.length + " checkpoint(s), no metrics yet";
    const s = run.series;
    const epochs = [];
    for (let i = 1; i < s.step.length; i++) if (s.epoch[i] !== s.epoch[i - 1]) epochs.push(s.step[i]);
    // read by the charts' draw hook on every redraw, so markers follow new checkpoints
    view.marks = { checkpoints: run.checkpoints.map(function (c) { return c.step; }), epochs: epochs };
    const plugins = [markersPlugin(function () { return view.marks; })];
    const key = "|" + run.run;
    const percent = function (u, vals) { return vals.map(function (v) { return (100 * v).toFixed(0) + "%"; }); };
    const defs = [
      ["train-loss", "loss", s.loss, 0, null],
      ["train-accuracy", "rotation accuracy", s.rotationAccuracy, 2, percent],
      ["train-lr", "learning rate", s.learningRate, 4, null],
      ["train-rate", "img/s", s.imagesPerSecond, 6, null]
    ];
    defs.forEach(function (d) {
      draw(d[0], document.getElementById(d[0]),
        [{ label: d[1], stroke: colour(d[3]), width: 1.5, points: { show: s.step.length < 40 }, spanGaps: true }],
        [s.step, d[2]], { plugins: plugins, key: key, yValues: d[4] });
    });
  }
  document.getElementById("run").addEventListener("change", function (e) {
    view.run = e.target.value;
    if (view.state) renderTraining(view.state.runs);
  });

  // ---------- benchmarks ----------
  function renderBenchmarks(list) {
    document.getElementById("benchmarks-empty").hidden = list.length > 0;
    const box = document.getElementById("benchmark-cards");
    // one card per benchmark/dataset/metric; low-shot's k values share a card with a picker
    const groups = [];
    const byGroup = {};
    list.forEach(function (c) {
      const g = c.benchmark + "/" + c.dataset + "/" + c.metric;
      if (!byGroup[g]) { byGroup[g] = []; groups.push(g); }
      byGroup[g].push(c);
    });
    const wanted = new Set(groups);
    Array.from(box.children).forEach(function (card) {
      if (!wanted.has(card.dataset.group)) {
        const id = card.dataset.chart;
        if (charts[id]) { charts[id].destroy(); delete charts[id]; delete chartKeys[id]; }
        card.remove();
      }
    });
    groups.forEach(function (g, index) {
      const variants = byGroup[g];
      let card = Array.from(box.children).find(function (c) { return c.dataset.group === g; });
      const first = variants[0];
      if (!card) {
        card = el("figure", { cls: "card" });
        card.dataset.group = g;
        card.dataset.chart = "bench:" + g;
        const title = el("figcaption", { cls: "card-title" }, [
          el("span", { text: first.benchmark }), el("span", { cls: "muted", text: first.dataset + " · " + first.metric })]);
        card.appendChild(title);
        card.appendChild(el("div", { cls: "chart" }));
      }
      if (box.children[index] !== card) box.insertBefore(card, box.children[index] || null);
      const title = card.querySelector("figcaption");
      let picker = title.querySelector("select");
      if (variants.length > 1 || first.variant) {
        if (!picker) {
          picker = el("select", { "aria-label": "low-shot k" });
          picker.addEventListener("change", function () { view.lowshotK[g] = picker.value; renderBenchmarks(view.state.benchmarks); });
          title.appendChild(picker);
        }
        const ks = variants.map(function (v) { return v.variant; });
        if (picker.options.length !== ks.length || ks.some(function (k, i) { return picker.options[i].value !== k; })) {
          picker.textContent = "";
          ks.forEach(function (k) { picker.appendChild(el("option", { value: k, text: k })); });
        }
        if (!ks.includes(view.lowshotK[g])) view.lowshotK[g] = ks[ks.length - 1];
        picker.value = view.lowshotK[g];
      }
      const chart = variants.find(function (v) { return v.variant === (view.lowshotK[g] || null); }) || variants[variants.length - 1];
      drawBenchmark(card.dataset.chart, card.querySelector(".chart"), chart);
    });
  }

  function drawBenchmark(id, container, c) {
    const series = [];
    const data = [c.steps];
    const tapColour = {};
    c.lines.forEach(function (line, i) {
      tapColour[line.tap] = colour(i);
      series.push({ label: line.name, stroke: colour(i), width: 2, points: { show: true, size: 6 }, spanGaps: true });
      data.push(line.values);
    });
    c.references.forEach(function (r) {
      series.push({ label: r.label, stroke: r.tap && tapColour[r.tap] ? tapColour[r.tap] : cssVar("--muted"),
        width: 1.2, dash: [6, 4], points: { show: false } });
      data.push(c.steps.map(function () { return r.value; }));
    });
    draw(id, container, series, data, { key: "|" + c.id });
  }

  // ---------- results table ----------
  function renderTable(t) {
    const table = document.getElementById("results-table");
    const head = table.tHead, body = table.tBodies[0];
    head.textContent = "";
    body.textContent = "";
    document.getElementById("results-dataset").textContent = t.dataset ? "dataset: " + t.dataset : "";
    document.getElementById("results-legend").textContent = t.rows.length ? t.legend : "no results yet";
    if (!t.rows.length) return;
    head.appendChild(el("tr", null, t.header.map(function (h, i) { return el("th", { cls: i > 0 ? "num" : "", text: h }); })));
    t.rows.forEach(function (row) {
      body.appendChild(el("tr", null, row.map(function (cell, i) { return el("td", { cls: i > 0 ? "num" : "", text: cell }); })));
    });
  }

  // ---------- health ----------
  function renderHealth(h) {
    document.getElementById("lag-checked").textContent = h.lagCheckedAt ? "consumer groups read " + ago(h.lagCheckedAt) : "";
    const error = document.getElementById("lag-error");
    error.hidden = !h.lagError;
    error.textContent = h.lagError || "";

    const lag = document.querySelector("#lag-table tbody");
    lag.textContent = "";
    if (!h.consumerLag.length) lag.appendChild(el("tr", null, [el("td", { colspan: "6", cls: "muted", text: "no trainer or evaluator group yet" })]));
    h.consumerLag.forEach(function (g) {
      const perTopic = Object.keys(g.lagByTopic).map(function (t) { return t + ": " + g.lagByTopic[t]; }).join(", ");
      lag.appendChild(el("tr", null, [el("td", { text: g.group }), el("td", { text: g.kind }), el("td", { text: g.state }),
        el("td", { cls: "num", text: String(g.members) }),
        el("td", { cls: "num" + (g.lag > 0 ? " lag-bad" : ""), text: g.lag == null ? "-" : String(g.lag) }),
        el("td", { cls: "wrap", text: perTopic })]));
    });

    const evals = document.querySelector("#evaluations-table tbody");
    evals.textContent = "";
    if (!h.evaluations.length) evals.appendChild(el("tr", null, [el("td", { colspan: "5", cls: "muted", text: "none: every evaluator is up to date" })]));
    h.evaluations.forEach(function (e) {
      evals.appendChild(el("tr", null, [el("td", { text: e.group }), el("td", { text: e.checkpointId }),
        el("td", { text: e.running ? "running" : "waiting (no member)" }), el("td", { cls: "num", text: duration(e.seconds) }),
        el("td", { cls: "num", text: String(e.waiting) })]));
    });

    tallies(document.getElementById("dead-letters"), h.deadLetters, "no dead letters", function (l) {
      return (l.failedAt ? ago(l.failedAt) + " · " : "") + l.service + " · " + l.origin +
        (l.partition != null ? "-" + l.partition + "@" + l.offset : "") + ": " + l.reason;
    });
    tallies(document.getElementById("unreadable"), h.unreadable, "none", function (u) {
      return "partition " + u.partition + " offset " + u.offset + ": " + u.reason;
    });
  }

  function tallies(box, list, none, line) {
    const open = {};
    box.querySelectorAll("details").forEach(function (d) { open[d.dataset.topic] = d.open; });
    box.textContent = "";
    if (!list.length) { box.appendChild(el("p", { cls: "muted", text: none })); return; }
    list.forEach(function (t) {
      const details = el("details", { cls: "letters" });
      details.dataset.topic = t.topic;
      details.open = open[t.topic] !== undefined ? open[t.topic] : true;
      details.appendChild(el("summary", null, [el("span", { cls: "count-bad", text: String(t.count) }), " in " + t.topic]));
      details.appendChild(el("ul", null, t.latest.map(function (entry) { return el("li", { text: line(entry) }); })));
      box.appendChild(details);
    });
  }

  // ---------- live updates ----------
  function render(state) {
    view.state = state;
    const sections = [
      function () { renderTraining(state.runs); },
      function () { renderBenchmarks(state.benchmarks); },
      function () { renderTable(state.table); },
      function () { renderHealth(state.health); }
    ];
    // one section failing to draw must not keep the others from updating
    sections.forEach(function (f) { try { f(); } catch (e) { console.error(e); } });
    document.getElementById("updated").textContent = "version " + state.version + " · " + new Date(state.generatedAt).toLocaleTimeString();
    view.updates++;
  }

  function refresh() {
    if (view.fetching) { view.again = true; return; }
    view.fetching = true;
    fetch("/api/state", { cache: "no-store" })
      .then(function (r) { if (!r.ok) throw new Error("HTTP " + r.status); return r.json(); })
      .then(render)
      .catch(function (e) { console.error("state", e); })
      .finally(function () {
        view.fetching = false;
        if (view.again) { view.again = false; refresh(); }
      });
  }

  const status = document.getElementById("connection");
  function setStatus(s) { status.dataset.status = s; status.textContent = s; }
  // ?live=0 draws the state once and leaves the event stream closed: a still page, which
  // screenshot tools wait for (an open stream never lets a page finish loading)
  if (new URLSearchParams(location.search).get("live") === "0") {
    setStatus("still");
    refresh();
    return;
  }
  const events = new EventSource("/api/events");
  events.addEventListener("open", function () { setStatus("live"); refresh(); });
  events.addEventListener("update", refresh);
  events.addEventListener("error", function () { setStatus("reconnecting"); });
  refresh();
  // relative times ("12 s ago", evaluation durations) age without new records
  setInterval(function () { if (view.state && status.dataset.status === "live") refresh(); }, 10000);
})();
