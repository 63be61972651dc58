// A fast-check fuzz of the whole CLI, run in process (helpers/run.ts, so a case costs
// milliseconds, not a node start-up): real answers mutated (fixtures/builtin, fixtures/pq, the
// claims and check fixtures) and generated tables, through every command and format. Whatever the
// input, the run must end 0, 1 or 2; never say "internal error" or print a stack trace; write
// nothing on stdout when it exits 2; finish in bounded time and memory; and keep the row
// accounting (read = accepted + rejected + skipped) with every rejected row named.
// `npm test` runs a few thousand seeded cases; `npm run fuzz -- --runs N --seed S` runs more.
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { runInProcess } from '../helpers/run.js';

const ROOT = join(import.meta.dirname, '../..');

/** The texts mutations start from: every real answer layout the project holds. */
function seeds(): { name: string; text: string }[] {
  const dir = (d: string, ext: RegExp) => readdirSync(join(ROOT, d)).filter((f) => ext.test(f)).map((f) => ({ name: `${d}/${f}`, text: readFileSync(join(ROOT, d, f), 'utf8') }));
  return [
    ...dir('fixtures/builtin', /\.csv$/),
    ...dir('fixtures/pq', /\.json$/),
    ...dir('fixtures/pq/edge', /\.json$/),
    ...dir('test/check', /\.csv$/),
    ...dir('fixtures/csv-spectrum/csvs', /\.csv$/),
  ];
}

export const SEEDS = seeds();
const CLAIMS = readFileSync(join(ROOT, 'fixtures/claims/express-2025-03.yaml'), 'utf8');

/** Pieces that mean something to one reader or another: delimiters, quotes, markup, markers, controls. */
const TOKENS = [
  ',', ';', '\t', '"', '""', '\n', '\r\n', '\r', ' ', '  ', '\u00a0', '\ufeff', '\u0000', '\u001b[2J', '\u001b]0;x\u0007', '\u009b', '\u202e',
  '<td>', '</td>', '<tr>', '</tr>', '<table>', '</table>', '<div>', '<th>', '<sup>1</sup>', '<br>', '&nbsp;', ' colspan="3"', ' rowspan="4"', '<!--', '<p>',
  '{', '}', '[', ']', ':', '": ', 'null', 'true', '1e400', '-0', '9007199254740993', '"answerText": "', '\\u0000', '\\"',
  '=', '+', '-', '@', '＝', '＋', "'", '#', '# department: ', '# year: 2024', '# period: 2024', 'Total', 'Grand total', 'Notes:', 'Source: MoD',
  '<5', '[c]', '..', 'n/a', '(1)', '[r]', '*', '†', '1,234', '12.5', '-3', '0', '00', '٣',
  'January', 'Jan-25', '2024-25', '2023/24', 'FY2023-24', 'From 5 July 24', 'Up to 27 Feb 25', 'December (to 15th)', 'Q1 2025', '2024-07-05..2024-07-31', '45292', 'January 20245',
  'Phones', 'Laptops', 'USB sticks', 'Lost', 'Stolen', 'Royal Navy', 'period', 'category', 'count', 'status', 'unit', 'start', 'end', 'date', 'quantity',
];

const PERIOD_LABELS = ['January 2024', 'Feb-24', '2024-03', 'April', 'From 5 July 24', 'Up to 27 Feb 25', '2023-24', '2023', 'Q1 2025', 'December (to 15th)', 'Total', '', '2024-02-30', 'Jan 2024 (1)', 'July 20241'];
const CATEGORY_LABELS = ['Phones', 'Laptops', 'Computers', 'USB sticks', 'Tablets', 'Hard drives', 'Other', 'Total', 'Mobile phones/BlackBerrys', 'Cost (£)', 'Lost', 'Stolen', 'Widgets', ''];
const COUNTS = ['0', '1', '12', '<5', '[c]', '..', '', 'n/a', '7 [r]', '3*', '1,234', '12.5', '-1', 'x', '5 (1)', '999999999999999999999'];

/** One change to a text, at a place given as a fraction of its length (so it scales to any seed). */
type Mutation =
  | { kind: 'insert'; at: number; text: string }
  | { kind: 'delete'; at: number; length: number }
  | { kind: 'run'; at: number; text: string; times: number }
  | { kind: 'line'; op: 'duplicate' | 'drop' | 'swap' | 'reverse-cells'; at: number; other: number }
  | { kind: 'truncate'; at: number };

const fraction = fc.double({ min: 0, max: 1, noNaN: true });
const insertText = fc.oneof(fc.constantFrom(...TOKENS), fc.string({ maxLength: 12 }), fc.string({ unit: fc.constantFrom(...TOKENS), maxLength: 6 }));

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  { weight: 5, arbitrary: fc.record({ kind: fc.constant('insert' as const), at: fraction, text: insertText }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('delete' as const), at: fraction, length: fc.integer({ min: 1, max: 40 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('run' as const), at: fraction, text: fc.constantFrom(' ', '\n', ',', '<div>', '"', '1', '-', '(', 'a', '\t'), times: fc.integer({ min: 50, max: 3000 }) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('line' as const), op: fc.constantFrom('duplicate' as const, 'drop' as const, 'swap' as const, 'reverse-cells' as const), at: fraction, other: fraction }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('truncate' as const), at: fraction }) },
);

export function mutate(text: string, mutations: Mutation[]): string {
  let t = text;
  for (const m of mutations) {
    const at = Math.floor(('at' in m ? m.at : 0) * t.length);
    if (m.kind === 'insert') t = t.slice(0, at) + m.text + t.slice(at);
    else if (m.kind === 'delete') t = t.slice(0, at) + t.slice(at + m.length);
    else if (m.kind === 'run') t = t.slice(0, at) + m.text.repeat(m.times) + t.slice(at);
    else if (m.kind === 'truncate') t = t.slice(0, at);
    else {
      const lines = t.split('\n');
      const i = Math.floor(m.at * lines.length);
      const j = Math.floor(m.other * lines.length);
      if (i >= lines.length) continue;
      if (m.op === 'duplicate') lines.splice(i, 0, lines[i]!);
      else if (m.op === 'drop') lines.splice(i, 1);
      else if (m.op === 'swap' && j < lines.length) [lines[i], lines[j]] = [lines[j]!, lines[i]!];
      else if (m.op === 'reverse-cells') lines[i] = lines[i]!.split(',').reverse().join(',');
      t = lines.join('\n');
    }
  }
  return t;
}

/** A small answer table of real and odd labels, wide or transposed, CSV or HTML. */
const generatedTable = fc.record({
  metadata: fc.subarray(['# department: Ministry of Defence', '# year: 2024', '# status: lost or stolen', '# answered: 2025-03-06', '# period: 2024'], { maxLength: 3 }),
  corner: fc.constantFrom('Month', 'Period', '', 'Asset type', 'Year'),
  columns: fc.array(fc.oneof(fc.constantFrom(...CATEGORY_LABELS), fc.constantFrom(...PERIOD_LABELS)), { minLength: 1, maxLength: 6 }),
  rows: fc.array(fc.record({ label: fc.oneof(fc.constantFrom(...PERIOD_LABELS), fc.constantFrom(...CATEGORY_LABELS)), cells: fc.array(fc.constantFrom(...COUNTS), { maxLength: 7 }) }), { maxLength: 14 }),
  html: fc.boolean(),
  delimiter: fc.constantFrom(',', ',', ';', '\t'),
}).map((g) => {
  const width = g.columns.length;
  const body = g.rows.map((r) => [r.label, ...Array.from({ length: width }, (_, i) => r.cells[i] ?? '')]);
  if (g.html) {
    const tr = (cells: string[]) => `<tr>${cells.map((c) => `<td>${c.replace(/&/g, '&amp;').replace(/</g, '&lt;')}</td>`).join('')}</tr>`;
    return { text: `<p>Figures:</p><table>${tr([g.corner, ...g.columns])}${body.map(tr).join('')}</table>`, ext: '.html' };
  }
  const quote = (c: string) => (/[",;\t\n]/.test(c) ? `"${c.replace(/"/g, '""')}"` : c);
  const lines = [...g.metadata, [g.corner, ...g.columns].map(quote).join(g.delimiter), ...body.map((cells) => cells.map(quote).join(g.delimiter))];
  return { text: `${lines.join('\n')}\n`, ext: g.delimiter === '\t' ? '.tsv' : '.csv' };
});

const COMMANDS: string[][] = [
  ['validate', '-f', 'json'],
  ['validate', '-f', 'json', '--lenient'],
  ['records', '-f', 'json'],
  ['records', '-f', 'json', '--lenient'],
  ['records', '-f', 'csv'],
  ['records', '-f', 'tsv', '--lenient'],
  ['records', '-f', 'table', '--lenient'],
  ['records', '-f', 'markdown', '--strict'],
  ['summary', '--by', 'quarter', '-f', 'csv', '--lenient'],
  ['summary', '--by', 'category', '-f', 'json'],
  ['summary', '--columns', 'unit', '-f', 'table', '--lenient'],
  ['compare', '2024', '2023', '-f', 'json', '--lenient'],
  ['compare', '2024-01..2024-06', '2023-Q4', '--by', 'category', '-f', 'markdown'],
  ['trend', '-f', 'table', '--lenient'],
  ['trend', '--by', 'quarter', '-f', 'csv'],
];

const EXTRA = fc.subarray([['--year', '2024'], ['--department', 'MOD'], ['--layout', 'wide'], ['--layout', 'long'], ['--partial', 'prorate']], { maxLength: 2 })
  .map((pairs) => pairs.flat());

export interface FuzzCase {
  command: string[];
  extra: string[];
  /** Where the input goes: a file with this extension, or standard input. */
  ext: '.csv' | '.tsv' | '.json' | '.html' | '.txt' | '' | 'stdin';
  text: string;
  /** From which seed (for the reproducer); 'generated' for a generated table, 'claims' for a check case. */
  from: string;
}

const inputCase: fc.Arbitrary<FuzzCase> = fc.oneof(
  { weight: 3, arbitrary: fc.record({ seed: fc.constantFrom(...SEEDS), mutations: fc.array(mutation, { minLength: 0, maxLength: 4 }), ext: fc.constantFrom('keep', 'keep', 'stdin', '.txt', '') }).map(({ seed, mutations, ext }) => {
    const own = /\.\w+$/.exec(seed.name)![0] as FuzzCase['ext'];
    return { text: mutate(seed.text, mutations), ext: ext === 'keep' ? own : ext as FuzzCase['ext'], from: seed.name };
  }) },
  { weight: 2, arbitrary: fc.record({ table: generatedTable, mutations: fc.array(mutation, { maxLength: 2 }), stdin: fc.boolean() }).map(({ table, mutations, stdin }) => ({
    text: mutate(table.text, mutations), ext: (stdin ? 'stdin' : table.ext) as FuzzCase['ext'], from: 'generated',
  })) },
).chain((input) => fc.record({ command: fc.constantFrom(...COMMANDS), extra: EXTRA }).map((c) => ({ ...input, ...c })));

/** A claims file mutated, checked against the built-in dataset. */
const claimsCase: fc.Arbitrary<FuzzCase> = fc.record({
  mutations: fc.array(mutation, { minLength: 1, maxLength: 4 }),
  format: fc.constantFrom('text', 'json', 'junit', 'tap', 'github'),
  ext: fc.constantFrom('.yaml', '.json'),
}).map(({ mutations, format, ext }) => ({ command: ['check', '-f', format], extra: [], ext: ext as FuzzCase['ext'], text: mutate(CLAIMS, mutations), from: 'claims' }));

export const fuzzCase: fc.Arbitrary<FuzzCase> = fc.oneof({ weight: 6, arbitrary: inputCase }, { weight: 1, arbitrary: claimsCase });

export interface CaseResult {
  code: number;
  stdout: string;
  stderr: string;
  ms: number;
}

/** Runs one case in this process, its input in a temporary folder (or on stdin). */
export async function runCase(c: FuzzCase, dir: string): Promise<CaseResult> {
  let args: string[];
  let input: string | undefined;
  if (c.command[0] === 'check') {
    const file = join(dir, `claims${c.ext}`);
    writeFileSync(file, c.text);
    args = [c.command[0], file, ...c.command.slice(1)];
  } else if (c.ext === 'stdin') {
    input = c.text;
    args = [...c.command, '-i', '-', ...c.extra];
  } else {
    const file = join(dir, `input${c.ext}`);
    writeFileSync(file, c.text);
    args = [...c.command, '-i', file, ...c.extra];
  }
  const started = performance.now();
  const r = await runInProcess(args, { input });
  return { ...r, ms: performance.now() - started };
}

/** What must never reach a terminal: C0 controls but the line feed, C1 controls, bidi overrides. */
const ACTIVE = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

/** What every run must hold; the first broken rule, or undefined. */
export function brokenRule(c: FuzzCase, r: CaseResult, maxMs: number): string | undefined {
  if (![0, 1, 2].includes(r.code)) return `exit code ${r.code}`;
  if (/internal error/.test(r.stderr)) return 'internal error on stderr';
  if (/^\s+at .+:\d+:\d+\)?$/m.test(r.stderr) || /node:internal/.test(r.stderr)) return 'stack trace on stderr';
  // check -f junit|tap|github is the exception: a bad claims file is a failing report there, for CI to show.
  const reportsErrors = c.command[0] === 'check' && ['junit', 'tap', 'github'].some((f) => c.command.includes(f));
  if (r.code === 2 && r.stdout !== '' && !reportsErrors) return 'stdout not empty on exit 2';
  if (r.ms > maxMs) return `took ${Math.round(r.ms)} ms (limit ${maxMs})`;
  // Text for people never carries a control character a terminal or a CI log would act on.
  const human = ['table', 'markdown', 'text', 'github'].some((f) => c.command.includes(f));
  for (const [name, text] of [['stderr', r.stderr], ['stdout', human ? r.stdout : '']] as const) {
    const active = ACTIVE.exec(text);
    if (active) return `${name} holds control character U+${active[0].charCodeAt(0).toString(16).padStart(4, '0')}`;
  }
  if (/^::/m.test(r.stderr)) return 'a stderr line starts with "::" (a GitHub Actions command)';
  if (c.command[0] === 'validate' && r.code !== 2) {
    let doc: { inputs: { rows_read: number; rows_accepted: number; rows_rejected: number; rows_skipped: number; layout?: string; rejects: { file?: string; line?: number; message?: string }[] }[] };
    try {
      doc = JSON.parse(r.stdout);
    } catch {
      return 'validate -f json did not write JSON';
    }
    for (const i of doc.inputs) {
      if (i.rows_read !== i.rows_accepted + i.rows_rejected + i.rows_skipped) return `row accounting: read ${i.rows_read} ≠ ${i.rows_accepted} + ${i.rows_rejected} + ${i.rows_skipped}`;
      // Every rejected row named (an incident log lists the first 1,000 and counts the rest).
      const listed = i.rejects.length;
      if (listed !== i.rows_rejected && !(i.layout === 'incidents' && listed === 1000)) return `${i.rows_rejected} rows rejected but ${listed} listed`;
      if (i.rejects.some((x) => !x.file || !x.message)) return 'a rejected row without a file or a message';
    }
  }
  if (c.command[0] === 'records' && c.command.includes('json') && r.code === 0) {
    const doc = JSON.parse(r.stdout) as { records: unknown[]; inputs: { records: number; rows_read: number; rows_accepted: number; rows_rejected: number; rows_skipped: number }[] };
    for (const i of doc.inputs) {
      if (i.rows_read !== i.rows_accepted + i.rows_rejected + i.rows_skipped) return `records -f json: row accounting broken for an input`;
    }
    // --department also filters, so only an unfiltered run writes every record it read.
    if (!c.extra.includes('--department') && doc.records.length !== doc.inputs.reduce((n, i) => n + i.records, 0)) return 'records -f json: records ≠ the inputs\' record counts';
  }
  return undefined;
}

/** A case as a shell reproducer (the input in base64, so control characters survive). */
export function reproducer(c: FuzzCase): string {
  const b64 = Buffer.from(c.text, 'utf8').toString('base64');
  const name = c.command[0] === 'check' ? `claims${c.ext}` : c.ext === 'stdin' ? '' : `input${c.ext}`;
  const args = c.command[0] === 'check' ? [c.command[0], name, ...c.command.slice(1)] : [...c.command, '-i', name || '-', ...c.extra];
  const feed = name ? `echo ${b64} | base64 -d > ${name} && ` : `echo ${b64} | base64 -d | `;
  return `# from ${c.from}\n${feed}node bin/assetloss.js ${args.map((a) => (/^[\w./:-]+$/.test(a) ? a : `'${a}'`)).join(' ')}`;
}

export interface FuzzOptions {
  runs: number;
  seed: number;
  /** Per case, in milliseconds (generous: the machine is shared). */
  maxMs?: number;
  /** Largest resident set size seen, in bytes, before the run fails. */
  maxRss?: number;
}

/** Runs the fuzz; throws (with the seed, the path and a reproducer) on the first broken rule. */
export async function fuzz(options: FuzzOptions): Promise<{ runs: number; codes: Record<number, number> }> {
  const dir = mkdtempSync(join(tmpdir(), 'assetloss-fuzz-'));
  const maxMs = options.maxMs ?? 5_000;
  const maxRss = options.maxRss ?? 1.5 * 2 ** 30;
  const codes: Record<number, number> = {};
  let runs = 0;
  try {
    await fc.assert(fc.asyncProperty(fuzzCase, async (c) => {
      const r = await runCase(c, dir);
      runs++;
      codes[r.code] = (codes[r.code] ?? 0) + 1;
      const broken = brokenRule(c, r, maxMs) ?? (process.memoryUsage.rss() > maxRss ? `resident memory above ${maxRss} bytes` : undefined);
      if (broken) throw new Error(`${broken}\n--- stderr ---\n${r.stderr.slice(0, 2000)}\n--- reproducer ---\n${reproducer(c)}`);
    }), { numRuns: options.runs, seed: options.seed, endOnFailure: true });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return { runs, codes };
}
