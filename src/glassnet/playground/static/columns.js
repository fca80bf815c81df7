// The column list: a tick box per column of the table, like TensorFlow
// Playground's feature toggles. Unticking a column leaves it out of the
// inputs (the table pipeline's `ignore`); the target, and the columns the
// pipeline left out itself (see the notes), cannot be ticked.
//
// showColumns(holder, data, onChange): data is the server's description
// (columns, target, settings.ignore, features used); onChange(ignore) gets
// the new list of columns left out.

const LONGEST = 22;

function shorten(name) {
  return name.length > LONGEST ? `${name.slice(0, LONGEST - 1)}…` : name;
}

export function showColumns(holder, data, onChange) {
  holder.replaceChildren();
  const ignore = data.settings.ignore || [];
  const used = new Set(data.features);
  for (const name of data.columns || []) {
    const row = document.createElement("label");
    row.className = "column";
    row.title = name;
    const box = document.createElement("input");
    box.type = "checkbox";
    box.value = name;
    const text = document.createElement("span");
    text.textContent = shorten(name);
    if (name === data.target) {
      box.checked = true;
      box.disabled = true;
      text.textContent += " (target)";
    } else if (ignore.includes(name)) {
      box.checked = false;
    } else if (!used.has(name)) {
      // left out by the table pipeline (empty, constant, like an identifier): the notes say why
      box.checked = false;
      box.disabled = true;
      row.classList.add("left-out");
      row.title = `${name}: left out of the inputs (see the notes)`;
    } else {
      box.checked = true;
    }
    box.onchange = () => {
      const next = box.checked ? ignore.filter((other) => other !== name) : [...ignore, name];
      onChange(next);
    };
    row.append(box, text);
    holder.appendChild(row);
  }
}
