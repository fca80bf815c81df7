// The network as SVG: a column per layer, an edge per weight (width |w|,
// blue positive, orange negative), a small heat map per hidden and output
// neuron (a canvas in a foreignObject). Hover shows the numbers.
// new NetworkView(svg, tooltip): setData(description) lays it out to fit the
// svg's parent's width, update(frame) draws a frame's values and weights.
import { classImage, css, diverging, image, neuronImage, outputImage } from "./heatmap.js";

const SVG = "http://www.w3.org/2000/svg";
const XHTML = "http://www.w3.org/1999/xhtml";
const COLUMN = 150;
const MAX_EDGES = 4096;
// up to this many inputs each gets a box with its (shortened) name; more are drawn smaller, unnamed
const COMPACT_INPUTS = 40;
// more inputs than this are drawn as one block
const MANY_INPUTS = 200;
// room left of the inputs for their names
const LABELS = 96;

function element(name, attributes, parent) {
  const node = document.createElementNS(SVG, name);
  for (const [key, value] of Object.entries(attributes)) node.setAttribute(key, value);
  if (parent) parent.appendChild(node);
  return node;
}

export class NetworkView {
  constructor(svg, tooltip) {
    this.svg = svg;
    this.tooltip = tooltip;
  }

  // build the drawing for `data` (layer sizes, activations, input names)
  setData(data) {
    this.data = data;
    const svg = this.svg;
    svg.replaceChildren();
    const sizes = data.layers;
    // the hidden and output units set the size of a unit; inputs that do not fit
    // beside them at that size are drawn smaller, spread over the same height
    const inputs = sizes[0];
    const named = inputs <= COMPACT_INPUTS;
    const many = inputs > MANY_INPUTS;
    const widest = Math.max(...sizes.slice(1));
    this.node = Math.max(10, Math.min(36, Math.floor(520 / widest) - 6));
    this.gap = this.node + 6;
    // named inputs keep 14 px each, room for their names
    const span = Math.max(widest * this.gap, 320, named ? inputs * 14 : 0);
    const inputGap = Math.min(this.gap, span / inputs);
    const inputNode = inputGap >= this.gap ? this.node : Math.max(2, Math.min(this.node, inputGap - 2));
    const height = span + 50;
    this.left = named ? LABELS : 20;  // room for the inputs' names
    // the layers spread over the panel's width, closer together when there are many
    const room = (svg.parentElement.clientWidth || 560) - this.left - this.node - 60;
    const column = Math.max(70, Math.min(COLUMN, room / Math.max(1, sizes.length - 1)));
    const width = this.left + (sizes.length - 1) * column + this.node + 60;
    svg.setAttribute("width", width);
    svg.setAttribute("height", height);
    // [x, y, size] of every unit: its box's top-left corner and side, each layer centred in the span
    this.positions = sizes.map((size, l) => {
      const x = this.left + l * column;
      const gap = l === 0 ? inputGap : this.gap;
      const side = l === 0 ? inputNode : this.node;
      const top = 30 + (span - size * gap) / 2 + (gap - side) / 2;
      return Array.from({ length: size }, (_, i) => [x + this.node - side, top + i * gap, side]);
    });
    this.edgeLayer = element("g", {}, svg);
    this.edges = [];
    for (let l = 0; l < sizes.length - 1; l++) {
      const layerEdges = [];
      // thousands of curves would slow every frame: such a layer's edges are left out
      if (sizes[l] * sizes[l + 1] > MAX_EDGES || (l === 0 && many)) {
        this.edges.push(layerEdges);
        continue;
      }
      for (let i = 0; i < sizes[l]; i++) {
        for (let j = 0; j < sizes[l + 1]; j++) {
          const [x1, y1, size1] = this.positions[l][i];
          const [x2, y2, size2] = this.positions[l + 1][j];
          const start = [x1 + size1, y1 + size1 / 2];
          const end = [x2, y2 + size2 / 2];
          const middle = (start[0] + end[0]) / 2;
          const path = element("path", {
            class: "edge",
            d: `M${start[0]},${start[1]} C${middle},${start[1]} ${middle},${end[1]} ${end[0]},${end[1]}`,
          }, this.edgeLayer);
          path.addEventListener("mousemove", (event) => this.show(event, this.edgeText(l, i, j)));
          path.addEventListener("mouseleave", () => this.hide());
          layerEdges.push(path);
        }
      }
      this.edges.push(layerEdges);
    }
    // inputs: a labelled box; the two plotted inputs are marked
    const plotted = [data.settings.feature_x, data.settings.feature_y];
    if (many) {
      this.manyInputs(data, plotted, span);
    } else {
      this.positions[0].forEach(([x, y, size], i) => this.input(data, plotted, x, y, size, i, named));
    }
    // hidden and output units: a heat map each
    this.canvases = [];
    for (let l = 1; l < sizes.length; l++) {
      const layerCanvases = [];
      this.positions[l].forEach(([x, y], i) => {
        const group = element("g", { class: "neuron", "data-testid": "neuron", "data-layer": l, "data-unit": i }, svg);
        element("rect", { x: x - 1, y: y - 1, width: this.node + 2, height: this.node + 2 }, group);
        const holder = element("foreignObject", { x, y, width: this.node, height: this.node }, group);
        const canvas = document.createElementNS(XHTML, "canvas");
        canvas.width = this.node;
        canvas.height = this.node;
        canvas.style.display = "block";
        holder.appendChild(canvas);
        group.addEventListener("mousemove", (event) => this.show(event, this.neuronText(l, i)));
        group.addEventListener("mouseleave", () => this.hide());
        layerCanvases.push(canvas);
      });
      const caption = element("text", { x: this.positions[l][0][0] + this.node / 2, y: 14, "text-anchor": "middle" }, svg);
      caption.textContent = l === sizes.length - 1 ? `output (${data.activations[l - 1]})` : `${sizes[l]} · ${data.activations[l - 1]}`;
      this.canvases.push(layerCanvases);
    }
  }

  // one input: a box (a ramp across the plot when plotted), its shortened name, its full name on hover
  input(data, plotted, x, y, size, i, named) {
    const group = element("g", { class: "input", "data-input": i }, this.svg);
    const axis = plotted.indexOf(i);
    // too small for a ramp, a plotted input is filled in
    element("rect", { x, y, width: size, height: size, fill: axis >= 0 && size < 8 ? "#0877bd" : "#fff", stroke: "#999" }, group);
    if (axis >= 0 && size >= 8) {
      // a plotted input is a ramp across the plot: left to right, or bottom to top
      const holder = element("foreignObject", { x, y, width: size, height: size }, group);
      const canvas = document.createElementNS(XHTML, "canvas");
      canvas.width = size;
      canvas.height = size;
      canvas.style.display = "block";
      holder.appendChild(canvas);
      const g = data.grid_size;
      this.paint(canvas, image(g, (cell) => diverging(axis === 0 ? (2 * (cell % g)) / (g - 1) - 1
        : 1 - (2 * Math.floor(cell / g)) / (g - 1))));
    }
    const name = data.inputs[i];
    element("title", {}, group).textContent = name;
    if (named) {
      const label = element("text", { x: x - 4, y: y + size / 2 + 3, "text-anchor": "end" }, group);
      label.textContent = shorten(name, this.left - 8);
    }
    group.addEventListener("mousemove", (event) => this.show(event, `input ${name}` +
      (plotted.includes(i) ? " (plotted)" : " (held at its training median in the plots)")));
    group.addEventListener("mouseleave", () => this.hide());
  }

  // a table of many inputs: one block, naming the plotted two
  manyInputs(data, plotted, span) {
    const x = this.left + this.node - 12;
    const group = element("g", { class: "input many" }, this.svg);
    element("rect", { x, y: 30, width: 12, height: span, fill: "#eef2f4", stroke: "#999" }, group);
    const names = plotted.map((i) => data.inputs[i]).join(" and ");
    const text = `${data.inputs.length} inputs; ${names} plotted, the others held at their training median`;
    element("title", {}, group).textContent = text;
    group.addEventListener("mousemove", (event) => this.show(event, text));
    group.addEventListener("mouseleave", () => this.hide());
    const caption = element("text", { x: x + 6, y: 24, "text-anchor": "middle" }, this.svg);
    caption.textContent = `${data.inputs.length} inputs`;
  }

  // draw one frame: grid values per layer, weights, biases
  update(frame) {
    this.frame = frame;
    const size = this.data.grid_size;
    const n = size * size;
    const last = this.canvases.length - 1;
    frame.layers.forEach((values, l) => {
      const canvases = this.canvases[l];
      if (l === last && canvases.length === 1) {
        this.paint(canvases[0], outputImage(values, 1, size, this.data.task, this.data.value_scale));
        return;
      }
      if (l === last) {
        // one unit per class: its probability, from white to the class's colour
        canvases.forEach((canvas, k) => this.paint(canvas, classImage(values.subarray(k * n, (k + 1) * n), size, k)));
        return;
      }
      canvases.forEach((canvas, i) => this.paint(canvas, neuronImage(values.subarray(i * n, (i + 1) * n), size)));
    });
    let largest = 1e-9;
    for (const W of frame.weights) for (const w of W) largest = Math.max(largest, Math.abs(w));
    frame.weights.forEach((W, l) => {
      const edges = this.edges[l];
      for (let k = 0; k < edges.length; k++) {
        const w = W[k];
        edges[k].setAttribute("stroke", css(diverging(Math.sign(w) * 0.25 + w / largest * 0.75)));
        edges[k].setAttribute("stroke-width", (0.4 + 5 * Math.abs(w) / largest).toFixed(2));
      }
    });
  }

  paint(canvas, image) {
    const context = canvas.getContext("2d");
    context.imageSmoothingEnabled = true;
    context.drawImage(image, 0, 0, canvas.width, canvas.height);
  }

  edgeText(l, i, j) {
    const from = l === 0 ? `input ${this.data.inputs[i]}` : `layer ${l} neuron ${i + 1}`;
    const to = l + 1 === this.data.layers.length - 1 ? `output ${j + 1}` : `layer ${l + 1} neuron ${j + 1}`;
    const w = this.frame ? this.frame.weights[l][i * this.data.layers[l + 1] + j] : NaN;
    return `weight ${from} → ${to}\nw = ${w.toPrecision(4)}`;
  }

  neuronText(l, i) {
    const b = this.frame ? this.frame.biases[l - 1][i] : NaN;
    const last = l === this.data.layers.length - 1;
    const name = last ? `output ${i + 1}` : `layer ${l} neuron ${i + 1}`;
    let text = `${name} (${this.data.activations[l - 1]})\nbias = ${b.toPrecision(4)}`;
    if (this.frame) {
      const size = this.data.grid_size;
      const values = this.frame.layers[l - 1].subarray(i * size * size, (i + 1) * size * size);
      let low = Infinity, high = -Infinity;
      for (const v of values) { low = Math.min(low, v); high = Math.max(high, v); }
      text += `\noutput over the plot: ${low.toPrecision(3)} to ${high.toPrecision(3)}`;
    }
    return text;
  }

  show(event, text) {
    const tip = this.tooltip;
    tip.textContent = text;
    tip.hidden = false;
    // beside the pointer, on whichever side has room
    const right = event.clientX + 14 + tip.offsetWidth > window.innerWidth;
    tip.style.left = `${right ? event.clientX - 14 - tip.offsetWidth : event.clientX + 14}px`;
    tip.style.top = `${event.clientY + 10}px`;
  }

  hide() {
    this.tooltip.hidden = true;
  }
}

// a name cut to fit `room` pixels of 10 px text (about 5.6 px a character)
function shorten(name, room = LABELS) {
  const most = Math.max(4, Math.floor(room / 5.6));
  return name.length > most ? `${name.slice(0, most - 1)}…` : name;
}
