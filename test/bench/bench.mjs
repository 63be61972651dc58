// `npm run bench`: a benchmark, not a test. Measures what a user sees — wall time of the whole
// command and the whole process's peak RSS (both threads) — on generated data of stated shapes:
//   - a realistic incident log: a unique reference per row, 6 years, 192 series (16 units ×
//     6 categories × 2 statuses), rows in random order, some quoted fields; `summary --by month`
//     against Miller and a minimal Node scan of the same bytes, run in turns (A B C, A B C, …);
//   - the same shape with more rows (peak RSS flat in rows; `--scale` goes to 10M rows);
//   - a wide log (~4M series-days: 1,800 series over 6 years): peak RSS per series-day;
//   - answer records (long layout) in two overlapping answers, 10k, 100k and 1M records:
//     `compare`, time per record (linear?) and peak RSS;
//   - cold starts: `node -e 0`, `assetloss --version`, `compare` on the built-in dataset;
//   - our CSV tokenizer and day numbers against csv-parse and date-fns (test/bench/deps.mjs).
// It checks the tool's monthly sums equal what the generator wrote. Options: --rows N (1M),
// --runs N (5), --start-runs N (15), --scale (adds the 10M-row log).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generate } from './generate.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '../..');
const args = process.argv.slice(2);
const flag = (name, fallback) => {
  const i = args.indexOf(name);
  return i === -1 ? fallback : args[i + 1];
};
const rows = Number(flag('--rows', 1_000_000));
const runs = Number(flag('--runs', 5));
const startRuns = Number(flag('--start-runs', 15));
const cli = join(root, 'bin/assetloss.js');
const scan = join(root, 'test/bench/minimal-scan.mjs');
const records = join(root, 'test/bench/gen-records.mjs');
const timeBin = existsSync('/usr/bin/time') ? '/usr/bin/time' : undefined;
const dir = join(root, '.bench');
mkdirSync(dir, { recursive: true });

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

/**
 * One run: wall time (ms) and the whole process's peak RSS (MB, all threads), by /usr/bin/time
 * when there is one (else no RSS); throws when the command fails.
 */
function runOnce(cmd, argv) {
  const full = timeBin ? [timeBin, ['-f', 'bench-peak-kb %M', cmd, ...argv]] : [cmd, argv];
  const t0 = process.hrtime.bigint();
  const r = spawnSync(full[0], full[1], { encoding: 'utf8', maxBuffer: 1 << 28 });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  if (r.status !== 0) throw new Error(`${cmd} ${argv.join(' ')} failed (${r.status}): ${r.stderr.slice(0, 500)}`);
  const m = /bench-peak-kb (\d+)/.exec(r.stderr);
  return { ms, mb: m ? Number(m[1]) / 1024 : NaN, stdout: r.stdout };
}

/**
 * The median time and peak of n runs of each command, run in turns so that a machine getting
 * busier or quieter during the run weighs on all of them alike: their ratios are what count.
 */
function inTurns(commands, n) {
  const times = commands.map(() => []);
  const peaks = commands.map(() => []);
  const last = [];
  for (const [cmd, argv] of commands) runOnce(cmd, argv); // warm the file cache
  for (let i = 0; i < n; i++) {
    commands.forEach(([cmd, argv], k) => {
      last[k] = runOnce(cmd, argv);
      times[k].push(last[k].ms);
      peaks[k].push(last[k].mb);
    });
  }
  return commands.map((_, k) => ({ ms: median(times[k]), mb: Math.max(...peaks[k]), stdout: last[k].stdout }));
}

const fmt = (ms) => `${(ms / 1000).toFixed(3)} s`;
const mbText = (mb) => (Number.isNaN(mb) ? 'peak n/a' : `peak ${mb.toFixed(0)} MB`);
const line = (label, value) => console.log(`${label.padEnd(52)} ${value}`);
const tool = (...argv) => [process.execPath, [cli, ...argv]];

async function log(name, n, shape) {
  const file = join(dir, `${name}-${n}.csv`);
  const t0 = Date.now();
  const g = await generate(file, n, 42, shape);
  const seriesDays = g.series * g.days;
  console.log(`${name}: ${n.toLocaleString('en-GB')} rows, ${(g.bytes / 1e6).toFixed(1)} MB, ${g.series} series × ${g.days} days = ${seriesDays.toLocaleString('en-GB')} series-days${shape.reference ? ', a unique reference column' : ''} (generated in ${((Date.now() - t0) / 1000).toFixed(1)} s)`);
  return { file, ...g, seriesDays };
}

function checkSums(csv, sums) {
  // summary -f csv: period,start,end, then <category>,<category>_min,<category>_max for each
  // category, total…, complete, status, note; compare the categories' exact cells.
  const [head, ...body] = csv.trim().split('\n');
  const cols = head.split(',');
  let checked = 0;
  for (const row of body) {
    const cells = row.split(',');
    if (cells[0] === 'total') continue;
    for (let c = 3; c < cols.length - 1; c++) {
      if (/_(min|max)$/.test(cols[c]) || ['total', 'complete', 'status', 'note'].includes(cols[c])) continue;
      const want = sums.get(`${cells[1].slice(0, 7)}|${cols[c]}`) ?? 0;
      const got = cells[c] === '' ? 0 : Number(cells[c]);
      if (want !== got) throw new Error(`summary ${cells[0]} ${cols[c]}: tool says ${got}, generator wrote ${want}`);
      checked++;
    }
  }
  return checked;
}

console.log(`assetloss benchmark — ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}${timeBin ? '' : ' (no /usr/bin/time: no peak RSS)'}`);
const realistic = { years: 6, units: 16, reference: true };
const mlr = spawnSync('mlr', ['--version'], { encoding: 'utf8' });
const mlrArgs = (file) => ['--icsv', '--ocsv', 'fill-empty', '-v', '1', 'then', 'put', '$month=substr0($date,0,6)', 'then', 'stats1', '-a', 'sum', '-f', 'quantity', '-g', 'month,category', file];
const summaryArgs = (file) => ['summary', '--by', 'month', '-i', file, '-f', 'csv', '-q'];

// 1. The realistic log: the tool, Miller and a minimal scan, in turns.
const real = await log('realistic', rows, realistic);
const [summary, floor, m] = inTurns([
  tool(...summaryArgs(real.file)),
  [process.execPath, [scan, real.file]],
  ...(mlr.status === 0 ? [['mlr', mlrArgs(real.file)]] : []),
], runs);
const checked = checkSums(summary.stdout, real.sums);
line(`summary --by month, ${rows.toLocaleString('en-GB')} rows`, `${fmt(summary.ms)}  ${(rows / (summary.ms / 1000) / 1e6).toFixed(2)} M rows/s  ${mbText(summary.mb)}`);
line('  answers equal the generator\'s', `${checked} month × category cells checked`);
line('  minimal Node scan of the same bytes', `${fmt(floor.ms)}  ${mbText(floor.mb)}  → tool ${(summary.ms / floor.ms).toFixed(2)}× (target ≤ 2×)`);
if (m) {
  line(`  Miller (${mlr.stdout.trim()}), same aggregation`, `${fmt(m.ms)}  ${mbText(m.mb)}  → tool ${(summary.ms / m.ms).toFixed(2)}× (target ≤ 0.3×)`);
} else {
  line('  Miller', 'not installed (apt-get install miller) — no ratio');
}
const compareArgs = (file) => ['compare', '2024-01..2024-06', '2023-01..2023-06', '--by', 'category', '-i', file, '-f', 'csv', '-q'];
const [cmp] = inTurns([tool(...compareArgs(real.file))], Math.max(1, Math.floor(runs / 2)));
line('compare 2024-H1 vs 2023-H1 --by category', `${fmt(cmp.ms)}  ${mbText(cmp.mb)}`);

// 2. Peak RSS in rows (the same shape, more rows), and in series × days (the wide log).
const more = [rows * 3, ...(args.includes('--scale') ? [rows * 10] : [])];
for (const n of more) {
  const big = await log('realistic', n, realistic);
  const [t] = inTurns([tool(...summaryArgs(big.file))], 1);
  checkSums(t.stdout, big.sums);
  line(`summary --by month, ${n.toLocaleString('en-GB')} rows`, `${fmt(t.ms)}  ${mbText(t.mb)}  (${(t.mb - summary.mb >= 0 ? '+' : '')}${(t.mb - summary.mb).toFixed(0)} MB on ${rows.toLocaleString('en-GB')} rows)`);
}
const wide = await log('wide', rows, { years: 6, units: 150, reference: true });
const [w] = inTurns([tool(...summaryArgs(wide.file))], Math.max(1, Math.floor(runs / 2)));
checkSums(w.stdout, wide.sums);
const perDay = ((w.mb - summary.mb) * 2 ** 20) / (wide.seriesDays - real.seriesDays);
line(`summary --by month, wide log`, `${fmt(w.ms)}  ${mbText(w.mb)}  → ${perDay.toFixed(1)} bytes per series-day beyond the realistic log (target ≤ 8)`);

// 3. Answer records (long layout), two overlapping answers: compare, linear in records?
const perRecord = [];
for (const n of [10_000, 100_000, 1_000_000]) {
  const out = join(dir, `records-${n}`);
  if (!existsSync(join(out, 'a.csv'))) spawnSync(process.execPath, [records, 'months', String(n), out], { encoding: 'utf8' });
  const lines = (f) => readFileSync(join(out, f), 'utf8').split('\n').filter((l) => l && !l.startsWith('#')).length - 1;
  const count = lines('a.csv') + lines('b.csv');
  const argv = ['compare', '2024-01..2024-06', '2023-01..2023-06', '-i', join(out, 'a.csv'), '-i', join(out, 'b.csv'), '--aliases', join(out, 'aliases.json'), '-f', 'csv', '-q'];
  const [t] = inTurns([tool(...argv)], n >= 1_000_000 ? Math.max(1, Math.floor(runs / 2)) : runs);
  perRecord.push(t.ms / count);
  line(`compare, ${n.toLocaleString('en-GB')} answer records (2 overlapping answers)`, `${fmt(t.ms)}  ${((t.ms * 1000) / count).toFixed(2)} µs/record  ${mbText(t.mb)}${n >= 1_000_000 ? '  (target ≤ 2 s)' : ''}`);
}

// 4. Cold starts, in turns.
const [base, version, builtin] = inTurns([
  [process.execPath, ['-e', '0']],
  tool('--version'),
  tool('compare', '2025-01-01..2025-02-27', '2023..2024', '--category', 'phone', '-q', '-f', 'csv'),
], startRuns);
line('cold start: node -e 0', fmt(base.ms));
line('cold start: assetloss --version', `${fmt(version.ms)}  ${(version.ms / base.ms).toFixed(2)}× node  (target ≤ 1.3×)`);
line('cold start: compare on the built-in dataset', `${fmt(builtin.ms)}  ${(builtin.ms / base.ms).toFixed(2)}× node  (target ≤ 1.5×)`);
if (!existsSync(cli)) process.exitCode = 1;

// 5. The project's own CSV tokenizer and day arithmetic against the packages they stand in for.
const deps = spawnSync(process.execPath, [join(root, 'test/bench/deps.mjs'), real.file], { encoding: 'utf8' });
process.stdout.write(deps.stdout);
if (deps.status !== 0) throw new Error(`deps.mjs failed: ${deps.stderr.slice(0, 500)}`);
