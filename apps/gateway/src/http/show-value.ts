// How an error message shows the value it refuses: short, and never a crash. JSON.stringify recurses, so
// a deeply nested body (well within the size limit) would overflow the stack while building a 400; and
// JSON numbers past the largest double parse as Infinity, which JSON.stringify writes as "null".

const MAX_SHOWN = 60;

export function showValue(value: unknown): string {
  if (typeof value === 'number' && !Number.isFinite(value)) {
    return Number.isNaN(value) ? 'NaN' : `${value < 0 ? '-' : ''}a number too large to represent (beyond ±1.8e308, such as 1e400)`;
  }
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    // RangeError (nested too deeply) or a cycle: describe it instead of showing it.
    return Array.isArray(value) ? 'an array nested too deeply to show' : 'an object nested too deeply to show';
  }
  return text.length > MAX_SHOWN ? `${text.slice(0, MAX_SHOWN)}…` : text;
}
