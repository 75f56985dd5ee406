/** How many values `approxChars` looks at before it extrapolates. */
const NODES = 48;

interface Walk {
  nodes: number;
}

/**
 * About how many characters `value` takes as JSON, cheaply (it is read before the value is serialised): strings,
 * numbers and the first few items of arrays and objects are counted, the rest extrapolated. Never throws.
 */
export function approxChars(value: unknown): number {
  if (value === undefined) return 0;
  if (typeof value === "string") return value.length + 2;
  return approx(value, { nodes: 0 }, 0);
}

function approx(value: unknown, w: Walk, depth: number): number {
  w.nodes++;
  switch (typeof value) {
    case "string":
      return value.length + 2;
    case "object":
      break;
    case "undefined":
      return 0;
    default:
      return 8;
  }
  if (value === null) return 4;
  if (depth > 8 || w.nodes > NODES) return 16;
  try {
    if (Array.isArray(value)) {
      const n = value.length;
      let sum = 2;
      let i = 0;
      for (; i < n && w.nodes <= NODES; i++) sum += approx(value[i], w, depth + 1) + 1;
      return i < n && i > 0 ? Math.round((sum * n) / i) : sum;
    }
    let sum = 2;
    let seen = 0;
    for (const key in value) {
      if (w.nodes > NODES) return Math.round(sum * 2);
      sum += key.length + 4 + approx((value as Record<string, unknown>)[key], w, depth + 1);
      seen++;
    }
    return seen === 0 ? 16 : sum;
  } catch {
    return 32;
  }
}
