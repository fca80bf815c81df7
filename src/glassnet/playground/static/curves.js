// Training and test loss against the epoch, with uPlot (vendored, MIT).
export class Curves {
  constructor(holder) {
    this.holder = holder;
    this.clear();
  }

  clear() {
    this.epochs = [];
    this.train = [];
    this.test = [];
    if (this.plot) this.plot.destroy();
    this.plot = new window.uPlot({
      width: this.holder.clientWidth || 410,
      height: 130,
      legend: { show: true, live: false },
      cursor: { drag: { x: false, y: false } },
      scales: { x: { time: false } },
      axes: [{ size: 24, font: "10px system-ui" }, { size: 44, font: "10px system-ui" }],
      series: [
        { label: "epoch" },
        { label: "training loss", stroke: "#0877bd", width: 1.5 },
        { label: "test loss", stroke: "#f59322", width: 1.5 },
      ],
    }, [this.epochs, this.train, this.test], this.holder);
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
  }
}
