// The trace panel: every number of one row's forward and backward pass, laid
// out as `glassnet trace` prints it. Each cell keeps its full-precision
// values in data-values (JSON) and shows them as the terminal does.
// showTrace(panel, trace) fills a DOM element; clearTrace(panel, why) empties it.

const HINT = "Click a data point to see every number of its forward and backward pass: the numbers " +
  "glassnet trace prints.";

function number(value, fixed) {
  return fixed ? value.toFixed(4) : value.toExponential(3);
}

// four decimals unless some value needs scientific notation (as glassnet's _format)
function isFixed(values) {
  const nonzero = values.map(Math.abs).filter((v) => v > 0);
  return nonzero.length === 0 || (Math.min(...nonzero) >= 1e-4 && Math.max(...nonzero) < 1e5);
}

function text(values) {
  if (!Array.isArray(values[0])) {
    const fixed = isFixed(values);
    return values.map((v) => number(v, fixed)).join("  ");
  }
  const fixed = isFixed(values.flat());
  return values.map((row) => row.map((v) => number(v, fixed).padStart(fixed ? 8 : 10)).join(" ")).join("\n");
}

function row(table, cells, section) {
  const tr = table.insertRow();
  if (section) tr.className = "section";
  for (const cell of cells) {
    const td = tr.insertCell();
    if (cell && typeof cell === "object") {
      td.className = "values";
      td.dataset.name = cell.name;
      td.dataset.values = JSON.stringify(cell.values);
      td.textContent = text(cell.values);
    } else {
      td.textContent = cell;
    }
  }
}

function title(panel) {
  panel.replaceChildren();
  const heading = document.createElement("h2");
  heading.textContent = "Trace";
  panel.appendChild(heading);
}

// the panel without a trace: `why` says what happened to the last one (or nothing)
export function clearTrace(panel, why) {
  title(panel);
  const note = document.createElement("p");
  note.className = "note";
  note.textContent = why ? `${why} ${HINT}` : HINT;
  panel.appendChild(note);
}

export function showTrace(panel, trace) {
  title(panel);
  const summary = document.createElement("p");
  summary.dataset.row = trace.row;
  summary.dataset.part = trace.part;
  summary.className = "summary";
  const loss = trace.loss === null ? "–" : trace.loss.toPrecision(6);
  summary.textContent = `row ${trace.row} of the file (${trace.part} part), target ${trace.target} = ${trace.label}; ` +
    `loss ${loss}${trace.l2 ? " (L2 penalty included)" : ""}`;
  // the epoch of the weights traced, when the trace says it
  if (trace.epoch !== undefined) {
    summary.dataset.epoch = trace.epoch;
    summary.textContent += `, with the weights after epoch ${trace.epoch}`;
  }
  panel.appendChild(summary);
  const table = document.createElement("table");
  row(table, ["layer", "", "values"]);
  row(table, ["input", "x", { name: "x", values: trace.x }], true);
  row(table, ["", "", trace.inputs.join(", ")]);
  row(table, ["target", "y", { name: "y", values: trace.y }]);
  let width = trace.x.length;
  for (const layer of trace.layers) {
    const label = `${layer.layer}: ${width} → ${layer.a.length}`;
    const names = [["z", "z"], ["a", "a"], ["delta", "delta"], ["∂loss/∂W", "grad_weights"]];
    if (trace.bias) names.push(["∂loss/∂b", "grad_bias"]);
    names.forEach(([shown, key], i) => {
      const first = i === 0 ? label : i === 1 ? layer.activation : "";
      row(table, [first, shown, { name: `${layer.layer}.${key}`, values: layer[key] }], i === 0);
    });
    width = layer.a.length;
  }
  panel.appendChild(table);
  const legend = document.createElement("p");
  legend.className = "note";
  legend.textContent = "z = a_prev·W + b, a = f(z), delta = ∂loss/∂z, ∂loss/∂W = a_prevᵀ·delta (a row per input)" +
    (trace.l2 ? ` + ${trace.l2}·W (the L2 penalty)` : "") + ", ∂loss/∂b = delta";
  panel.appendChild(legend);
}
