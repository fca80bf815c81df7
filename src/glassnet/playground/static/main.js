// The playground page: settings in, frames out, over one WebSocket.
// The drawing is in modules that each take their data and a DOM element
// (network.js, boundary.js, curves.js, trace.js, controls.js, columns.js),
// so that other pages (a notebook widget) can import them; this module wires
// them to the page's controls and to the server.
import { Boundary, bindPointer, drawLegend } from "./boundary.js";
import { showColumns } from "./columns.js";
import { Controls } from "./controls.js";
import { Curves } from "./curves.js";
import { decodeFrame } from "./frames.js";
import { NetworkView } from "./network.js";
import { format } from "./ticks.js";
import { clearTrace, showTrace } from "./trace.js";

const $ = (id) => document.getElementById(id);
const token = new URLSearchParams(location.search).get("token") || "";
// settings the hash keeps as a list of repeated keys (column names may hold commas)
const REPEATED = ["ignore"];

// applied: the settings of the run on show (the server's word); loads counts data messages, applies
// live edits applied, frames those drawn (tests and benchmarks read them)
const state = { applied: null, data: null, session: null, running: false, frames: 0, loads: 0, applies: 0,
  choices: null, file: null, upload: null, lastFrame: null };
const boundary = new Boundary($("boundary"));
const network = new NetworkView($("network"), $("tooltip"));
const curves = new Curves($("curves"));
let controls = null;
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

// ask for the run's settings with `changes`; the page shows them once the server has applied them
function sendSettings(changes) {
  hideError();
  send({ type: "settings", settings: { ...state.applied, ...changes } });
}

const handlers = {
  hello(message) {
    state.session = message.session;
    state.choices = message.choices;
    state.file = message.file;
    controls = new Controls($("settings"), message.controls, (name, value) => sendSettings({ [name]: value }));
    fillDatasets();
    $("download-model").href = `model.glassnet?session=${message.session}`;
    $("download-history").href = `history.csv?session=${message.session}`;
    // the link's settings, or where every new page starts; the server falls back to that with a note
    const fromLink = settingsFromHash();
    const start = Object.keys(fromLink).length ? fromLink : { ...message.defaults };
    state.applied = {};
    sendSettings(start);
  },
  data(message) {
    const d = message;
    const fresh = d.reset || !state.data;
    state.data = d;
    state.loads += 1;
    state.applied = { ...d.settings };
    state.upload = d.upload;
    state.file = d.file;
    d.value_scale = d.value_scale || 1;
    fillDatasets();
    showSettings();
    network.setData(d);
    boundary.setData(d);
    if (fresh) {
      curves.clear();
      state.lastFrame = null;
    }
    fillSelect($("target"), d.columns, d.target);
    fillSelect($("feature_x"), d.inputs, d.inputs[d.settings.feature_x]);
    fillSelect($("feature_y"), d.inputs, d.inputs[d.settings.feature_y]);
    showColumns($("columns"), d, (ignore) => sendSettings({ ignore }));
    $("generated").hidden = !isGenerated(d.settings.dataset);
    summary(d);
    notes(d.notes || []);
    if (d.message) showNotice(d.message);
    $("metric-name").textContent = d.task === "classify" ? "Accuracy" : "R²";
    drawLegend($("legend"), d, "note");
    writeHash();
  },
  applied(message) {
    state.applies += 1;
    state.applied = { ...message.settings };
    if (state.data) state.data.settings = { ...message.settings };
    showSettings();
    if (message.message) showNotice(message.message);
    writeHash();
  },
  state(message) {
    state.running = message.running;
    $("play").textContent = message.running ? "Pause" : "Play";
  },
  trace(message) {
    if (message.cleared) {
      if (boundary.selected) clearTrace($("trace"), "The data changed, so the row traced before is gone.");
      boundary.selected = null;
      boundary.draw();
      return;
    }
    showTrace($("trace"), message);
    // the row's place among the points drawn (a big table draws a sample)
    const shown = state.data[message.part].index.indexOf(message.index);
    boundary.selected = shown >= 0 ? { part: message.part, index: shown } : null;
    boundary.draw();
  },
  note(message) {
    showNotice(message.message);
  },
  error(message) {
    showError(message.message);
    // the controls go back to the settings of the run on show
    if (state.applied) showSettings();
  },
};

function onMessage(message) {
  const handler = handlers[message.type];
  if (handler) handler(message);
}

function onFrame(buffer) {
  if (!state.data) return;
  const frame = decodeFrame(buffer, state.data);
  if (!frame) return;
  const header = frame.header;
  const sizes = state.data.layers;
  state.frames += 1;
  state.lastHeader = header;
  state.lastFrame = frame;
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

// the data sets: the generated ones, the bundled tables, the file the server started with, this page's upload
function fillDatasets() {
  const select = $("dataset");
  const options = state.choices.datasets.map((name) => new Option(isGenerated(name) ? name : `${name} (table)`, name));
  if (state.file) options.unshift(new Option(`file: ${state.file}`, "file"));
  if (state.upload) options.unshift(new Option(`your file: ${state.upload.name}`, "upload"));
  select.replaceChildren(...options);
  if (state.applied && state.applied.dataset) select.value = state.applied.dataset;
}

function showSettings() {
  const s = state.applied;
  $("dataset").value = s.dataset;
  controls.show(s);
  $("noise").value = Math.round(s.noise * 100);
  $("noise-value").textContent = Math.round(s.noise * 100);
  $("points").value = s.points;
  $("test_ratio").value = Math.round(s.test_ratio * 100);
  $("ratio-value").textContent = Math.round(s.test_ratio * 100);
  if (state.data) {
    $("target").value = state.data.target;
    $("feature_x").value = s.feature_x;
    $("feature_y").value = s.feature_y;
  }
  layerEditors();
}

function layerEditors() {
  const s = state.applied;
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

// how many rows, inputs and classes are in use
function summary(d) {
  const sampled = d.train.total > d.train.x.length ? ` (the plot shows ${d.train.x.length} of each part)` : "";
  const used = d.features.length - 1;
  const columns = used === d.inputs.length ? "" : ` from ${used} column${used === 1 ? "" : "s"}`;
  $("data-note").textContent = `${d.source}: ${d.train.total} training and ${d.test.total} test rows${sampled}, ` +
    `${d.inputs.length} input${d.inputs.length === 1 ? "" : "s"}${columns}; ` +
    `${d.task === "classify" ? `${d.classes.length} classes` : "regression"}` +
    (d.filled ? `; ${d.filled} empty cell(s) filled, as glassnet train fills them` : "");
}

// what the table pipeline said about the data, as it said it
function notes(list) {
  const holder = $("notes");
  holder.replaceChildren(...list.map((text) => {
    const item = document.createElement("li");
    item.textContent = text;
    return item;
  }));
  holder.hidden = list.length === 0;
}


function showError(message) {
  $("error").textContent = message;
  $("error").hidden = false;
}

function hideError() {
  $("error").hidden = true;
}

// what the last change did (a live edit, a reset), or what the server noticed
function showNotice(message) {
  $("notice").textContent = message;
  $("notice").hidden = false;
}

// --- settings in the link ----------------------------------------------------------------
// values stay text: the server reads them as each setting's table says ("0.1", "4,2", "true")
function settingsFromHash() {
  const params = new URLSearchParams(location.hash.slice(1));
  const settings = {};
  for (const key of new Set(params.keys())) {
    settings[key] = REPEATED.includes(key) ? params.getAll(key).filter((name) => name !== "") : params.get(key);
  }
  return settings;
}

function writeHash() {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(state.applied)) {
    if (value === null || value === undefined) continue;
    if (REPEATED.includes(key)) value.forEach((item) => params.append(key, item));
    else params.set(key, Array.isArray(value) ? value.join(",") : String(value));
  }
  // commas stay readable in lists such as hidden=4,2
  history.replaceState(null, "", `${location.pathname}${location.search}#${params.toString().replace(/%2C/g, ",")}`);
}

// --- wiring ----------------------------------------------------------------------------------
$("play").onclick = () => { hideError(); send({ type: state.running ? "pause" : "play" }); };
$("step").onclick = () => { hideError(); send({ type: "step" }); };
$("reset").onclick = () => { hideError(); send({ type: "reset" }); };
$("dataset").onchange = () => {
  const dataset = $("dataset").value;
  sendSettings({ dataset, upload: dataset === "upload" ? state.upload.id : null, target: null, ignore: [],
    feature_x: 0, feature_y: 1 });
};
$("target").onchange = () => {
  const target = $("target").value;
  sendSettings({ target, ignore: (state.applied.ignore || []).filter((name) => name !== target), feature_x: 0,
    feature_y: 1 });
};
$("feature_x").onchange = () => sendSettings({ feature_x: Number($("feature_x").value) });
$("feature_y").onchange = () => sendSettings({ feature_y: Number($("feature_y").value) });
$("noise").oninput = () => { $("noise-value").textContent = $("noise").value; };
$("noise").onchange = () => sendSettings({ noise: Number($("noise").value) / 100 });
$("test_ratio").oninput = () => { $("ratio-value").textContent = $("test_ratio").value; };
$("test_ratio").onchange = () => sendSettings({ test_ratio: Number($("test_ratio").value) / 100 });
$("points").onchange = () => sendSettings({ points: Number($("points").value) });
$("add-layer").onclick = () => {
  const s = state.applied;
  sendSettings({ hidden: [...s.hidden, s.hidden.length ? s.hidden[s.hidden.length - 1] : 4],
    activations: [...s.activations, s.activations.length ? s.activations[s.activations.length - 1] : "tanh"] });
};
$("remove-layer").onclick = () => {
  const s = state.applied;
  if (s.hidden.length) sendSettings({ hidden: s.hidden.slice(0, -1), activations: s.activations.slice(0, -1) });
};
$("show-test").onchange = () => { boundary.showTest = $("show-test").checked; boundary.draw(); };
$("upload").onchange = async () => {
  const file = $("upload").files[0];
  if (!file) return;
  hideError();
  const query = `session=${state.session}&name=${encodeURIComponent(file.name)}&token=${encodeURIComponent(token)}`;
  const response = await fetch(`upload?${query}`, { method: "POST", body: file });
  const answer = await response.json().catch(() => ({ error: `upload failed (HTTP ${response.status})` }));
  $("upload").value = "";
  if (!response.ok) {
    showError(answer.error);
    return;
  }
  // nothing on the page changes unless the table can be learnt: the data message brings the new list
  sendSettings({ dataset: "upload", upload: answer.upload, target: answer.columns[answer.columns.length - 1],
    ignore: [], feature_x: 0, feature_y: 1 });
};
const canvas = $("boundary");
bindPointer(canvas, boundary, network, state, send);
// a new window width: the network and the curves are laid out again
let resizing = null;
window.addEventListener("resize", () => {
  clearTimeout(resizing);
  resizing = setTimeout(() => {
    if (!state.data) return;
    network.setData(state.data);
    if (state.lastFrame) network.update(state.lastFrame);
    curves.resize();
  }, 100);
});

// for tests and benchmarks: where a point is drawn, and what arrived
window.playground = {
  state,
  curves,
  boundary,
  pointPixel(part, index) {
    const points = state.data[part];
    const [px, py] = boundary.toPixel(points.x[index], points.y[index]);
    const box = canvas.getBoundingClientRect();
    return { x: px * (box.width / canvas.width), y: py * (box.height / canvas.height) };
  },
};

connect();
