// The decision-boundary plot: the output heat map, the training-range box,
// the train and test points, axes in the file's units; click picks a point.
// new Boundary(canvas) draws on a canvas; setData(description), then setOutputs(frame's boundary).
import { classColour, css, diverging, outputImage } from "./heatmap.js";
import { format, labels, ticks } from "./ticks.js";

export { format };

const MARGIN = { left: 54, right: 8, top: 8, bottom: 34 };

export class Boundary {
  constructor(canvas) {
    this.canvas = canvas;
    this.context = canvas.getContext("2d");
    this.data = null;
    this.image = null;
    this.showTest = true;
  }

  get plot() {
    const { width, height } = this.canvas;
    return { x: MARGIN.left, y: MARGIN.top, w: width - MARGIN.left - MARGIN.right, h: height - MARGIN.top - MARGIN.bottom };
  }

  // data coordinates (scaled inputs) -> canvas pixels
  toPixel(x, y) {
    const [x0, x1, y0, y1] = this.data.extent;
    const p = this.plot;
    return [p.x + ((x - x0) / (x1 - x0)) * p.w, p.y + ((y1 - y) / (y1 - y0)) * p.h];
  }

  fromPixel(px, py) {
    const [x0, x1, y0, y1] = this.data.extent;
    const p = this.plot;
    return [x0 + ((px - p.x) / p.w) * (x1 - x0), y1 - ((py - p.y) / p.h) * (y1 - y0)];
  }

  setData(data) {
    this.data = data;
    this.image = null;
    this.draw();
  }

  setOutputs(outputs, units) {
    const d = this.data;
    this.outputs = outputs;
    this.units = units;
    this.image = outputImage(outputs, units, d.boundary_size, d.task, d.value_scale);
    this.draw();
  }

  pointColour(value) {
    const d = this.data;
    if (d.task === "regress") return css(diverging((value - d.target_mean) / d.target_scale / d.value_scale));
    return css(classColour(value));
  }

  draw() {
    const c = this.context;
    const d = this.data;
    c.clearRect(0, 0, this.canvas.width, this.canvas.height);
    if (!d) return;
    const p = this.plot;
    if (this.image) {
      c.imageSmoothingEnabled = true;
      c.drawImage(this.image, p.x, p.y, p.w, p.h);
    }
    // the training range of the two plotted inputs
    const [bx0, bx1, by0, by1] = d.training_box;
    const [ax, ay] = this.toPixel(bx0, by1);
    const [bx, by] = this.toPixel(bx1, by0);
    c.save();
    c.setLineDash([5, 4]);
    c.strokeStyle = "rgba(0,0,0,.55)";
    c.strokeRect(ax, ay, bx - ax, by - ay);
    c.restore();
    const parts = this.showTest ? ["train", "test"] : ["train"];
    for (const part of parts) {
      const points = d[part];
      for (let i = 0; i < points.x.length; i++) {
        const [px, py] = this.toPixel(points.x[i], points.y[i]);
        c.beginPath();
        c.arc(px, py, 3.2, 0, 2 * Math.PI);
        c.fillStyle = this.pointColour(points.value[i]);
        c.fill();
        c.lineWidth = part === "test" ? 1.4 : 0.8;
        c.strokeStyle = part === "test" ? "#000" : "#fff";
        c.stroke();
      }
    }
    if (this.selected) {
      const points = d[this.selected.part];
      const [px, py] = this.toPixel(points.x[this.selected.index], points.y[this.selected.index]);
      c.beginPath();
      c.arc(px, py, 7, 0, 2 * Math.PI);
      c.lineWidth = 2;
      c.strokeStyle = "#000";
      c.stroke();
    }
    this.drawAxes();
  }

  drawAxes() {
    const c = this.context;
    const d = this.data;
    const p = this.plot;
    c.strokeStyle = "#999";
    c.lineWidth = 1;
    c.strokeRect(p.x, p.y, p.w, p.h);
    c.fillStyle = "#555";
    c.font = "10px system-ui, sans-serif";
    const [x0, x1, y0, y1] = d.extent;
    const [ax, ay] = d.axes;
    // round, distinct ticks in the file's units (scaled value × scale + mean)
    c.textAlign = "center";
    const xs = ticks(x0 * ax.scale + ax.mean, x1 * ax.scale + ax.mean);
    const ys = ticks(y0 * ay.scale + ay.mean, y1 * ay.scale + ay.mean);
    // the labels printed on each axis (tests read them)
    this.printed = [labels(xs), labels(ys)];
    this.printed[0].forEach((text, i) => {
      const [px] = this.toPixel((xs[i] - ax.mean) / ax.scale, y0);
      c.fillRect(px, p.y + p.h, 1, 3);
      c.fillText(text, px, p.y + p.h + 13);
    });
    c.fillText(ax.name, p.x + p.w / 2, p.y + p.h + 27);
    c.textAlign = "right";
    this.printed[1].forEach((text, i) => {
      const [, py] = this.toPixel(x0, (ys[i] - ay.mean) / ay.scale);
      c.fillRect(p.x - 3, py, 3, 1);
      c.fillText(text, p.x - 5, py + 3);
    });
    c.save();
    c.translate(10, p.y + p.h / 2);
    c.rotate(-Math.PI / 2);
    c.textAlign = "center";
    c.fillText(ay.name, 0, 0);
    c.restore();
  }

  // the nearest shown point within `radius` pixels of (px, py), or null
  pick(px, py, radius = 10) {
    let best = null;
    let bestDistance = radius * radius;
    for (const part of this.showTest ? ["train", "test"] : ["train"]) {
      const points = this.data[part];
      for (let i = 0; i < points.x.length; i++) {
        const [qx, qy] = this.toPixel(points.x[i], points.y[i]);
        const distance = (qx - px) ** 2 + (qy - py) ** 2;
        if (distance <= bestDistance) {
          bestDistance = distance;
          best = { part, index: i };
        }
      }
    }
    return best;
  }

  // what the plot shows under (px, py), for the tooltip
  describe(px, py) {
    const d = this.data;
    if (!d || !this.outputs) return null;
    const p = this.plot;
    if (px < p.x || px > p.x + p.w || py < p.y || py > p.y + p.h) return null;
    const size = d.boundary_size;
    const col = Math.min(size - 1, Math.round(((px - p.x) / p.w) * (size - 1)));
    const row = Math.min(size - 1, Math.round(((py - p.y) / p.h) * (size - 1)));
    const cell = row * size + col;
    const [x, y] = this.fromPixel(px, py);
    const [ax, ay] = d.axes;
    const lines = [`${ax.name} = ${format(x * ax.scale + ax.mean)}, ${ay.name} = ${format(y * ay.scale + ay.mean)}`];
    const n = size * size;
    if (d.task === "regress") {
      lines.push(`predicted ${d.target} = ${format(this.outputs[cell] * d.target_scale + d.target_mean)}`);
    } else if (this.units === 1) {
      lines.push(`p(${d.classes[1]}) = ${this.outputs[cell].toFixed(3)}`);
    } else {
      for (let k = 0; k < this.units; k++) lines.push(`p(${d.classes[k]}) = ${this.outputs[k * n + cell].toFixed(3)}`);
    }
    const hit = this.pick(px, py, 6);
    if (hit) {
      const points = d[hit.part];
      const value = d.task === "regress" ? format(points.value[hit.index]) : d.classes[points.value[hit.index]];
      lines.push(`${hit.part} row ${points.row[hit.index]}: ${d.target} = ${value} (click to trace)`);
    }
    return lines.join("\n");
  }
}

// The plot's pointer, on the page and in the notebook widget alike: a click
// traces the row drawn under it, hovering shows the values there (in the
// network view's tooltip). ``state.data`` holds the rows' indices per part.
export function bindPointer(canvas, boundary, network, state, send) {
  const canvasPoint = (event) => {
    const box = canvas.getBoundingClientRect();
    return [(event.clientX - box.left) * (canvas.width / box.width), (event.clientY - box.top) * (canvas.height / box.height)];
  };
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
}

// The plot's legend, on the page and in the notebook widget alike: a dot per
// class in its colour (or the target's range, orange low to blue high), then
// the key to the points' rims. ``noteClass`` is the holder's class for notes.
export function drawLegend(holder, d, noteClass) {
  holder.replaceChildren();
  if (d.task === "classify") {
    d.classes.forEach((name, k) => {
      const item = document.createElement("span");
      const dot = document.createElement("i");
      dot.style.background = css(classColour(k));
      item.append(dot, `${d.target} = ${name}`);
      holder.appendChild(item);
    });
  } else {
    holder.textContent = `${d.target}: orange low, blue high (${format(d.value_range[0])} to ${format(d.value_range[1])})`;
  }
  const key = document.createElement("div");
  key.className = noteClass;
  key.textContent = "white rim: training point, black rim: test point, dashed box: training range";
  holder.appendChild(key);
}
