// Axis ticks: round values (1, 2 or 5 × 10^k apart) and labels that always
// differ from their neighbours, whatever the span (0.3410 to 0.3412 reads
// 0.3410, 0.3411, 0.3412, never 0.341 0.341 0.341).

// the step between about `count` round values over [low, high]; `integer` keeps it whole
export function step(low, high, count = 5, integer = false) {
  const span = Math.abs(high - low);
  const raw = span > 0 && Number.isFinite(span) ? span / count : Math.abs(low) / 10 || 1;
  const power = 10 ** Math.floor(Math.log10(raw));
  let size = [1, 2, 5, 10].map((m) => m * power).find((s) => s >= raw * (1 - 1e-9)) || raw;
  if (integer) size = Math.max(1, Math.round(size));
  return size;
}

// round values between low and high (both included when they fall on the step)
export function ticks(low, high, count = 5, integer = false) {
  if (!(Number.isFinite(low) && Number.isFinite(high)) || high < low) return [];
  const size = step(low, high, count, integer);
  const values = [];
  for (let k = Math.ceil(low / size - 1e-9); k * size <= high + size * 1e-9; k++) {
    const value = k * size;
    values.push(Math.abs(value) < size * 1e-9 ? 0 : value);
    if (values.length > 100) break;
  }
  return values;
}

// a readable number: 4 significant figures, exponents for the very small or large
export function format(value) {
  if (value === null || value === undefined || !Number.isFinite(value)) return "–";
  const magnitude = Math.abs(value);
  if (magnitude !== 0 && (magnitude < 1e-3 || magnitude >= 1e5)) return value.toExponential(2);
  return Number(value.toPrecision(4)).toString();
}

// labels for tick values: the fewest digits that tell every neighbour apart
export function labels(values) {
  if (values.length === 0) return [];
  const finite = values.filter(Number.isFinite);
  const largest = Math.max(...finite.map(Math.abs), 0);
  let gap = Infinity;
  for (let i = 1; i < values.length; i++) gap = Math.min(gap, Math.abs(values[i] - values[i - 1]));
  const scientific = largest >= 1e5 || (largest > 0 && largest < 1e-3);
  for (let digits = 0; digits <= 12; digits++) {
    const shown = values.map((v) => (!Number.isFinite(v) ? "–" : scientific
      ? v.toExponential(Math.max(digits, 1)) : v.toFixed(digits)));
    if (new Set(shown).size === shown.length && (gap === Infinity || digits >= decimals(gap, scientific))) {
      return shown.map((text) => text.replace(/^-(0(\.0+)?(e[+-]?\d+)?)$/, "$1"));
    }
  }
  return values.map(String);
}

// the decimals a step needs (0.25 needs 2, 5 needs 0)
function decimals(gap, scientific) {
  if (scientific || !(gap > 0)) return 0;
  for (let d = 0; d <= 12; d++) if (Math.abs(Math.round(gap * 10 ** d) - gap * 10 ** d) < 1e-6) return d;
  return 12;
}
