// `summary` as a report. Machine rows (csv, tsv, ndjson, json `rows`) have the same columns
// whatever the data: [dimension,] period, start, end, then for each column value `<v>`, `<v>_min`,
// `<v>_max`, then `total`, `total_min`, `total_max`, `complete`, `status`, `note`. No data is
// empty, never 0; a range leaves `<v>` empty with its bounds beside it. The totals row is the sum
// of the rows. Human formats hide the columns and the leading and trailing rows with no data at
// all (saying so), mark partial figures `*`, and say in a note why a row is blank.
import { figureFlags, PER_DAYS, type PerUnit, statusText, type FigureFlag } from '../engine/compare.js';
import type { SummaryResult, SummaryRow } from '../engine/summary.js';
import type { Caveat, RecordRef, TotalResult } from '../engine/total.js';
import { caveatIdentity, describeCaveat, leftOutRecords, range } from './caveats.js';
import { type Cell, type Column, humanNumber, type Report, dimensionKey } from './report.js';

const isDimension = (by: string) => ['category', 'department', 'status', 'unit'].includes(by);

function human(t: TotalResult): string {
  if (!t.has_data) return '';
  const value = t.total !== null ? humanNumber(t.total) : `${humanNumber(t.total_min!)}–${t.total_max === null ? '?' : humanNumber(t.total_max)}`;
  return `${value}${t.covered_days < t.days ? '*' : ''}${t.estimate ? '~' : ''}${t.approximate ? '≈' : ''}`;
}

/** Caveats that the table itself already shows (empty and starred cells) or that only concern rates. */
const SHOWN_BY_TABLE = new Set(['GAP', 'NO_DATA', 'UNEVEN_COVERAGE']);

export interface SummaryViewOptions {
  /** Leave out the totals row and the total columns (--no-total). */
  noTotal?: boolean;
  /** The rate unit of rows over their own periods (--own-periods): default day. */
  per?: PerUnit;
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** A row's total per unit of time, over the days its figures cover (no rate when they cover none, or uneven days). */
function rateOf(t: TotalResult, per: PerUnit): { rate: number | null; rate_min: number | null; rate_max: number | null } {
  const days = t.rate_days;
  if (!t.has_data || !days) return { rate: null, rate_min: null, rate_max: null };
  const f = (n: number | null) => (n === null ? null : (n / days) * PER_DAYS[per]);
  return { rate: f(t.total), rate_min: f(t.total_min), rate_max: f(t.total_max) };
}

function rowCaveats(r: SummaryRow): Caveat[] {
  return [...r.cells.values(), r.total].flatMap((t) => t.caveats);
}

/** Why a row with no figure at all is blank, in words. */
function blankReason(r: SummaryRow): string {
  const left = new Map<string, RecordRef>();
  for (const x of leftOutRecords(rowCaveats(r))) left.set(`${x.label}|${x.start}|${x.end}`, x);
  if (left.size === 0) return 'no data (not zero)';
  const labels = [...left.values()].map((x) => `"${x.label}" (${range(x.start, x.end)})`);
  const shown = labels.length > 2 ? `${labels.slice(0, 2).join(', ')} and ${labels.length - 2} more` : labels.join(' and ');
  return `no figure fits this period: the figures for ${shown} cross its boundaries and are left out (--partial exclude)`;
}

/** The `note` cell: why a row is blank, or which of its figures are partial, ranges or estimates. */
function noteOf(r: SummaryRow, keys: string[]): string {
  const cells = keys.map((k) => [k, cellOf(r, k)] as const);
  const withData = cells.filter(([, t]) => t.has_data);
  if (withData.length === 0) return blankReason(r);
  const parts: string[] = [];
  const partial = withData.filter(([, t]) => t.covered_days < t.days);
  const byCover = new Map<string, string[]>();
  for (const [k, t] of partial) byCover.set(`${t.covered_days} of ${t.days} days`, [...(byCover.get(`${t.covered_days} of ${t.days} days`) ?? []), k]);
  if (partial.length === withData.length && byCover.size === 1) parts.push(`the figures cover ${[...byCover.keys()][0]}`);
  else if (partial.length) parts.push(`part of the period has no figure: ${[...byCover].map(([cover, ks]) => `${ks.join(', ')} ${ks.length === 1 ? 'covers' : 'cover'} ${cover}`).join('; ')}`);
  const ranges = withData.filter(([, t]) => t.total === null && !t.estimate).map(([k]) => k);
  if (ranges.length) parts.push(`suppressed cells make a range: ${ranges.join(', ')}`);
  const estimates = withData.filter(([, t]) => t.estimate).map(([k]) => k);
  if (estimates.length) parts.push(`estimates (pro rata): ${estimates.join(', ')}`);
  return parts.join('; ');
}

/** The row's own keys, which a column value must not take. */
const FIXED_KEYS = ['period', 'start', 'end', 'days', 'total', 'total_min', 'total_max', 'rate', 'rate_min', 'rate_max', 'complete', 'status', 'note'];

/**
 * The key of each column value: the value itself, unless it or its `_min`/`_max` is taken, by
 * the row's own keys, the --by dimension or another column's bounds. Then `<dimension>_<value>`
 * (a unit called "total" is `unit_total`), with a number after it if need be: data never
 * overwrites a cell.
 */
function columnKeys(result: SummaryResult, dim: string | undefined): { keyOf: Map<string, string>; renamed: [string, string][] } {
  const taken = new Set(FIXED_KEYS);
  if (dim) taken.add(dim);
  const keyOf = new Map<string, string>();
  const renamed: [string, string][] = [];
  const fits = (key: string) => !taken.has(key) && !taken.has(`${key}_min`) && !taken.has(`${key}_max`);
  for (const value of result.columns) {
    let key = value;
    if (!fits(key)) {
      key = `${result.columnDimension}_${value}`;
      for (let n = 2; !fits(key); n++) key = `${result.columnDimension}_${value}_${n}`;
      renamed.push([value, key]);
    }
    for (const k of [key, `${key}_min`, `${key}_max`]) taken.add(k);
    keyOf.set(value, key);
  }
  return { keyOf, renamed };
}

export function summaryReport(given: SummaryResult, options: SummaryViewOptions = {}): Report {
  const { keyOf, renamed } = columnKeys(given, isDimension(given.by) ? given.by : undefined);
  const v = viewOf(given, keyOf, options);
  const { result, dim, own, per } = v;
  const rows = v.all.map((r, i) => machineRow(v, r, i));
  const table = humanTable(v);
  const dimTitle = dim ? [{ key: dim, type: 'text' as const }] : [];
  return {
    columns: machineColumns(v),
    rows,
    humanColumns: [
      ...dimTitle, { key: 'period', type: 'text' as const }, ...(own ? [{ key: 'days', type: 'number' as const }] : []),
      ...table.keys.map((k) => ({ key: k, type: 'number' as const })),
      ...(own ? [{ key: 'rate', type: 'number' as const, title: `per ${per}`, digits: 2 }] : []),
      ...(table.numbered ? [{ key: 'note', type: 'text' as const }] : []),
    ],
    humanRows: table.rows,
    emphasis: new Set(v.totals && table.rows.length ? [table.rows.length - 1] : []),
    json: {
      by: result.by,
      columns: given.columns,
      ...(renamed.length ? { renamed_columns: Object.fromEntries(renamed) } : {}),
      rows,
      coverage: coverageOf(v),
      span: result.span ? { start: result.span.period.start, end: result.span.period.end, total: result.span.total.total, total_min: result.span.total.total_min, total_max: result.span.total.total_max } : null,
      caveats: result.caveats.map((c) => ({ ...c, message: describeCaveat(c) })),
    },
    notes: [...table.notes, ...renamed.map(([value, key]) => `the ${result.columnDimension} "${value}" is the column ${key} (${value} is a name the summary uses itself)`)],
  };
}

/** What every part of the report reads: the result with its cells found by their keys, and the options. */
interface View {
  result: SummaryResult;
  /** The column keys, then `total` (unless --no-total). */
  keys: string[];
  /** The totals row (none with --no-total). */
  totals: SummaryRow | null;
  /** The rows, then the totals row. */
  all: SummaryRow[];
  /** The --by dimension's column, when the rows are its values rather than periods. */
  dim: string | undefined;
  /** Rows over their own periods: their days and a rate, so that bodies answering for different periods can be compared. */
  own: boolean;
  per: PerUnit;
}

function viewOf(given: SummaryResult, keyOf: Map<string, string>, options: SummaryViewOptions): View {
  // From here on, cells are found by their keys.
  const remap = (r: SummaryRow): SummaryRow => ({ ...r, cells: new Map([...r.cells].map(([v, t]) => [keyOf.get(v)!, t])) });
  const result: SummaryResult = { ...given, columns: given.columns.map((v) => keyOf.get(v)!), rows: given.rows.map(remap), totals: given.totals && remap(given.totals) };
  const totals = options.noTotal ? null : result.totals;
  return {
    result,
    keys: options.noTotal ? [...result.columns] : [...result.columns, 'total'],
    totals,
    all: totals ? [...result.rows, totals] : [...result.rows],
    dim: isDimension(result.by) ? dimensionKey(result.by) : undefined,
    own: result.ownPeriods,
    per: options.per ?? 'day',
  };
}

const isTotals = (v: View, i: number) => v.totals !== null && i === v.result.rows.length;
const labelOf = (v: View, r: SummaryRow, i: number) => (isTotals(v, i) ? 'total' : r.period.label);
const hasData = (v: View, r: SummaryRow) => v.keys.some((k) => cellOf(r, k).has_data);

function machineColumns({ dim, own, per, keys }: View): Column[] {
  const columns: Column[] = [
    ...(dim ? [{ key: dim, type: 'text' as const }] : []),
    { key: 'period', type: 'text' }, { key: 'start', type: 'date' }, { key: 'end', type: 'date' },
  ];
  if (own) columns.push({ key: 'days', type: 'number' });
  for (const k of keys) columns.push({ key: k, type: 'number' }, { key: `${k}_min`, type: 'number' }, { key: `${k}_max`, type: 'number' });
  if (own) columns.push({ key: 'rate', type: 'number', title: `per ${per}`, digits: 2 }, { key: 'rate_min', type: 'number', digits: 2 }, { key: 'rate_max', type: 'number', digits: 2 });
  columns.push({ key: 'complete', type: 'text' }, { key: 'status', type: 'text' }, { key: 'note', type: 'text' });
  return columns;
}

function machineRow(v: View, r: SummaryRow, i: number): Record<string, Cell> {
  const { dim, own, keys } = v;
  const row: Record<string, Cell> = {};
  if (dim) row[dim] = isTotals(v, i) ? 'total' : r.group ?? null;
  row.period = labelOf(v, r, i);
  row.start = r.period.start;
  row.end = r.period.end;
  if (own) row.days = isTotals(v, i) ? null : r.total.days;
  for (const k of keys) {
    const t = cellOf(r, k);
    row[k] = t.total;
    row[`${k}_min`] = t.total_min;
    row[`${k}_max`] = t.total_max;
  }
  if (own) Object.assign(row, isTotals(v, i) ? { rate: null, rate_min: null, rate_max: null } : rateOf(r.total, v.per));
  const flags: FigureFlag[] = keys.flatMap((k) => figureFlags(cellOf(r, k)));
  const status = statusText(hasData(v, r) ? flags.filter((f) => f !== 'no_data') : ['no_data']);
  row.complete = String(status === 'complete');
  row.status = status;
  row.note = noteOf(r, keys);
  return row;
}

/**
 * The human view: the rows with some figure, from the first to the last (a calendar's leading and
 * trailing rows without one are left out), with the totals row; the columns with some figure;
 * and the notes, in order: no data, markers, blank rows (numbered beside them), what is not shown,
 * the span's own total, caveats.
 */
function humanTable(v: View): { keys: string[]; rows: Record<string, Cell>[]; notes: string[]; numbered: boolean } {
  const { result, keys, totals, dim, all } = v;
  const body = result.rows;
  let first = 0;
  let last = body.length - 1;
  if (!dim) {
    while (first <= last && !hasData(v, body[first]!)) first++;
    while (last >= first && !hasData(v, body[last]!)) last--;
  }
  const shownRows = first > last ? [] : body.slice(first, last + 1);
  const humanAll = totals ? [...shownRows, totals] : shownRows;
  const shownKeys = keys.filter((k) => humanAll.some((r) => cellOf(r, k).has_data));
  const humanKeys = shownKeys.length ? shownKeys : keys;
  const notes: string[] = [];
  if (first > 0 || last < body.length - 1) {
    const runs: string[] = [];
    if (first > 0 && first <= last) runs.push(`${plural(first, 'row')} before ${body[first]!.period.label}`);
    if (last < body.length - 1 && first <= last) runs.push(`${plural(body.length - 1 - last, 'row')} after ${body[last]!.period.label}`);
    if (runs.length) notes.push(`not shown: ${runs.join(' and ')}, with no figure (the first, ${body[0]!.period.label}: ${blankReason(body[0]!)}); -f csv lists every row`);
  }
  const hiddenKeys = keys.filter((k) => !humanKeys.includes(k));
  if (hiddenKeys.length && humanAll.length) notes.push(`no data for ${hiddenKeys.join(', ')} (not zero): those columns are not shown`);
  const blankNotes: string[] = [];
  // A blank row's note is numbered after the no-data and marker notes; its number sits beside the row.
  const noData = all.length === 0 || !all.some((r) => hasData(v, r)) ? result.caveats.filter((c) => c.code === 'NO_DATA').map(describeCaveat) : [];
  const markers = markerNotes(humanAll, humanKeys);
  const rows = humanAll.map((r, i) => {
    const tot = totals !== null && i === humanAll.length - 1;
    const row = humanRow(v, r, tot, humanKeys);
    if (!tot && !hasData(v, r)) {
      blankNotes.push(`${r.group ?? r.period.label}: blank: ${blankReason(r)}`);
      row.note = `[${noData.length + markers.length + blankNotes.length}]`;
    }
    return row;
  });
  const hidden = { periods: new Set([...body.slice(0, first), ...body.slice(last + 1)].map((r) => r.period.label)), blank: new Set(shownRows.filter((r) => !hasData(v, r)).map((r) => r.period.label)) };
  return { keys: humanKeys, rows, notes: [...noData, ...markers, ...blankNotes, ...notes, ...spanNote(v), ...caveatNotes(v, hidden.periods, hidden.blank)], numbered: blankNotes.length > 0 };
}

function humanRow({ dim, own, per }: View, r: SummaryRow, tot: boolean, keys: string[]): Record<string, Cell> {
  const row: Record<string, Cell> = {};
  if (dim) row[dim] = tot ? 'total' : r.group ?? null;
  row.period = tot ? (own ? 'each its own' : 'total') : r.period.label;
  if (own) {
    row.days = tot ? null : r.total.days;
    const rate = tot ? undefined : rateOf(r.total, per);
    row.rate = rate?.rate ?? (rate?.rate_min != null ? `${humanNumber(rate.rate_min, 2)}–${rate.rate_max === null ? '?' : humanNumber(rate.rate_max, 2)}` : null);
  }
  for (const k of keys) row[k] = human(cellOf(r, k));
  return row;
}

/** The totals row is the sum of the rows; the span's own total can be more (coarser figures). */
function spanNote({ result, totals }: View): string[] {
  if (!totals || !result.span) return [];
  const sumT = totals.total;
  const spanT = result.span.total;
  const sameRange = sumT.total_min === spanT.total_min && sumT.total_max === spanT.total_max;
  if (sameRange || !spanT.has_data) return [];
  return [`total is the sum of the rows shown; over ${result.span.period.start}..${result.span.period.end} as a whole the figures give ${human(spanT)} (records coarser than a row, such as whole years beside months, count there and in no row): compare ${result.span.period.start}..${result.span.period.end} for that`];
}

/**
 * The caveats the table does not show. Caveats of rows not shown (`hiddenPeriods`), and the
 * records left out of blank rows (`blankPeriods`), are told by those rows' notes.
 */
function caveatNotes({ result, dim }: View, hiddenPeriods: Set<string>, blankPeriods: Set<string>): string[] {
  const calendar = !dim;
  // An overlap seen in a month, its year and the totals row is one note.
  const seen = new Set<string>();
  return result.caveats
    .filter((c) => !SHOWN_BY_TABLE.has(c.code))
    .filter((c) => !(calendar && hiddenPeriods.has(c.period)) && !(c.code === 'PARTIAL_EXCLUDED' && blankPeriods.has(c.period)))
    .filter((c) => {
      const key = caveatIdentity(c);
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    })
    .map(describeCaveat);
}

/** The cells with a figure for only part of their period, and the days they cover (`-f json`). */
function coverageOf(v: View): Record<string, unknown>[] {
  const { all, keys, dim } = v;
  return all.flatMap((r, i) => keys
    .map((k) => ({ k, t: cellOf(r, k) }))
    .filter(({ t }) => t.has_data && t.covered_days < t.days)
    .map(({ k, t }) => ({
      ...(dim ? { [dim]: isTotals(v, i) ? 'total' : r.group ?? null } : {}),
      period: labelOf(v, r, i), column: k, days: t.days, covered_days: t.covered_days, gaps: t.gaps,
    })));
}

function markerNotes(rows: SummaryRow[], keys: string[]): string[] {
  const cells = rows.flatMap((r) => keys.map((k) => cellOf(r, k))).filter((t) => t.has_data);
  const out: string[] = [];
  if (cells.some((t) => t.covered_days < t.days)) out.push('* part of the period has no figure: the figure covers only the days with figures (-f json lists the gaps)');
  if (cells.some((t) => t.estimate)) out.push('~ an estimate (--partial prorate)');
  if (cells.some((t) => t.approximate)) out.push('≈ an approximate period: the answer gives it only roughly ("in the last year"), so its days are the likeliest ones');
  if (cells.some((t) => t.total === null && !t.estimate)) out.push('a–b: suppressed cells make the figure a range (? when unbounded)');
  return out;
}

function cellOf(r: SummaryRow, key: string): TotalResult {
  return key === 'total' ? r.total : r.cells.get(key)!;
}
