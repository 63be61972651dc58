// Array helpers that hold at any size: `a.push(...b)` and `Math.max(...b)` pass every item as an
// argument, and past ~100k items that is "Maximum call stack size exceeded".

/** Appends every item of `items` to `target` (in place) and returns `target`. */
export function append<T>(target: T[], items: Iterable<T>): T[] {
  if (Array.isArray(items)) {
    // By index: over a million-record array, `for...of` makes an iterator result for each item.
    for (let i = 0; i < items.length; i++) target.push(items[i] as T);
  } else {
    for (const item of items) target.push(item);
  }
  return target;
}

/** The largest of `values`, or `floor` when there are none (or all are smaller). */
export function maxOf(values: Iterable<number>, floor = -Infinity): number {
  let max = floor;
  for (const v of values) if (v > max) max = v;
  return max;
}
