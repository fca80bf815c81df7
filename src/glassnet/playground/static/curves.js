// Training and test loss against the epoch, with uPlot (vendored, MIT).
// new Curves(holder) draws into a DOM element; add(epoch, train, test) appends.
// The axes print round, distinct ticks at every epoch: whole epochs across,
// and a loss range padded when the curve is still flat (a single epoch).
import { labels, ticks } from "./ticks.js";

const HEIGHT = 130;

// the loss axis's range: the curve's, padded so that a flat curve still spans a readable range
function lossRange(low, high) {
  if (!(Number.isFinite(low) && Number.isFinite(high))) return [0, 1];
  const pad = high > low ? (high - low) * 0.05 : Math.max(Math.abs(high) * 0.05, 1e-3);
  return [low - pad, high + pad];
}

export class Curves {
  constructor(holder) {
    this.holder = holder;
    // the labels each axis printed last (tests read them)
    this.printed = [[], []];
    this.clear();
  }

  clear() {
    this.epochs = [];
    this.train = [];
    this.test = [];
    if (this.plot) this.plot.destroy();
    const axis = (index, integer) => ({
      size: index === 0 ? 24 : 48,
      font: "10px system-ui",
      splits: (u, _, low, high) => ticks(low, high, index === 0 ? 6 : 5, integer),
      values: (u, values) => (this.printed[index] = labels(values)),
    });
    this.plot = new window.uPlot({
      width: this.width(),
      height: HEIGHT,
      legend: { show: true, live: false },
      cursor: { drag: { x: false, y: false } },
      scales: {
        x: { time: false, range: (u, low, high) => [0, Math.max(1, high ?? 1)] },
        y: { range: (u, low, high) => lossRange(low, high) },
      },
      axes: [axis(0, true), axis(1, false)],
      series: [
        { label: "epoch" },
        { label: "training loss", stroke: "#0877bd", width: 1.5 },
        { label: "test loss", stroke: "#f59322", width: 1.5 },
      ],
    }, [this.epochs, this.train, this.test], this.holder);
  }

  width() {
    return Math.max(200, this.holder.clientWidth || 410);
  }

  // fit the holder's width again (the window changed size)
  resize() {
    this.plot.setSize({ width: this.width(), height: HEIGHT });
  }

  add(epoch, train, test) {
    const last = this.epochs.length - 1;
    if (last >= 0 && this.epochs[last] === epoch) {
      this.train[last] = train;
      this.test[last] = test;
    } else {
      this.epochs.push(epoch);
      this.train.push(train);
      this.test.push(test);
    }
    this.plot.setData([this.epochs, this.train, this.test]);
    // uPlot spans a lone point over 0 to 100: whole epochs from 0 instead
    if (this.epochs.length === 1) this.plot.setScale("x", { min: 0, max: Math.max(1, epoch) });
  }
}
