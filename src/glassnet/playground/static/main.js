// The playground page: settings in, frames out, over one WebSocket.
import { Boundary, format } from "./boundary.js";
import { Curves } from "./curves.js";
import { classColour, css } from "./heatmap.js";
import { NetworkView } from "./network.js";
import { showTrace } from "./trace.js";

const $ = (id) => document.getElementById(id);
const token = new URLSearchParams(location.search).get("token") || "";
// settings a link carries (in the #hash, so the token stays in the query)
const KEYS = ["dataset", "target", "noise", "points", "test_ratio", "seed", "hidden", "activations", "loss",
  "optimizer", "learning_rate", "batch_size", "l2", "feature_x", "feature_y", "record_stats", "dropout",
  "normalization", "weight_decay", "clip_grad_norm", "schedule", "schedule_epochs", "warmup_epochs", "label_smoothing"];
const NUMBERS = ["noise", "points", "test_ratio", "seed", "learning_rate", "batch_size", "l2", "feature_x", "feature_y",
  "dropout", "weight_decay", "clip_grad_norm", "schedule_epochs", "warmup_epochs", "label_smoothing"];
// the training rules' number boxes (an empty clipping box is no clipping)
const RULES = ["dropout", "weight_decay", "schedule_epochs", "warmup_epochs", "label_smoothing"];

// loads counts data messages; frames those drawn (tests and benchmarks read both)
const state = { settings: {}, data: null, session: null, running: false, frames: 0, loads: 0, choices: null, file: null };
const boundary = new Boundary($("boundary"));
const network = new NetworkView($("network"), $("tooltip"));
const curves = new Curves($("curves"));
let socket;

// --- talking to the server -------------------------------------------------------------
function connect() {
  const scheme = location.protocol === "https:" ? "wss" : "ws";
  socket = new WebSocket(`${scheme}://${location.host}/ws?token=${encodeURIComponent(token)}`);
  socket.binaryType = "arraybuffer";
  socket.onmessage = (event) => (typeof event.data === "string" ? onMessage(JSON.parse(event.data)) : onFrame(event.data));
  socket.onclose = () => showError("the connection to the playground server closed; restart it and reload the page");
}

function send(command) {
  if (socket.readyState === WebSocket.OPEN) socket.send(JSON.stringify(command));
}

function sendSettings(changes) {
  hideError();
  Object.assign(state.settings, changes);
  send({ type: "settings", settings: state.settings });
}

const handlers = {
  hello(message) {
    state.session = message.session;
    state.choices = message.choices;
    state.file = message.file;
    fillSelect($("optimizer"), message.choices.optimizers);
    fillSelect($("loss"), message.choices.losses);
    fillSelect($("schedule"), message.choices.schedules);
    fillSelect($("normalization"), ["none", ...message.choices.normalizations]);
    fillDatasets();
    $("download-model").href = `model.glassnet?session=${message.session}`;
    $("download-history").href = `history.csv?session=${message.session}`;
    const fromLink = settingsFromHash();
    const start = { ...message.defaults, ...fromLink };
    if (!start.target) delete start.target;
    sendSettings(start);
  },
  data(message) {
    state.data = message;
    state.loads += 1;
    state.settings = { ...message.settings };
    const d = message;
    d.value_scale = d.value_scale || 1;
    showSettings();
    network.setData(d);
    boundary.selected = null;
    boundary.setData(d);
    curves.clear();
    fillSelect($("target"), d.features, d.target);
    fillSelect($("feature_x"), d.inputs, d.inputs[state.settings.feature_x]);
    fillSelect($("feature_y"), d.inputs, d.inputs[state.settings.feature_y]);
    $("generated").hidden = !isGenerated(state.settings.dataset);
    const sampled = d.train.total > d.train.x.length ? ` (the plot shows ${d.train.x.length} of each part)` : "";
    $("data-note").textContent = `${d.source}: ${d.train.total} training and ${d.test.total} test rows${sampled}, ` +
      `${d.inputs.length} input(s); ${d.task === "classify" ? `${d.classes.length} classes` : "regression"}` +
      (d.filled ? `; ${d.filled} empty cell(s) filled, as glassnet train fills them` : "");
    // the table pipeline's notes in full (columns left out, the fill values ...) on hover
    $("data-note").title = (d.notes || []).join("\n");
    $("metric-name").textContent = d.task === "classify" ? "Accuracy" : "R²";
    legend(d);
    writeHash();
  },
  state(message) {
    state.running = message.running;
    $("play").textContent = message.running ? "Pause" : "Play";
  },
  trace(message) {
    showTrace($("trace"), message);
    // the row's place among the points drawn (a big table draws a sample)
    const shown = state.data[message.part].index.indexOf(message.index);
    boundary.selected = shown >= 0 ? { part: message.part, index: shown } : null;
    boundary.draw();
  },
  error(message) {
    showError(message.message);
    // the controls go back to the settings of the run on show
    if (state.data) {
      state.settings = { ...state.data.settings };
      showSettings();
    }
  },
};

function onMessage(message) {
  const handler = handlers[message.type];
  if (handler) handler(message);
}

function onFrame(buffer) {
  const d = state.data;
  if (!d) return;
  const length = new DataView(buffer).getUint32(0, true);
  const header = JSON.parse(new TextDecoder().decode(new Uint8Array(buffer, 4, length)));
  if (header.version !== d.version) return; // a frame of the network before the last change
  const floats = new Float32Array(buffer, 4 + length, header.floats);
  const n = d.grid_size * d.grid_size;
  const sizes = d.layers;
  let offset = 0;
  const take = (count) => floats.subarray(offset, (offset += count));
  const frame = { layers: [], weights: [], biases: [] };
  for (let l = 1; l < sizes.length; l++) frame.layers.push(take(sizes[l] * n));
  frame.boundary = take(sizes[sizes.length - 1] * d.boundary_size * d.boundary_size);
  for (let l = 0; l < sizes.length - 1; l++) frame.weights.push(take(sizes[l] * sizes[l + 1]));
  for (let l = 1; l < sizes.length; l++) frame.biases.push(take(sizes[l]));
  state.frames += 1;
  state.lastHeader = header;
  $("epoch").textContent = String(header.epoch);
  $("train-loss").textContent = format(header.train_loss);
  $("test-loss").textContent = format(header.test_loss);
  $("train-metric").textContent = format(header.train_metric);
  $("test-metric").textContent = format(header.test_metric);
  curves.add(header.epoch, header.train_loss, header.test_loss);
  boundary.setOutputs(frame.boundary, sizes[sizes.length - 1]);
  network.update(frame);
}

// --- the controls ----------------------------------------------------------------------
function fillSelect(select, names, chosen) {
  const current = chosen ?? select.value;
  select.replaceChildren(...names.map((name, i) => new Option(name, select.id.startsWith("feature") ? i : name)));
  const index = names.indexOf(current);
  if (index >= 0) select.selectedIndex = index;
}

function isGenerated(name) {
  return state.choices && state.choices.generated.includes(name);
}

function fillDatasets() {
  const select = $("dataset");
  const options = state.choices.datasets.map((name) => new Option(isGenerated(name) ? name : `${name} (table)`, name));
  if (state.file) options.unshift(new Option(`your file: ${state.file}`, "file"));
  select.replaceChildren(...options);
}

function showSettings() {
  const s = state.settings;
  $("dataset").value = s.dataset;
  $("learning_rate").value = s.learning_rate;
  $("optimizer").value = s.optimizer;
  $("loss").value = s.loss;
  $("batch_size").value = s.batch_size;
  $("l2").value = s.l2;
  $("seed").value = s.seed;
  $("record_stats").checked = Boolean(s.record_stats);
  for (const id of RULES) $(id).value = s[id];
  $("clip_grad_norm").value = s.clip_grad_norm ?? "";
  $("normalization").value = s.normalization ?? "none";
  $("schedule").value = s.schedule;
  $("noise").value = Math.round(s.noise * 100);
  $("noise-value").textContent = Math.round(s.noise * 100);
  $("points").value = s.points;
  $("test_ratio").value = Math.round(s.test_ratio * 100);
  $("ratio-value").textContent = Math.round(s.test_ratio * 100);
  layerEditors();
}

function layerEditors() {
  const s = state.settings;
  const holder = $("layer-editors");
  holder.replaceChildren();
  $("layer-count").textContent = `${s.hidden.length} hidden layer${s.hidden.length === 1 ? "" : "s"}`;
  s.hidden.forEach((size, l) => {
    const box = document.createElement("div");
    box.className = "layer-editor";
    const minus = button("−", `Remove a neuron from layer ${l + 1}`, () => {
      if (size > 1) sendSettings({ hidden: s.hidden.map((v, k) => (k === l ? v - 1 : v)) });
    });
    const plus = button("+", `Add a neuron to layer ${l + 1}`, () => {
      sendSettings({ hidden: s.hidden.map((v, k) => (k === l ? v + 1 : v)) });
    });
    const count = document.createElement("span");
    count.textContent = ` ${size} `;
    const activation = document.createElement("select");
    activation.title = `Activation of layer ${l + 1}`;
    activation.className = "activation";
    fillSelect(activation, state.choices.activations, s.activations[l]);
    activation.onchange = () => sendSettings({ activations: s.activations.map((v, k) => (k === l ? activation.value : v)) });
    box.append(`L${l + 1} `, minus, count, plus, document.createElement("br"), activation);
    holder.appendChild(box);
  });
}

function button(label, title, onclick) {
  const b = document.createElement("button");
  b.textContent = label;
  b.title = title;
  b.onclick = onclick;
  return b;
}

function legend(d) {
  const holder = $("legend");
  holder.replaceChildren();
  if (d.task === "classify") {
    d.classes.forEach((name, k) => {
      const item = document.createElement("span");
      item.innerHTML = `<i style="background:${css(classColour(k))}"></i>`;
      item.append(`${d.target} = ${name}`);
      holder.appendChild(item);
    });
  } else {
    holder.textContent = `${d.target}: orange low, blue high (${format(d.value_range[0])} to ${format(d.value_range[1])})`;
  }
  const key = document.createElement("div");
  key.className = "note";
  key.textContent = "white rim: training point, black rim: test point, dashed box: training range";
  holder.appendChild(key);
}

function showError(message) {
  $("error").textContent = message;
  $("error").hidden = false;
}

function hideError() {
  $("error").hidden = true;
}

// --- settings in the link ----------------------------------------------------------------
function settingsFromHash() {
  const params = new URLSearchParams(location.hash.slice(1));
  const settings = {};
  for (const key of KEYS) {
    if (!params.has(key)) continue;
    const value = params.get(key);
    if (key === "hidden") settings.hidden = value ? value.split(",").map(Number) : [];
    else if (key === "activations") settings.activations = value ? value.split(",") : [];
    else if (key === "record_stats") settings.record_stats = value === "true";
    else settings[key] = NUMBERS.includes(key) ? Number(value) : value;
  }
  return settings;
}

function writeHash() {
  const params = new URLSearchParams();
  for (const key of KEYS) {
    const value = state.settings[key];
    if (value === null || value === undefined) continue;
    params.set(key, Array.isArray(value) ? value.join(",") : String(value));
  }
  // commas stay readable in lists such as hidden=4,2
  history.replaceState(null, "", `${location.pathname}${location.search}#${params.toString().replace(/%2C/g, ",")}`);
}

// --- wiring ----------------------------------------------------------------------------------
$("play").onclick = () => { hideError(); send({ type: state.running ? "pause" : "play" }); };
$("step").onclick = () => { hideError(); send({ type: "step" }); };
$("reset").onclick = () => { hideError(); send({ type: "reset" }); };
$("dataset").onchange = () => sendSettings({ dataset: $("dataset").value, target: null, feature_x: 0, feature_y: 1 });
$("target").onchange = () => sendSettings({ target: $("target").value, feature_x: 0, feature_y: 1 });
$("feature_x").onchange = () => sendSettings({ feature_x: Number($("feature_x").value) });
$("feature_y").onchange = () => sendSettings({ feature_y: Number($("feature_y").value) });
$("noise").oninput = () => { $("noise-value").textContent = $("noise").value; };
$("noise").onchange = () => sendSettings({ noise: Number($("noise").value) / 100 });
$("test_ratio").oninput = () => { $("ratio-value").textContent = $("test_ratio").value; };
$("test_ratio").onchange = () => sendSettings({ test_ratio: Number($("test_ratio").value) / 100 });
for (const id of ["learning_rate", "batch_size", "l2", "seed", "points"]) {
  $(id).onchange = () => sendSettings({ [id]: Number($(id).value) });
}
for (const id of ["optimizer", "loss", "schedule"]) $(id).onchange = () => sendSettings({ [id]: $(id).value });
for (const id of RULES) $(id).onchange = () => sendSettings({ [id]: Number($(id).value) });
$("clip_grad_norm").onchange = () => {
  const text = $("clip_grad_norm").value;
  sendSettings({ clip_grad_norm: text === "" ? null : Number(text) });
};
$("normalization").onchange = () => {
  const name = $("normalization").value;
  sendSettings({ normalization: name === "none" ? null : name });
};
$("record_stats").onchange = () => sendSettings({ record_stats: $("record_stats").checked });
$("add-layer").onclick = () => {
  const s = state.settings;
  sendSettings({ hidden: [...s.hidden, s.hidden.length ? s.hidden[s.hidden.length - 1] : 4],
    activations: [...s.activations, s.activations.length ? s.activations[s.activations.length - 1] : "tanh"] });
};
$("remove-layer").onclick = () => {
  const s = state.settings;
  if (s.hidden.length) sendSettings({ hidden: s.hidden.slice(0, -1), activations: s.activations.slice(0, -1) });
};
$("show-test").onchange = () => { boundary.showTest = $("show-test").checked; boundary.draw(); };
$("upload").onchange = async () => {
  const file = $("upload").files[0];
  if (!file) return;
  hideError();
  const response = await fetch(`upload?name=${encodeURIComponent(file.name)}&token=${encodeURIComponent(token)}`,
    { method: "POST", body: file });
  const answer = await response.json().catch(() => ({ error: `upload failed (HTTP ${response.status})` }));
  $("upload").value = "";
  if (!response.ok) {
    showError(answer.error);
    return;
  }
  state.file = answer.name;
  fillDatasets();
  sendSettings({ dataset: "file", target: answer.columns[answer.columns.length - 1], feature_x: 0, feature_y: 1 });
};
const canvas = $("boundary");
function canvasPoint(event) {
  const box = canvas.getBoundingClientRect();
  return [(event.clientX - box.left) * (canvas.width / box.width), (event.clientY - box.top) * (canvas.height / box.height)];
}
canvas.onclick = (event) => {
  if (!state.data) return;
  const hit = boundary.pick(...canvasPoint(event));
  if (hit) send({ type: "trace", part: hit.part, index: state.data[hit.part].index[hit.index] });
};
canvas.onmousemove = (event) => {
  const text = state.data ? boundary.describe(...canvasPoint(event)) : null;
  if (text) network.show(event, text);
  else network.hide();
};
canvas.onmouseleave = () => network.hide();

// for tests and benchmarks: where a point is drawn, and what arrived
window.playground = {
  state,
  pointPixel(part, index) {
    const points = state.data[part];
    const [px, py] = boundary.toPixel(points.x[index], points.y[index]);
    const box = canvas.getBoundingClientRect();
    return { x: px * (box.width / canvas.width), y: py * (box.height / canvas.height) };
  },
};

connect();
