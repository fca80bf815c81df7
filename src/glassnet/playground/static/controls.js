// The training settings' controls, built from the server's description of
// the parameter table (the `controls` of its hello): a number box, a menu or
// a tick box per setting, labelled, with the setting's meaning on hover.
// A setting added to the table gets its control here with no change to the page.
//
// const panel = new Controls(holder, controls, (name, value) => ...);
// panel.show(settings) puts the settings in the controls.

// where a control's test id differs from its name: learning_rate -> learning-rate
const testId = (name) => name.replace(/_/g, "-");

const EFFECT = {
  live: "applies to the running network at once, without a reset",
  reset: "starts again from epoch 0",
  data: "draws the data again and starts from epoch 0",
};

export class Controls {
  constructor(holder, controls, onChange) {
    this.holder = holder;
    this.controls = controls;
    this.inputs = {};
    holder.replaceChildren();
    for (const control of controls) {
      const label = document.createElement("label");
      label.title = `${control.doc}\n(${EFFECT[control.effect] || control.effect})`;
      label.dataset.effect = control.effect;
      label.append(control.label);
      const input = this.input(control, onChange);
      input.id = control.name;
      input.dataset.testid = testId(control.name);
      label.append(input);
      holder.appendChild(label);
      this.inputs[control.name] = { input, label, control };
    }
  }

  input(control, onChange) {
    if (control.kind === "select") {
      const select = document.createElement("select");
      select.replaceChildren(...control.options.map((name) => new Option(name, name)));
      select.onchange = () => onChange(control.name, select.value);
      return select;
    }
    const input = document.createElement("input");
    if (control.kind === "checkbox") {
      input.type = "checkbox";
      input.onchange = () => onChange(control.name, input.checked);
      return input;
    }
    input.type = "number";
    input.step = control.integer ? "1" : "any";
    if (control.min !== undefined && control.min !== null) input.min = control.min;
    if (control.max !== undefined && control.max !== null) input.max = control.max;
    // an empty or half-typed box is sent as typed: the server says what it takes
    input.onchange = () => onChange(control.name, input.value === "" ? input.value : Number(input.value));
    return input;
  }

  // show `settings` in the controls; an optimiser's own settings only with that optimiser
  show(settings) {
    for (const { input, label, control } of Object.values(this.inputs)) {
      const value = settings[control.name];
      if (control.kind === "checkbox") input.checked = Boolean(value);
      else input.value = value ?? "";
      label.hidden = Boolean(control.optimizers) && !control.optimizers.includes(settings.optimizer);
    }
  }
}
