// Seeded incident-log generator for `npm run bench`: one row per lost or stolen device, with the
// sums by month × category it wrote, so the benchmark can check the tool's answers.
import { createWriteStream } from 'node:fs';

const CATEGORIES = ['Mobile phone', 'Laptop', 'USB stick', 'Desktop', 'Tablet', 'External hard drive'];
const CANONICAL = { 'Mobile phone': 'phone', Laptop: 'laptop', 'USB stick': 'usb', Desktop: 'computer', Tablet: 'tablet', 'External hard drive': 'hard-drive' };
const STATUSES = ['lost', 'stolen', 'lost', 'lost', 'stolen'];
const UNITS = ['Army', 'Royal Navy', 'RAF', 'Head Office', '"Defence Equipment and Support, Bristol"', 'Strategic Command'];

/** mulberry32: small, fast, seeded. */
export function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const pad = (n) => String(n).padStart(2, '0');

/**
 * Writes `rows` incidents to `file`; resolves to {bytes, sums: Map('YYYY-MM|category' → n), series}.
 * The shape: `years` from 2019 (rows in random order), `units` units (each × 6 categories × 2
 * statuses a series), and with `reference` a column unique per row (an incident number).
 */
export async function generate(file, rows, seed = 42, { years = 3, units = UNITS.length, reference = false } = {}) {
  const random = rng(seed);
  const start = Date.UTC(years === 3 ? 2022 : 2019, 0, 1);
  const days = Math.round(years * 365.25);
  const unitNames = units === UNITS.length ? UNITS : Array.from({ length: units }, (_, i) => (i % 7 === 3 ? `"Unit ${i}, Site ${i % 13}"` : `Unit ${i}`));
  const out = createWriteStream(file);
  const sums = new Map();
  const series = new Set();
  let bytes = 0;
  let buf = `date,category,quantity,status,department,unit${reference ? ',reference' : ''}\n`;
  for (let i = 0; i < rows; i++) {
    const d = new Date(start + Math.floor(random() * days) * 86400000);
    const date = `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
    const cat = CATEGORIES[Math.floor(random() * random() * CATEGORIES.length)];
    const many = random() < 0.05;
    const qty = many ? 2 + Math.floor(random() * 4) : 1;
    const status = STATUSES[Math.floor(random() * STATUSES.length)];
    const unit = unitNames[Math.floor(random() * unitNames.length)];
    buf += `${date},${cat},${many ? qty : ''},${status},Ministry of Defence,${unit}${reference ? `,INC-${String(i).padStart(8, '0')}-${Math.floor(random() * 1e6)}` : ''}\n`;
    const key = `${date.slice(0, 7)}|${CANONICAL[cat]}`;
    sums.set(key, (sums.get(key) ?? 0) + qty);
    series.add(`${cat}|${status}|${unit}`);
    if (buf.length > 1 << 20) {
      bytes += Buffer.byteLength(buf);
      if (!out.write(buf)) await new Promise((r) => out.once('drain', r));
      buf = '';
    }
  }
  bytes += Buffer.byteLength(buf);
  out.end(buf);
  await new Promise((r) => out.once('finish', r));
  return { bytes, sums, series: series.size, days };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const rows = Number(process.argv[3] ?? 1_000_000);
  const { bytes } = await generate(process.argv[2] ?? 'incidents.csv', rows);
  console.error(`wrote ${rows} rows, ${(bytes / 1e6).toFixed(1)} MB`);
}
