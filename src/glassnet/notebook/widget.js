// The playground's view in a notebook cell (anywidget). The drawing is the
// playground page's own: its ES modules (boundary.js, network.js, curves.js,
// trace.js and what they import) arrive as text from the kernel and are
// imported here, each relative import pointing at the module it names. This
// module only lays the view out, decodes the frames and wires the buttons;
// the kernel trains (see glassnet.notebook).

const imported = new Map(); // the modules' text -> the promise of their exports

function blobUrl(text) {
  return URL.createObjectURL(new Blob([text], { type: "text/javascript" }));
}

// "./name.js" in an import or export statement, or in import("./name.js")
const RELATIVE = /(\bfrom\s*|\bimport\s*\(?\s*)(["'])\.\/([\w.-]+\.js)\2/g;

async function importPage(sources, uplot) {
  if (!window.uPlot) {
    // curves.js draws with the page's global uPlot (a classic script there)
    window.uPlot = (await import(/* webpackIgnore: true */ blobUrl(`${uplot}\nexport default uPlot;`))).default;
  }
  const urls = {};
  const urlOf = (name, trail) => {
    if (urls[name]) return urls[name];
    if (!(name in sources)) throw new Error(`the playground has no module ${name}`);
    if (trail.includes(name)) throw new Error(`the playground's modules import in a circle: ${trail.join(" → ")}`);
    const text = sources[name].replace(RELATIVE, (_, head, quote, dependency) =>
      `${head}${quote}${urlOf(dependency, [...trail, name])}${quote}`);
    return (urls[name] = blobUrl(text));
  };
  const names = ["boundary.js", "curves.js", "heatmap.js", "network.js", "trace.js"];
  const modules = await Promise.all(names.map((name) => import(/* webpackIgnore: true */ urlOf(name, []))));
  return Object.assign({}, ...modules);
}

function pageModules(model) {
  const sources = model.get("_modules");
  const key = JSON.stringify(sources);
  if (!imported.has(key)) imported.set(key, importPage(sources, model.get("_uplot")));
  return imported.get(key);
}

const LAYOUT = `
<div class="gw-bar">
  <button data-testid="reset" title="Start again from the starting weights">Reset</button>
  <button data-testid="play" class="gw-primary">Play</button>
  <button data-testid="step" title="Train exactly one epoch">Step</button>
  <span class="gw-counter">epoch <b data-testid="epoch">0</b></span>
  <span>Training loss <b data-testid="train-loss">&ndash;</b></span>
  <span>Test loss <b data-testid="test-loss">&ndash;</b></span>
  <span><span data-id="metric-name">Accuracy</span> <b data-id="train-metric">&ndash;</b> / test
    <b data-id="test-metric">&ndash;</b></span>
</div>
<div data-testid="error" class="gw-error" hidden></div>
<div class="gw-main">
  <div class="gw-net">
    <div class="gw-network-holder"><svg data-testid="network" class="gw-network"></svg></div>
    <p class="gw-note">Edges: width |w|, <span class="gw-blue">blue</span> positive,
      <span class="gw-orange">orange</span> negative. Each neuron shows its output over the plot. Hover for values.</p>
  </div>
  <div class="gw-output">
    <div data-id="curves" class="gw-curves"></div>
    <canvas data-testid="boundary" width="360" height="360"></canvas>
    <div data-id="legend" class="gw-legend"></div>
    <div data-id="axes" class="gw-axes" hidden>Plot across <select data-id="feature_x"></select>
      and <select data-id="feature_y"></select></div>
    <p data-id="data-note" class="gw-note"></p>
  </div>
</div>
<section data-testid="trace" class="gw-trace">
  <h2>Trace</h2>
  <p class="gw-note">Click a data point to see every number of its forward and backward pass.</p>
</section>`;

// One frame (see glassnet.playground.frames): uint32 n | n bytes of JSON header | float32 payload.
function decodeFrame(view, d) {
  // a copy, so the floats start on a 4-byte boundary whatever the buffer the kernel's message came in
  const buffer = view.buffer.slice(view.byteOffset, view.byteOffset + view.byteLength);
  const length = new DataView(buffer).getUint32(0, true);
  const header = JSON.parse(new TextDecoder().decode(new Uint8Array(buffer, 4, length)));
  const floats = new Float32Array(buffer, 4 + length, header.floats);
  const n = d.grid_size * d.grid_size;
  const sizes = d.layers;
  let offset = 0;
  const take = (count) => floats.subarray(offset, (offset += count));
  const frame = { header, layers: [], weights: [], biases: [] };
  for (let l = 1; l < sizes.length; l++) frame.layers.push(take(sizes[l] * n));
  frame.boundary = take(sizes[sizes.length - 1] * d.boundary_size * d.boundary_size);
  for (let l = 0; l < sizes.length - 1; l++) frame.weights.push(take(sizes[l] * sizes[l + 1]));
  for (let l = 1; l < sizes.length; l++) frame.biases.push(take(sizes[l]));
  return frame;
}

// resolves once ``node`` is in the document and has a width (at most about two seconds)
async function laidOut(node) {
  for (let frame = 0; frame < 120 && !(node.isConnected && node.clientWidth > 0); frame++) {
    await new Promise((resolve) => requestAnimationFrame(resolve));
  }
}

async function render({ model, el }) {
  const page = await pageModules(model);
  const root = document.createElement("div");
  root.className = "glassnet-widget";
  root.innerHTML = LAYOUT;
  el.appendChild(root);
  const $ = (name) => root.querySelector(`[data-testid="${name}"], [data-id="${name}"]`);
  // the page's tooltip is fixed to the window: it lives in the document's body
  const tooltip = document.createElement("div");
  tooltip.className = "glassnet-tooltip";
  tooltip.hidden = true;
  document.body.appendChild(tooltip);

  const canvas = $("boundary");
  const boundary = new page.Boundary(canvas);
  const network = new page.NetworkView($("network"), tooltip);
  const curves = new page.Curves($("curves"));
  const state = { data: null, frames: 0 };

  function describe() {
    const d = model.get("_description");
    if (!d || !d.layers) return;
    d.value_scale = d.value_scale || 1;
    state.data = d;
    network.setData(d);
    boundary.selected = null;
    boundary.setData(d);
    curves.clear();
    page.drawLegend($("legend"), d, "gw-note");
    plotted(d);
    const sampled = d.train.total > d.train.x.length ? ` (the plot shows ${d.train.x.length} of each part)` : "";
    $("data-note").textContent = `${d.source}: ${d.train.total} training and ${d.test.total} test rows${sampled}, ` +
      `${d.inputs.length} input(s); ${d.task === "classify" ? `${d.classes.length} classes` : "regression"}`;
    $("data-note").title = (d.notes || []).join("\n");
    $("metric-name").textContent = d.task === "classify" ? "Accuracy" : "R²";
    showTrace();
  }

  function draw() {
    const d = state.data;
    const bytes = model.get("_frame");
    if (!d || !bytes || !bytes.byteLength) return;
    const frame = decodeFrame(bytes instanceof DataView ? bytes : new DataView(bytes.buffer || bytes), d);
    const header = frame.header;
    if (header.version !== d.version) return; // a frame of the network before the last change
    state.frames += 1;
    root.dataset.frames = String(state.frames);
    root.dataset.epoch = String(header.epoch);
    $("epoch").textContent = String(header.epoch);
    $("train-loss").textContent = page.format(header.train_loss);
    $("test-loss").textContent = page.format(header.test_loss);
    $("train-metric").textContent = page.format(header.train_metric);
    $("test-metric").textContent = page.format(header.test_metric);
    curves.add(header.epoch, header.train_loss, header.test_loss);
    boundary.setOutputs(frame.boundary, d.layers[d.layers.length - 1]);
    network.update(frame);
  }

  function running() {
    $("play").textContent = model.get("running") ? "Pause" : "Play";
  }

  function error() {
    const message = model.get("error");
    $("error").textContent = message;
    $("error").hidden = !message;
  }

  function showTrace() {
    const message = model.get("_trace");
    const panel = $("trace");
    const d = state.data;
    if (!message || message.type !== "trace" || !d) {
      panel.querySelectorAll("table, .summary").forEach((node) => node.remove());
      return;
    }
    page.showTrace(panel, message);
    if (d.source === "your arrays") {
      // rows of arrays, not of a file: row i is X[i] (X_test[i])
      const summary = panel.querySelector(".summary");
      summary.textContent = summary.textContent.replace("of the file", message.part === "train" ? "of X" : "of X_test");
    }
    const shown = d[message.part].index.indexOf(message.index);
    boundary.selected = shown >= 0 ? { part: message.part, index: shown } : null;
    boundary.draw();
  }

  function plotted(d) {
    $("axes").hidden = d.inputs.length <= 2;
    for (const [name, chosen] of [["feature_x", d.settings.feature_x], ["feature_y", d.settings.feature_y]]) {
      const select = $(name);
      select.replaceChildren(...d.inputs.map((input, i) => new Option(input, i)));
      select.value = String(chosen);
    }
  }

  const send = (command) => model.send(command);
  $("play").onclick = () => send({ type: model.get("running") ? "pause" : "play" });
  $("step").onclick = () => send({ type: "step" });
  $("reset").onclick = () => send({ type: "reset" });
  for (const name of ["feature_x", "feature_y"]) {
    $(name).onchange = () => send({ type: "plot", feature_x: Number($("feature_x").value),
      feature_y: Number($("feature_y").value) });
  }
  page.bindPointer(canvas, boundary, network, state, send);

  // for tests: what arrived, and where a point is drawn (as the page's window.playground)
  root.glassnet = {
    state,
    pointPixel(part, index) {
      const points = state.data[part];
      const [px, py] = boundary.toPixel(points.x[index], points.y[index]);
      const box = canvas.getBoundingClientRect();
      return { x: box.left + px * (box.width / canvas.width), y: box.top + py * (box.height / canvas.height) };
    },
  };

  const handlers = [["change:_description", describe], ["change:_frame", draw], ["change:running", running],
    ["change:error", error], ["change:_trace", showTrace]];
  for (const [event, handler] of handlers) model.on(event, handler);
  running();
  error();
  // the network's drawing spreads over the width its holder has: drawn once the view is laid out
  laidOut($("network").parentElement).then(() => {
    describe();
    draw();
  });
  return () => {
    for (const [event, handler] of handlers) model.off(event, handler);
    tooltip.remove();
  };
}

export default { render };
