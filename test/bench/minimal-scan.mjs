// The floor the benchmark compares with: a minimal Node scan of an incident log (no checks, no
// quotes, no errors), summing quantity by month and category. Usage: node minimal-scan.mjs FILE
import { openSync, readSync } from 'node:fs';

const fd = openSync(process.argv[2], 'r');
const buf = Buffer.allocUnsafe(1 << 20);
const sums = new Map();
let rest = '';
let header, ci, qi;
for (let n; (n = readSync(fd, buf, 0, buf.length, null)) > 0;) {
  const text = rest + buf.toString('latin1', 0, n);
  const lines = text.split('\n');
  rest = lines.pop();
  for (const line of lines) {
    const f = line.split(',');
    if (!header) { header = f; ci = f.indexOf('category'); qi = f.indexOf('quantity'); continue; }
    const key = `${f[0].slice(0, 7)}|${f[ci]}`;
    sums.set(key, (sums.get(key) ?? 0) + (Number(f[qi]) || 1));
  }
}
process.stdout.write(`${sums.size}\n`);
