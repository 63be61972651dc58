// `npm run bench`: a benchmark, not a test. Generates a seeded incident log (1M rows by default,
// `--rows N`), then times, each as the median of several runs in this one process (commands
// compared with each other run in turns):
//   - summary --by month (× category) on the log, and a compare on it;
//   - the same aggregation with Miller, when `mlr` is installed, and the ratio;
//   - cold starts: `node -e 0`, `assetloss --version`, `compare` on the built-in dataset.
// It prints rows/s, MB/s and peak RSS, and checks the tool's sums equal the generator's.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, statSync } from 'node:fs';
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
const rssHook = join(root, 'test/bench/rss.mjs');

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

/** Wall time of one run, in ms; throws when the command fails. */
function timeOnce(cmd, argv, opts = {}) {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(cmd, argv, { encoding: 'utf8', maxBuffer: 1 << 28, ...opts });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  if (r.status !== 0) throw new Error(`${cmd} ${argv.join(' ')} failed (${r.status}): ${r.stderr.slice(0, 500)}`);
  return { ms, stdout: r.stdout, stderr: r.stderr };
}

/**
 * The median of n runs of each command, run in turns (A B C, A B C, …) so that a machine getting
 * busier or quieter during the run weighs on all of them alike: their ratios are what count.
 */
function timeMedians(commands, n) {
  const times = commands.map(() => []);
  const last = [];
  for (const [cmd, argv] of commands) timeOnce(cmd, argv); // warm the file cache
  for (let i = 0; i < n; i++) {
    commands.forEach(([cmd, argv], k) => {
      last[k] = timeOnce(cmd, argv);
      times[k].push(last[k].ms);
    });
  }
  return commands.map((_, k) => ({ ms: median(times[k]), stdout: last[k].stdout }));
}

const timeMedian = (cmd, argv, n) => timeMedians([[cmd, argv]], n)[0];

/** Peak RSS (MB) of the tool on these arguments, reported by the process itself at exit. */
function peakRss(argv) {
  const r = spawnSync(process.execPath, ['--import', rssHook, cli, ...argv], { encoding: 'utf8', maxBuffer: 1 << 28 });
  const m = /assetloss-bench-rss: (\d+)/.exec(r.stderr);
  return m ? Number(m[1]) / 1024 : NaN;
}

const fmt = (ms) => `${(ms / 1000).toFixed(3)} s`;
const line = (label, value) => console.log(`${label.padEnd(44)} ${value}`);

async function dataset(n) {
  const dir = join(root, '.bench');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `incidents-${n}.csv`);
  const t0 = Date.now();
  const { sums } = await generate(file, n);
  console.log(`generated ${n} rows (${(statSync(file).size / 1e6).toFixed(1)} MB) in ${((Date.now() - t0) / 1000).toFixed(1)} s: ${file}`);
  return { file, sums, bytes: statSync(file).size };
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

console.log(`assetloss benchmark — ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}`);
const { file, sums, bytes } = await dataset(rows);
const mb = bytes / 1e6;

const summaryArgs = ['summary', '--by', 'month', '-i', file, '-f', 'csv', '-q'];
// Miller, when installed, runs in turns with the summary it is compared with.
const mlr = spawnSync('mlr', ['--version'], { encoding: 'utf8' });
const mlrArgs = ['--icsv', '--ocsv', 'fill-empty', '-v', '1', 'then', 'put', '$month=substr0($date,0,6)', 'then', 'stats1', '-a', 'sum', '-f', 'quantity', '-g', 'month,category', file];
const [summary, m] = timeMedians([[process.execPath, [cli, ...summaryArgs]], ...(mlr.status === 0 ? [['mlr', mlrArgs]] : [])], runs);
const checked = checkSums(summary.stdout, sums);
const summaryRss = peakRss(summaryArgs);
line(`summary --by month, ${rows} rows`, `${fmt(summary.ms)}  ${(rows / (summary.ms / 1000) / 1e6).toFixed(2)} M rows/s  ${(mb / (summary.ms / 1000)).toFixed(0)} MB/s  peak RSS ${summaryRss.toFixed(0)} MB`);
line('  answers equal the generator\'s', `${checked} month × category cells checked`);

const compareArgs = ['compare', '2024-01..2024-06', '2023-01..2023-06', '--by', 'category', '-i', file, '-f', 'csv', '-q'];
const compare = timeMedian(process.execPath, [cli, ...compareArgs], runs);
line(`compare 2024-H1 vs 2023-H1 --by category`, `${fmt(compare.ms)}  peak RSS ${peakRss(compareArgs).toFixed(0)} MB`);

if (m) {
  line(`Miller (${mlr.stdout.trim()}), same aggregation`, fmt(m.ms));
  line('  assetloss / Miller', `${(summary.ms / m.ms).toFixed(2)}×  (target ≤ 0.5×)`);
} else {
  line('Miller', 'not installed (apt-get install miller) — no ratio');
}

const [base, version, builtin] = timeMedians([
  [process.execPath, ['-e', '0']],
  [process.execPath, [cli, '--version']],
  [process.execPath, [cli, 'compare', '2025-01-01..2025-02-27', '2023..2024', '--category', 'phone', '-q', '-f', 'csv']],
], startRuns);
line('cold start: node -e 0', fmt(base.ms));
line('cold start: assetloss --version', `${fmt(version.ms)}  ${(version.ms / base.ms).toFixed(2)}× node  (target ≤ 1.3×)`);
line('cold start: compare on the built-in dataset', `${fmt(builtin.ms)}  ${(builtin.ms / base.ms).toFixed(2)}× node  (target ≤ 1.6×)`);

if (flag('--scale', undefined) !== undefined || args.includes('--scale')) {
  const big = await dataset(rows * 4);
  const bigArgs = ['summary', '--by', 'month', '-i', big.file, '-f', 'csv', '-q'];
  const t = timeMedian(process.execPath, [cli, ...bigArgs], Math.max(1, Math.floor(runs / 2)));
  checkSums(t.stdout, big.sums);
  line(`summary --by month, ${rows * 4} rows`, `${fmt(t.ms)}  peak RSS ${peakRss(bigArgs).toFixed(0)} MB`);
}
if (!existsSync(cli)) process.exitCode = 1;
