// The studio's page: a tab per post, each calling its post's endpoints (/api/<tab>/...).
// Plain JavaScript, no build step, nothing from elsewhere. Every parameter is also checked
// on the server; the page shows the server's one-line answer when it refuses one.
"use strict";

// ---- small helpers ------------------------------------------------------------------------
function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k.startsWith("on")) el.addEventListener(k.slice(2), v);
    else if (k === "class") el.className = v;
    else if (k === "text") el.textContent = v;
    else el.setAttribute(k, v === true ? "" : v);
  }
  for (const c of children.flat()) if (c !== null && c !== undefined) el.append(c instanceof Node ? c : String(c));
  return el;
}
const SVG = "http://www.w3.org/2000/svg";
function s(tag, attrs, text) {
  const el = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs || {})) el.setAttribute(k, v);
  if (text !== undefined) el.textContent = text;
  return el;
}
async function failure(res) {
  let msg = `${res.status} ${res.statusText}`;
  try { const j = await res.json(); if (j.error) msg = j.error; } catch (e) { /* not JSON */ }
  const err = new Error(msg); err.status = res.status; return err;
}
async function post(url, body) {
  const res = await fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
  if (!res.ok) throw await failure(res);
  return res;
}
async function getJSON(url) {
  const res = await fetch(url);
  if (!res.ok) { const e = await failure(res); e.body = null; throw e; }
  return res.json();
}
async function postImage(url, body, img) {
  const blob = await (await post(url, body)).blob();
  const old = img.src;
  img.src = URL.createObjectURL(blob);
  if (old && old.startsWith("blob:")) URL.revokeObjectURL(old);
}
function num(input) { return input.value.trim() === "" ? null : Number(input.value); }
function fmt(x, digits = 3) {
  if (!isFinite(x)) return String(x);
  const a = Math.abs(x);
  if (a !== 0 && (a >= 1e5 || a < 1e-3)) return x.toExponential(2);
  return x.toFixed(digits).replace(/\.?0+$/, "") || "0";
}
function debounce(fn, ms) { let t; return (...a) => { clearTimeout(t); t = setTimeout(() => fn(...a), ms); }; }
// Run ``fn`` now, or once the request in flight is done (only the latest wish is kept).
function latestWins(fn) {
  let busy = false, again = false;
  const run = async () => {
    if (busy) { again = true; return; }
    busy = true;
    try { await fn(); } finally { busy = false; if (again) { again = false; run(); } }
  };
  return run;
}
function randomSeed() { return Math.floor(Math.random() * 100000); }
function showError(box, err) { box.textContent = err ? (err.message || String(err)) : ""; }

// ---- the tabs -----------------------------------------------------------------------------
const BUILDERS = {};
const state = { tabs: [], panels: {}, loaded: {} };

async function start() {
  const data = await getJSON("/api/tabs");
  state.root = data.root;
  state.tabs = data.tabs.concat([{ key: "runs", title: "Runs", about: `Every run under ${data.root}, and the posts' full runs kept with the suite, with their reports.` }]);
  const nav = document.getElementById("tabs"), main = document.getElementById("panels");
  main.textContent = "";
  for (const tab of state.tabs) {
    const dot = tab.key === "runs" ? null : h("span", { class: "dot" + (tab.default ? "" : " none"),
      title: tab.default ? "has a complete run" : "no complete run yet" });
    nav.append(h("button", { role: "tab", id: `tab-${tab.key}`, "data-tab": tab.key, "aria-selected": "false",
      onclick: () => choose(tab.key) }, tab.title, dot));
    const panel = h("section", { class: "panel", id: `panel-${tab.key}`, role: "tabpanel", hidden: true });
    state.panels[tab.key] = panel;
    main.append(panel);
  }
  const wanted = location.hash.slice(1);
  choose(state.tabs.some(t => t.key === wanted) ? wanted : state.tabs[0].key);
}

function choose(key) {
  for (const b of document.querySelectorAll("nav button")) b.setAttribute("aria-selected", String(b.dataset.tab === key));
  for (const [k, p] of Object.entries(state.panels)) p.hidden = k !== key;
  if (location.hash.slice(1) !== key) history.replaceState(null, "", `#${key}`);
  if (!state.loaded[key]) { state.loaded[key] = true; open(key, null); }
}
window.addEventListener("hashchange", () => { const k = location.hash.slice(1); if (state.panels[k]) choose(k); });

async function open(key, runName) {
  const tab = state.tabs.find(t => t.key === key), panel = state.panels[key];
  panel.textContent = "";
  panel.append(h("h2", { text: tab.title }), h("p", { class: "about", text: tab.about }));
  const body = h("div", { class: "body" }, h("p", { class: "status", text: "Loading…" }));
  panel.append(body);
  if (key === "runs") return buildRuns(body);
  if (tab.broken) { body.textContent = ""; body.append(h("p", { class: "error", text: tab.broken })); return; }
  let info;
  try {
    info = await getJSON(`/api/${key}/info` + (runName ? `?run=${encodeURIComponent(runName)}` : ""));
  } catch (err) {
    body.textContent = "";
    if (err.status === 404 && !runName) {
      body.append(h("div", { class: "missing" },
        h("p", { text: `No complete ${tab.post} run under ${state.root} yet: make one with` }),
        h("p", {}, h("code", { class: "cmd", text: `${tab.make} --out ${state.root}` })),
        h("p", { class: "status", text: "then reload this page." })));
    } else body.append(h("p", { class: "error", text: err.message }));
    return;
  }
  body.textContent = "";
  const select = h("select", { "aria-label": "run", onchange: () => open(key, select.value) },
    info.runs.map(r => h("option", { value: r.name, selected: r.name === info.run },
      `${r.experiment} · ${r.kept ? "the post's full run, kept with the suite" : r.folder} · ${r.profile}`)));
  const kept = info.runs.find(r => r.name === info.run && r.kept);
  body.append(h("div", { class: "runbar" }, h("span", { text: "Run:" }), select,
    h("span", { class: `badge ${info.profile}`, text: `profile ${info.profile}` }),
    kept ? h("span", { class: "status", text: `the post's own network: its full run, kept in ${kept.post}/docs/full/` }) : null,
    info.profile === "tiny" ? h("span", { class: "status", text: "a tiny run: it plays, but it has learnt next to nothing" }) : null));
  const content = h("div", {});
  body.append(content);
  BUILDERS[key](content, info);
}

// ---- 2 + 2 --------------------------------------------------------------------------------
BUILDERS.addition = (root, info) => {
  const a = h("input", { type: "number", value: 2, step: "any", id: "add-a", "aria-label": "first number" });
  const b = h("input", { type: "number", value: 2, step: "any", id: "add-b", "aria-label": "second number" });
  const label = n => `${n.nodes} hidden node${n.nodes > 1 ? "s" : ""}, max sum ${n.max_sum}`;
  const pick = h("select", { id: "add-net" }, info.networks.map((n, i) => h("option", { value: i }, label(n))));
  const go = h("button", { class: "go", id: "add-ask", text: "Ask" });
  const err = h("p", { class: "error" });
  const sum = h("div", { class: "sum", id: "add-sum" });
  const table = h("table", { class: "answers", id: "add-answers" });
  const diagram = h("div", { id: "add-diagram" });
  root.append(h("div", { class: "controls" },
    h("label", {}, "a", a), h("span", { class: "sum", text: "+" }), h("label", {}, "b", b),
    h("label", {}, "network drawn", pick), go), err,
    h("div", { class: "row" }, h("div", { class: "answers-col" }, sum, table),
      h("div", { class: "col" }, diagram,
        h("p", { class: "legend", text: "Edges: blue positive, red negative, thicker = larger weight. " +
          "Hidden nodes show their sigmoid output; the output node is the sum of hidden × weight." }))));
  let last = null;
  const draw = () => { if (last) drawNetwork(diagram, last, info.networks[pick.value]); };
  const ask = latestWins(async () => {
    showError(err);
    try {
      last = await (await post("/api/addition/ask", { run: info.run, a: num(a), b: num(b) })).json();
    } catch (e) { showError(err, e); return; }
    sum.textContent = `${fmt(last.a)} + ${fmt(last.b)} = ${fmt(last.sum)}`;
    table.textContent = "";
    table.append(h("thead", {}, h("tr", {}, ["hidden nodes", "max sum", "prediction", "rounded", "", "in training range"].map(t => h("th", { text: t })))));
    const tbody = h("tbody", {});
    last.answers.forEach((ans, i) => {
      const chosen = info.networks[pick.value];
      tbody.append(h("tr", { class: chosen && chosen.nodes === ans.nodes && chosen.max_sum === ans.max_sum ? "chosen" : "",
        onclick: () => { pick.value = i; ask(); } },
        h("td", { text: ans.nodes }), h("td", { text: ans.max_sum }), h("td", { text: fmt(ans.prediction, 2) }),
        h("td", { text: fmt(ans.rounded) }),
        h("td", { class: ans.right ? "right" : "wrong", text: ans.right ? "✓ right" : "✗ wrong" }),
        h("td", { text: ans.inside_range ? "yes" : "no" })));
    });
    table.append(tbody);
    draw();
  });
  const live = debounce(ask, 150);
  a.addEventListener("input", live); b.addEventListener("input", live);
  pick.addEventListener("change", ask); go.addEventListener("click", ask);
  ask();
};

function drawNetwork(box, result, net) {
  const ans = result.answers.find(x => x.nodes === net.nodes && x.max_sum === net.max_sum);
  box.textContent = "";
  if (!ans) return;
  const n = ans.w_out.length, W = 680, rowH = n > 8 ? 34 : 64, H = Math.max(220, n * rowH + 60);
  const svg = s("svg", { class: "net", viewBox: `0 0 ${W} ${H}`, role: "img", "aria-label": "the network" });
  const xi = 70, xh = 340, xo = 600, r = n > 8 ? 13 : 20;
  const yIn = [H / 2 - 55, H / 2 + 55], yH = [...Array(n).keys()].map(j => 40 + (j + 0.5) * (H - 80) / n), yO = H / 2;
  const maxIn = Math.max(1e-9, ...ans.w_in.flat().map(Math.abs)), maxOut = Math.max(1e-9, ...ans.w_out.map(Math.abs));
  const edge = (x1, y1, x2, y2, w, max, lbl, t) => {
    svg.append(s("line", { x1, y1, x2, y2, stroke: w >= 0 ? "#2a5db0" : "#c62828",
      "stroke-width": (0.6 + 5 * Math.abs(w) / max).toFixed(2), "stroke-opacity": 0.75 }));
    if (lbl) svg.append(s("text", { x: x1 + (x2 - x1) * t, y: y1 + (y2 - y1) * t - 3, class: "w", "text-anchor": "middle" }, fmt(w, 2)));
  };
  const labels = n <= 6;
  for (let j = 0; j < n; j++) {
    edge(xi, yIn[0], xh, yH[j], ans.w_in[0][j], maxIn, labels, 0.3);
    edge(xi, yIn[1], xh, yH[j], ans.w_in[1][j], maxIn, labels, 0.7);
    edge(xh, yH[j], xo, yO, ans.w_out[j], maxOut, labels, 0.5);
  }
  const node = (x, y, fill, top, bottom, title) => {
    const g = s("g", {});
    g.append(s("title", {}, title));
    g.append(s("circle", { cx: x, cy: y, r, fill, stroke: "#333", "stroke-width": 1.2 }));
    g.append(s("text", { x, y: y + 4, "text-anchor": "middle", class: "big" }, top));
    if (bottom) g.append(s("text", { x, y: y + r + 14, "text-anchor": "middle" }, bottom));
    svg.append(g);
  };
  node(xi, yIn[0], "#fff", "a", fmt(result.a), `input a = ${result.a}`);
  node(xi, yIn[1], "#fff", "b", fmt(result.b), `input b = ${result.b}`);
  for (let j = 0; j < n; j++) {
    const act = ans.hidden[j], shade = Math.round(255 - 150 * act);
    node(xh, yH[j], `rgb(${shade},${shade},255)`, n > 8 ? "" : `h${j + 1}`, fmt(act, 3),
      `h${j + 1} = sigmoid(a × ${fmt(ans.w_in[0][j], 4)} + b × ${fmt(ans.w_in[1][j], 4)}) = ${fmt(act, 4)}; output weight ${fmt(ans.w_out[j], 4)}`);
  }
  node(xo, yO, ans.right ? "#d7f0d9" : "#f8d7d7", "Σ", `${fmt(ans.prediction, 2)} → ${fmt(ans.rounded)}`,
    `output = Σ hidden × weight = ${ans.prediction}`);
  svg.append(s("text", { x: xi, y: 22, "text-anchor": "middle" }, "inputs"),
    s("text", { x: xh, y: 22, "text-anchor": "middle" }, `${n} hidden (sigmoid)`),
    s("text", { x: xo, y: 22, "text-anchor": "middle" }, "output (linear)"));
  box.append(svg);
}

// ---- Not human ----------------------------------------------------------------------------
BUILDERS.mnist = (root, info) => {
  const canvas = h("canvas", { class: "draw", width: 280, height: 280, id: "mnist-canvas", "aria-label": "draw a digit here" });
  const ctx = canvas.getContext("2d");
  let cleared = 0;  // how many times Clear was pressed
  const clear = () => { ctx.fillStyle = "#000"; ctx.fillRect(0, 0, 280, 280); };
  clear();
  const small = document.createElement("canvas"); small.width = small.height = 28;
  const sctx = small.getContext("2d", { willReadFrequently: true });
  const seen = h("canvas", { class: "seen", width: 28, height: 28, title: "what the networks were shown" });
  const centre = h("input", { type: "checkbox", id: "mnist-centre", checked: true });
  const brush = h("input", { type: "range", min: 8, max: 36, value: 20, "aria-label": "brush" });
  const err = h("p", { class: "error" });
  const bars = h("div", { class: "bars", id: "mnist-bars" }, h("p", { class: "status", text: "Draw a digit in the black square." }));
  const acc = info.accuracy || {};
  root.append(h("div", { class: "row" },
    h("div", {},
      canvas,
      h("div", { class: "controls", style: "margin-top:8px" },
        h("button", { class: "plain", text: "Clear", onclick: () => { cleared += 1; clear(); bars.textContent = ""; seenCtx.clearRect(0, 0, 28, 28); } }),
        h("label", { class: "inline" }, centre, "centre and scale as MNIST does"),
        h("label", { class: "inline" }, "brush", brush)),
      h("div", { class: "controls" }, h("span", { class: "status", text: "shown to the networks:" }), seen)),
    h("div", { class: "col" }, err, bars)));
  const seenCtx = seen.getContext("2d");
  const pixels = () => {
    sctx.imageSmoothingEnabled = true; sctx.imageSmoothingQuality = "high";
    sctx.fillStyle = "#000"; sctx.fillRect(0, 0, 28, 28);
    sctx.drawImage(canvas, 0, 0, 28, 28);
    const d = sctx.getImageData(0, 0, 28, 28).data, out = new Array(784);
    for (let i = 0; i < 784; i++) out[i] = Math.round(d[4 * i] / 255 * 1000) / 1000;
    return out;
  };
  const showSeen = values => {
    const img = seenCtx.createImageData(28, 28);
    values.forEach((v, i) => { const g = Math.round(255 * v); img.data.set([g, g, g, 255], 4 * i); });
    seenCtx.putImageData(img, 0, 0);
  };
  const classify = latestWins(async () => {
    showError(err);
    const asked = cleared;  // an answer that comes back after Clear is not shown
    let res;
    try { res = await (await post("/api/mnist/classify", { run: info.run, pixels: pixels(), centre: centre.checked })).json(); }
    catch (e) { showError(err, e); return; }
    if (asked !== cleared) return;
    showSeen(res.seen);
    bars.textContent = "";
    for (const [name, out] of Object.entries(res.outputs)) {
      const top = out.indexOf(Math.max(...out));
      bars.append(h("div", { class: "net" },
        h("h4", {}, `${name} says ${top}`, acc[name] !== undefined ? h("span", { class: "status", text: ` (test accuracy ${(100 * acc[name]).toFixed(1)} %)` }) : null),
        out.map((v, d) => h("div", { class: "bar" + (d === top ? " top" : "") },
          h("span", { text: d }), h("div", { class: "track" }, h("div", { class: "fill", style: `width:${(100 * v).toFixed(1)}%` })),
          h("span", { text: `${(100 * v).toFixed(1)} %` })))));
    }
  });
  let drawing = false, lastPt = null, timer = null;
  const at = e => { const r = canvas.getBoundingClientRect(); return [(e.clientX - r.left) * 280 / r.width, (e.clientY - r.top) * 280 / r.height]; };
  const stroke = p => {
    ctx.strokeStyle = "#fff"; ctx.fillStyle = "#fff"; ctx.lineWidth = Number(brush.value); ctx.lineCap = ctx.lineJoin = "round";
    ctx.beginPath();
    if (lastPt) { ctx.moveTo(...lastPt); ctx.lineTo(...p); ctx.stroke(); }
    else { ctx.arc(p[0], p[1], ctx.lineWidth / 2, 0, 2 * Math.PI); ctx.fill(); }
    lastPt = p;
  };
  canvas.addEventListener("pointerdown", e => {
    e.preventDefault(); drawing = true; lastPt = null;
    try { canvas.setPointerCapture(e.pointerId); } catch (err) { /* a pointer the browser no longer tracks */ }
    stroke(at(e));
    timer = setInterval(classify, 250);
  });
  canvas.addEventListener("pointermove", e => { if (drawing) { e.preventDefault(); stroke(at(e)); } });
  const end = () => { if (!drawing) return; drawing = false; lastPt = null; clearInterval(timer); classify(); };
  canvas.addEventListener("pointerup", end); canvas.addEventListener("pointercancel", end);
  centre.addEventListener("change", classify);
  // the post's other figures: the GA's fooling images and the eigen-digits, from their own runs
  const figs = h("div", { class: "figs" });
  for (const f of info.figures || []) {
    const group = h("div", { class: "group" }, h("h3", { text: f.title }));
    if (!f.run) group.append(h("p", { class: "status" }, "No complete run yet: ", h("code", { class: "cmd", text: `${f.make} --out ${state.root}` })));
    else {
      group.append(h("p", { class: "status", text: `from ${f.run}` }));
      for (const url of f.figures) group.append(h("img", { src: url, alt: f.title, loading: "lazy" }));
    }
    figs.append(group);
  }
  root.append(figs);
};

// ---- Joyce ---------------------------------------------------------------------------------
BUILDERS.joyce = (root, info) => {
  const epoch = h("select", { id: "joyce-epoch" }, info.epochs.map(e => h("option", { value: e, selected: e === info.epochs[info.epochs.length - 1] }, `epoch ${e}`)));
  const seedText = h("textarea", { rows: 2, id: "joyce-seed", maxlength: 500 });
  seedText.value = "Stately, plump Buck Mulligan came from the stairhead";
  const diversity = h("input", { type: "range", min: 0.05, max: 2, step: 0.05, value: 0.5, id: "joyce-diversity" });
  const dOut = h("output", { text: "0.5" });
  diversity.addEventListener("input", () => { dOut.textContent = diversity.value; });
  const length = h("input", { type: "number", min: 1, max: info.max_length, value: 400, id: "joyce-length" });
  const rseed = h("input", { type: "number", min: 0, value: 0, id: "joyce-random-seed" });
  const go = h("button", { class: "go", id: "joyce-go", text: "Write like Joyce" });
  const stop = h("button", { class: "plain", text: "Stop", disabled: true });
  const err = h("p", { class: "error" });
  const out = h("pre", { class: "sample", id: "joyce-out" });
  const status = h("p", { class: "status" });
  root.append(h("label", { class: "status", text: "Seed text" }), seedText,
    h("div", { class: "controls", style: "margin-top:8px" },
      h("label", {}, "checkpoint", epoch), h("label", {}, h("span", {}, "diversity ", dOut), diversity),
      h("label", {}, "characters", length), h("label", {}, "random seed", rseed), go, stop),
    err, out, status);
  let controller = null;
  go.addEventListener("click", async () => {
    showError(err); out.textContent = ""; status.textContent = "";
    controller = new AbortController(); go.disabled = true; stop.disabled = false;
    const t0 = performance.now();
    let n = 0;
    try {
      const res = await fetch("/api/joyce/sample", { method: "POST", signal: controller.signal, headers: { "content-type": "application/json" },
        body: JSON.stringify({ run: info.run, epoch: Number(epoch.value), seed_text: seedText.value, diversity: num(diversity),
          length: num(length), random_seed: num(rseed) }) });
      if (!res.ok) throw await failure(res);
      out.append(h("span", { class: "seed", text: seedText.value }));
      const gen = h("span", { class: "generated" }); out.append(gen); out.classList.add("running");
      const reader = res.body.getReader(), decoder = new TextDecoder();
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        const chunk = decoder.decode(value, { stream: true });
        n += chunk.length; gen.textContent += chunk;
        status.textContent = `${n} characters, ${((performance.now() - t0) / 1000).toFixed(1)} s`;
      }
      gen.textContent += decoder.decode();
      status.textContent = `${n} characters in ${((performance.now() - t0) / 1000).toFixed(2)} s (epoch ${epoch.value}, diversity ${diversity.value})`;
    } catch (e) { if (e.name !== "AbortError") showError(err, e); else status.textContent += " (stopped)"; }
    finally { out.classList.remove("running"); go.disabled = false; stop.disabled = true; }
  });
  stop.addEventListener("click", () => controller && controller.abort());
};

// ---- Avatars ------------------------------------------------------------------------------
const LEARNT_FROM = {  // what the run's generator learnt from (its config.json's data_source)
  standin: "This generator learnt from the suite's procedurally drawn stand-in avatars, not the Cartoon Set (which is not bundled): its faces are theirs.",
  cartoonset: "This generator learnt from the Cartoon Set.",
  folder: "This generator learnt from the images of a folder given with --data.",
  ellipses: "This generator learnt from ellipses (the post's first sections), not avatars.",
};
BUILDERS.avatars = (root, info) => {
  const rseed = h("input", { type: "number", min: 0, value: 1, id: "avatars-seed" });
  const err = h("p", { class: "error" });
  const grid = h("img", { class: "pixel grid", id: "avatars-grid", alt: "16 avatars" });
  const pickers = {};
  const pickRow = h("div", { class: "controls" });
  if (info.conditional) {
    for (const [name, count] of Object.entries(info.attributes)) {
      pickers[name] = h("select", { "data-attribute": name },
        h("option", { value: "" }, "any"), [...Array(count).keys()].map(v => h("option", { value: v }, String(v))));
      pickRow.append(h("label", {}, name.replace(/_/g, " "), pickers[name]));
    }
  }
  const attributes = () => Object.fromEntries(Object.entries(pickers).map(([k, sel]) => [k, sel.value === "" ? null : Number(sel.value)]));
  const drawGrid = latestWins(async () => {
    showError(err);
    try { await postImage("/api/avatars/grid", { run: info.run, random_seed: num(rseed), attributes: attributes() }, grid); }
    catch (e) { showError(err, e); }
  });
  const seedA = h("input", { type: "number", min: 0, value: 1, id: "avatars-a" });
  const seedB = h("input", { type: "number", min: 0, value: 2, id: "avatars-b" });
  const t = h("input", { type: "range", min: 0, max: 1, step: 0.02, value: 0, id: "avatars-t", "aria-label": "walk" });
  const tOut = h("output", { text: "0.00" });
  const spherical = h("input", { type: "checkbox" });
  const imgA = h("img", { class: "pixel end", alt: "seed A" }), imgB = h("img", { class: "pixel end", alt: "seed B" });
  const mid = h("img", { class: "pixel mid", id: "avatars-walk", alt: "on the way" });
  const walkBody = (x, a, b) => ({ run: info.run, seed_a: num(a), seed_b: num(b), t: x, spherical: spherical.checked, attributes: attributes() });
  const walkNow = latestWins(async () => {
    showError(err);
    tOut.textContent = Number(t.value).toFixed(2);
    try { await postImage("/api/avatars/walk", walkBody(Number(t.value), seedA, seedB), mid); } catch (e) { showError(err, e); }
  });
  const ends = async () => {
    try {
      await postImage("/api/avatars/walk", walkBody(0, seedA, seedB), imgA);
      await postImage("/api/avatars/walk", walkBody(1, seedA, seedB), imgB);
    } catch (e) { showError(err, e); }
    walkNow();
  };
  root.append(
    h("div", { class: "controls" }, h("label", {}, "random seed", rseed),
      h("button", { class: "plain", text: "New seed", onclick: () => { rseed.value = randomSeed(); drawGrid(); } }),
      h("button", { class: "go", id: "avatars-draw", text: "Draw 16", onclick: drawGrid })),
    info.conditional ? h("p", { class: "status", text: "Facial features (the run was trained conditioned on them):" })
      : h("p", { class: "status", text: "This run's generator takes no attributes; one trained with --condition (e.g. python -m dcgan cartoon --condition hair_color eye_color) gives a picker per feature here." }),
    pickRow, err,
    h("p", { class: "status", id: "avatars-source", text: LEARNT_FROM[info.source] || "" }),
    h("div", { class: "row" },
      h("div", { class: "col" }, grid),
      h("div", { class: "col" }, h("h3", { text: "A walk between two avatars" }),
        h("div", { class: "controls" }, h("label", {}, "seed A", seedA), h("label", {}, "seed B", seedB),
          h("label", { class: "inline" }, spherical, "along the sphere")),
        h("div", { class: "walk" }, h("figure", {}, imgA, h("figcaption", { text: "A (t = 0)" })),
          h("figure", {}, mid, h("figcaption", { text: "on the way" })), h("figure", {}, imgB, h("figcaption", { text: "B (t = 1)" }))),
        h("div", { class: "slider" }, "A", t, "B", h("span", {}, " t = ", tOut)),
        h("p", { class: "status", text: "Move the slider: the generator draws the point that far on the way from A's latent vector to B's: along the straight line, or along the sphere's great circle when that box is ticked." }))));
  t.addEventListener("input", walkNow);
  for (const el of [seedA, seedB, spherical]) el.addEventListener("change", ends);
  for (const sel of Object.values(pickers)) sel.addEventListener("change", () => { drawGrid(); ends(); });
  rseed.addEventListener("change", drawGrid);
  drawGrid(); ends();
};

// ---- Lyrics (the author's page) -------------------------------------------------------------
BUILDERS.lyrics = (root, info) => {
  const seedText = h("input", { type: "text", value: info.seed_text, id: "lyrics-seed", maxlength: 500, size: 40 });
  const length = h("input", { type: "number", min: 1, max: info.max_length, value: 100, id: "lyrics-length" });
  const randomness = h("input", { type: "range", min: 0, max: info.max_randomness, step: 0.05, value: 0.3, id: "lyrics-randomness" });
  const rOut = h("output", { text: "0.3" });
  randomness.addEventListener("input", () => { rOut.textContent = randomness.value; });
  const rseed = h("input", { type: "number", min: 0, value: 0, id: "lyrics-random-seed" });
  const go = h("button", { class: "go", id: "lyrics-go", text: "Create Lyrics!" });
  // The networks write many line breaks in a row: shown as at most one blank line unless asked.
  const shorten = h("input", { type: "checkbox", id: "lyrics-shorten", checked: true });
  const err = h("p", { class: "error" });
  const out = h("div", { class: "lyrics-out", id: "lyrics-out" });
  const note = h("p", { class: "status" });
  let written = "";
  const show = () => { out.textContent = shorten.checked ? written.replace(/\n{3,}/g, "\n\n") : written; };
  shorten.addEventListener("change", show);
  root.append(h("p", { class: "status", text: `${info.model}` }),
    h("div", { class: "controls" }, h("label", {}, "seed text", seedText), h("label", {}, "length (tokens: words and line breaks)", length),
      h("label", {}, h("span", {}, "randomness ", rOut), randomness), h("label", {}, "random seed", rseed), go,
      h("label", { class: "inline" }, shorten, " shorten runs of blank lines")),
    err, out, note);
  go.addEventListener("click", async () => {
    showError(err); go.disabled = true; note.textContent = "writing…";
    const t0 = performance.now();
    try {
      const res = await (await post("/api/lyrics/create", { run: info.run, seed_text: seedText.value, length: num(length),
        randomness: num(randomness), random_seed: num(rseed) })).json();
      written = res.lyrics;
      show();
      note.textContent = `${((performance.now() - t0) / 1000).toFixed(2)} s` +
        (res.unknown_words.length ? ` · words this run never saw: ${res.unknown_words.join(", ")}` : "");
    } catch (e) { showError(err, e); note.textContent = ""; }
    finally { go.disabled = false; }
  });
};

// ---- Runs ------------------------------------------------------------------------------------
async function buildRuns(body) {
  let data;
  try { data = await getJSON("/api/runs"); } catch (e) { body.textContent = ""; body.append(h("p", { class: "error", text: e.message })); return; }
  body.textContent = "";
  if (!data.runs.length) {
    body.append(h("p", { class: "missing" }, `No runs under ${data.root} yet: `, h("code", { class: "cmd", text: "make demo" }), " makes one of each."));
    return;
  }
  const list = h("div", { class: "runs-list", id: "runs-list" }), view = h("div", { class: "report-view", id: "report-view" });
  body.append(h("div", { class: "row" }, list, view));
  const groups = {};
  for (const r of data.runs) (groups[`${r.post} / ${r.experiment}`] ||= []).push(r);
  const buttons = [];
  const show = async (r, btn) => {
    buttons.forEach(b => b.classList.toggle("chosen", b === btn));
    view.textContent = "Loading…";
    try {
      const rep = await getJSON(`/api/runs/report?run=${encodeURIComponent(r.name)}`);
      view.textContent = "";
      view.append(h("p", { class: "status meta" }, `${rep.name} · profile ${rep.profile} · ${rep.complete ? "complete" : "unfinished"} · `,
        ...["results.json", "config.json"].filter(f => rep.files[f]).map(f => h("a", { href: rep.files[f], target: "_blank", text: f }))));
      const rendered = h("div", { class: "report" });
      rendered.innerHTML = rep.html;  // rendered on the server by shared.reports (raw HTML in a report is escaped)
      view.append(rendered);
      const inReport = new Set([...rendered.querySelectorAll("img")].map(i => i.getAttribute("src")));
      const others = rep.figures.filter(f => !inReport.has(f));
      if (others.length) view.append(h("h3", { text: "Figures" }), h("div", { class: "thumbs" },
        others.map(f => h("a", { href: f, target: "_blank" }, h("img", { src: f, loading: "lazy" })))));
    } catch (e) { view.textContent = ""; view.append(h("p", { class: "error", text: e.message })); }
  };
  for (const [group, rs] of Object.entries(groups).sort()) {
    list.append(h("h3", { text: group }));
    for (const r of rs) {
      const btn = h("button", { class: r.complete ? "" : "incomplete", "data-run": r.name },
        `${r.kept ? "kept with the suite" : r.folder} · ${r.profile}${r.complete ? "" : " · unfinished"}`);
      btn.addEventListener("click", () => show(r, btn));
      buttons.push(btn); list.append(btn);
    }
  }
  show(data.runs.find(r => r.complete) || data.runs[0], buttons.find(b => b.dataset.run === (data.runs.find(r => r.complete) || data.runs[0]).name));
}

start().catch(e => { document.getElementById("panels").textContent = `The studio could not start: ${e.message}`; });
