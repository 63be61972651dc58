// `node test/bench/deps.mjs [log.csv]`: the two places the project writes its own code instead of
// a package on the design card, measured against that package (a benchmark, not a test):
//  - CSV: our tokenizer (src/io/csv.ts, which streams and knows the line and column of every
//    field) against csv-parse (a development dependency), both on the same log's text, rows out;
//  - days: our integer day numbers (src/engine/dates.ts) against date-fns, parsing a YYYY-MM-DD
//    and counting the days between two dates. date-fns is not a dependency: it is measured when
//    it can be imported (DATE_FNS=/path/to/node_modules/date-fns), else skipped.
// Run by `npm run bench` on the realistic log.
import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { CsvTokenizer } from '../../dist/io/csv.js';
import { dayOf, parseIsoDay } from '../../dist/engine/dates.js';

const file = process.argv[2];
const line = (label, value) => console.log(`${label.padEnd(52)} ${value}`);
const best = (f, n = 3) => { let ms = Infinity; let out; for (let i = 0; i < n; i++) { const t = performance.now(); out = f(); ms = Math.min(ms, performance.now() - t); } return { ms, out }; };

if (file) {
  const text = readFileSync(file, 'utf8');
  const ours = best(() => { const t = new CsvTokenizer(); let rows = 0; for (let i = 0; i < text.length; i += 1 << 16) rows += t.push(text.slice(i, i + (1 << 16))).length; return rows + t.end().length; });
  const theirs = best(() => parse(text, { relax_column_count: true }).length);
  line(`CSV rows: our tokenizer, ${ours.out.toLocaleString('en-GB')} rows`, `${ours.ms.toFixed(0)} ms`);
  line('CSV rows: csv-parse (sync, the whole text)', `${theirs.ms.toFixed(0)} ms  → ours ${(ours.ms / theirs.ms).toFixed(2)}×`);
}

const dates = Array.from({ length: 1_000_000 }, (_, i) => new Date(Date.UTC(2019, 0, 1) + (i % 2192) * 86400000).toISOString().slice(0, 10));
const ourDays = best(() => { let n = 0; for (let i = 1; i < dates.length; i++) n += dayOf(dates[i]) - parseIsoDay(dates[i - 1]); return n; });
line('days between 1M date pairs: ours (day numbers)', `${ourDays.ms.toFixed(0)} ms`);
const where = process.env.DATE_FNS;
if (where) {
  const { parseISO, differenceInCalendarDays } = await import(`${where}/index.js`);
  const theirs = best(() => { let n = 0; for (let i = 1; i < dates.length; i++) n += differenceInCalendarDays(parseISO(dates[i]), parseISO(dates[i - 1])); return n; });
  if (theirs.out !== ourDays.out) throw new Error(`date-fns counted ${theirs.out} days, ours ${ourDays.out}`);
  line('days between 1M date pairs: date-fns', `${theirs.ms.toFixed(0)} ms  → ours ${(ourDays.ms / theirs.ms).toFixed(2)}×`);
}
