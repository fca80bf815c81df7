// Colours and heat maps: a G×G block of values drawn with putImageData,
// then scaled onto a canvas with smoothing.

export const PALETTE = ["#f59322", "#0877bd", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2",
  "#7f7f7f", "#bcbd22", "#17becf"];
const ORANGE = [245, 147, 34];
const BLUE = [8, 119, 189];
const WHITE = [232, 234, 235];

function rgb(hex) {
  return [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16));
}
const PALETTE_RGB = PALETTE.map(rgb);

function mix(a, b, t) {
  return [a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t, a[2] + (b[2] - a[2]) * t];
}

// -1 (orange) .. 0 (white) .. 1 (blue)
export function diverging(v) {
  if (!Number.isFinite(v)) return [200, 200, 200];
  const t = Math.max(-1, Math.min(1, v));
  return t < 0 ? mix(WHITE, ORANGE, -t) : mix(WHITE, BLUE, t);
}

export function classColour(k) {
  return PALETTE_RGB[k % PALETTE_RGB.length];
}

export function css(colour) {
  return `rgb(${colour.map(Math.round).join(",")})`;
}

// An offscreen G×G canvas holding `colourAt(cell)` for every cell.
export function image(size, colourAt) {
  const canvas = document.createElement("canvas");
  canvas.width = size;
  canvas.height = size;
  const context = canvas.getContext("2d");
  const pixels = context.createImageData(size, size);
  for (let cell = 0; cell < size * size; cell++) {
    const colour = colourAt(cell);
    pixels.data[4 * cell] = colour[0];
    pixels.data[4 * cell + 1] = colour[1];
    pixels.data[4 * cell + 2] = colour[2];
    pixels.data[4 * cell + 3] = 255;
  }
  context.putImageData(pixels, 0, 0);
  return canvas;
}

// One neuron's values over the grid, scaled so that the largest |value| is at most 1.
export function neuronImage(values, size) {
  let largest = 1;
  for (const v of values) if (Math.abs(v) > largest) largest = Math.abs(v);
  return image(size, (cell) => diverging(values[cell] / largest));
}

// The output over the grid: `outputs` holds one block of size² values per output unit.
// Two classes: p(second class) on the diverging scale; more: the likeliest class's colour,
// paler the less sure; regression: the standardised value.
export function outputImage(outputs, units, size, task, valueScale) {
  const n = size * size;
  if (task === "regress") return image(size, (cell) => diverging(outputs[cell] / valueScale));
  if (units === 1) return image(size, (cell) => diverging(2 * outputs[cell] - 1));
  return image(size, (cell) => {
    let best = 0;
    for (let k = 1; k < units; k++) if (outputs[k * n + cell] > outputs[best * n + cell]) best = k;
    const sure = Math.max(0, (outputs[best * n + cell] - 1 / units) / (1 - 1 / units));
    return mix(WHITE, classColour(best), 0.15 + 0.75 * sure);
  });
}

// One class's probability over the grid: white (0) to the class's colour (1).
export function classImage(values, size, k) {
  return image(size, (cell) => mix(WHITE, classColour(k), Math.max(0, Math.min(1, values[cell]))));
}
