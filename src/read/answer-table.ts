// An answer's table to records, the same whether it came as CSV, TSV or answer HTML: a pipeline of
// small steps. (1) header: captions above it and one or two header rows; (2) shape: rows as wide
// as the header; (3) axes: what each column and row holds; (4) the table's own facts: the period
// and status its labels leave out, from its caption, its words or its metadata; (5) cells: records,
// rejects and Total checks. Pure: rows in, records and diagnostics out.
import type { Diagnostic } from '../model/diagnostics.js';
import type { AssetRecord } from '../model/model.js';
import { emptyStats, type ReadContext, seriesDefaults, type TableResult } from './table.js';
import { parsePeriodLabel } from '../engine/period.js';
import { resolveCategory } from '../engine/aliases.js';
import type { GridRow, TableInput } from './grid.js';
import { findHeader, type HeaderFound } from './header.js';
import { type Axes, readAxes } from './axes.js';
import { readCells, type TableFacts } from './cells.js';
import { type LabelEnv, readFacets } from './labels.js';
import { periodInSentence, periodInWords, sentencesOf, type WordsResult } from './words.js';

export function readAnswerTable(input: TableInput, ctx: ReadContext): TableResult {
  const result: TableResult = {
    layout: 'wide', records: [], rejects: [], warnings: [], notes: [], totalChecks: [], stats: emptyStats(), headerMapping: {},
  };
  const fail = (d: Diagnostic): TableResult => ({ ...result, fatal: d });
  const { file } = ctx;
  const answered = ctx.metadata.answered?.trim() || undefined;
  const env: LabelEnv = { aliases: ctx.aliases, labelCtx: { year: yearFrom(ctx), answered } };
  // Financial years on an axis make "2023 to 2024" a financial year too.
  if (hasFinancialYears(input.rows, env)) env.labelCtx.financialYearContext = true;

  const found = findHeader(input.rows, file, env, ctx.headerRow, !!input.padShortRows);
  if ('code' in found) return fail(found);
  countAbove(found, result, file);
  shapeRows(found, input, file, env, result.warnings);

  const axes = readAxes(found, file, env);
  if ('code' in axes) return fail(axes);
  for (const n of axes.notes) result.notes.push(n);
  markWrongWidth(found, axes, !!input.padShortRows);
  result.layout = axes.rowRole === 'period' ? 'wide' : 'transposed';
  for (const c of axes.columns) if (c.kind === 'data') result.headerMapping[c.label] = c.facets.category?.value ?? c.facets.status ?? c.facets.period?.label ?? c.label;

  if (axes.rowRole === 'period' && axes.columnRoles.has('period')) {
    return fail({ file, line: found.rows[0]!.line, code: 'BAD_HEADER', message: 'both the rows and the columns are periods', expected: 'periods on one axis' });
  }
  // A table of costs only (no column or row of counts) says so before anything else is asked of it.
  const why = nothingCounted(axes);
  if (why) return fail({ file, line: found.rows[0]!.line, code: 'NO_COUNTS', message: why, expected: 'a column or row of counts of devices' });
  const facts = tableFacts(axes, found, input, ctx, env, result);
  if ('code' in facts) return fail(facts);
  warnUnknown(axes, result, file);

  readCells(axes, facts, ctx, result);
  const wrapped = monthsWrapping(result.records, env, file);
  if (wrapped) return fail(wrapped);
  if (!ctx.metadata.status && result.records.length > 0 && result.records.every((r) => r.series.status === 'lost-or-stolen')) {
    result.notes.push({ file, code: 'AMALGAMATED', message: 'the table does not tell lost from stolen: its figures are lost-or-stolen' });
  }
  return result;
}

/**
 * Months named without a year take the one year the input gives (# year:, --year). In that year
 * they must run one way — January to December, or back — as the table lists them: November,
 * December, January under "# year: 2024" is two years written as one (November 2023 to January
 * 2024, or 2024 to 2025?), and reading January as 2024 would put it before November. An error,
 * naming the first month that turns back.
 */
function monthsWrapping(records: AssetRecord[], env: LabelEnv, file: string): Diagnostic | undefined {
  if (env.labelCtx.year === undefined) return undefined;
  // Each label once: its first record, or null when the label names its year itself.
  const seen = new Map<string, { start: string; line: number; column: number } | null>();
  for (const r of records) {
    const label = r.period.label;
    if (r.period.kind !== 'month' || seen.has(label)) continue;
    seen.set(label, parsePeriodLabel(label, { ...env.labelCtx, year: undefined }).ok ? null : { start: r.period.start, line: r.provenance.line, column: r.provenance.column });
  }
  const months = [...seen].filter((m): m is [string, { start: string; line: number; column: number }] => m[1] !== null)
    .sort((a, b) => a[1].line - b[1].line || a[1].column - b[1].column);
  let direction = 0;
  for (let k = 1; k < months.length; k++) {
    const step = Math.sign(months[k]![1].start.localeCompare(months[k - 1]![1].start));
    if (step === 0) continue;
    if (direction === 0) direction = step;
    else if (step !== direction) {
      const [label, at] = months[k]!;
      const [before] = months[k - 1]!;
      return {
        file, line: at.line, code: 'MONTHS_OUT_OF_ORDER',
        message: `"${label}" after "${before}": months without a year turn back within ${env.labelCtx.year}, the one year given (a table over two years?)`,
        expected: 'each month with its year ("January 2025"), or months in order within the year given',
        got: `${before}, ${label}`,
      };
    }
  }
  return undefined;
}

function yearFrom(ctx: ReadContext): number | undefined {
  if (ctx.year !== undefined) return ctx.year;
  const y = ctx.metadata.year;
  return y && /^\d{4}$/.test(y.trim()) ? Number(y.trim()) : undefined;
}

function hasFinancialYears(rows: GridRow[], env: LabelEnv): boolean {
  const labels = rows.flatMap((r, k) => (k < 3 ? r.fields : [r.fields[0] ?? '']));
  return labels.some((l) => {
    const p = parsePeriodLabel(l, env.labelCtx);
    return p.ok && p.period.kind === 'financial-year';
  });
}

function countAbove(found: HeaderFound, result: TableResult, file: string): void {
  const stats = result.stats;
  for (const a of found.above) {
    stats.rows_read++;
    stats.rows_skipped++;
    if (a.caption) {
      stats.skipped_title++;
      result.notes.push({ file, line: a.row.line, code: 'CAPTION_ROW', message: `caption row above the header skipped: "${a.row.fields.join(' ').trim().slice(0, 60)}"` });
    } else stats.skipped_blank++;
  }
  // A second header row is read (its labels head the columns) and counted as a title row.
  for (let k = 1; k < found.rows.length; k++) {
    stats.rows_read++;
    stats.rows_skipped++;
    stats.skipped_title++;
  }
}

/**
 * Rows as wide as the header. An answer's HTML leaves cells out at a row's end (padded, with a
 * warning) and sometimes runs a label into its first count ("Laptops65": split where exactly one
 * split reads). A CSV row of another width is rejected in step 5.
 */
function shapeRows(found: HeaderFound, input: TableInput, file: string, env: LabelEnv, warnings: Diagnostic[]): void {
  if (!input.padShortRows) return;
  const width = found.width;
  const readsAsLabel = (l: string) => parsePeriodLabel(l, { ...env.labelCtx, year: env.labelCtx.year ?? 2000 }).ok || resolveCategory(env.aliases, l).known;
  for (const row of found.body) {
    let cells = row.fields.slice();
    while (cells.length > width && cells[cells.length - 1]!.trim() === '') cells.pop();
    if (cells.length === width - 1 && width > 1) {
      const split = splitGluedCount(cells[0] ?? '', readsAsLabel);
      if (split) {
        warnings.push({ file, line: row.line, column: 1, code: 'GLUED_COUNT', message: `count glued to its label: "${cells[0]}" read as label "${split.label}" and count ${split.count}` });
        cells = [split.label, split.count, ...cells.slice(1)];
      }
    }
    if (cells.length < width && cells.filter((c) => c.trim() !== '').length > 1) {
      warnings.push({ file, line: row.line, code: 'SHORT_ROW', message: `row has ${cells.length} cell${cells.length === 1 ? '' : 's'}, the header ${width}: the missing cells are read as empty` });
    }
    while (cells.length < width) cells.push('');
    row.fields = cells;
    row.columns = cells.map((_, i) => i + 1);
    row.blank = cells.every((c) => c.trim() === '');
  }
}

/** A data row of another width than the header is damaged: rejected, never truncated. */
function markWrongWidth(found: HeaderFound, axes: Axes, padded: boolean): void {
  const width = padded ? found.width : found.rows[0]!.fields.length;
  for (const r of axes.rows) {
    if (r.kind === 'blank' || r.kind === 'notes' || r.row.fields.length === width) continue;
    if (padded && r.row.fields.length <= width) continue;
    r.kind = 'reject';
    r.reason = `expected ${width} fields, found ${r.row.fields.length}`;
  }
}

/**
 * The period and status the labels leave out. Rows or columns of periods need none; otherwise
 * the input's own `period` (metadata, or its entry in an inputs file), then the table's caption,
 * the answer's words around the table (nearest first), then the question. A phrase relative to
 * the answer ("in the last year") with no answer date known is the reason given if nothing else is.
 */
function tableFacts(axes: Axes, found: HeaderFound, input: TableInput, ctx: ReadContext, env: LabelEnv, result: TableResult): TableFacts | Diagnostic {
  const { file } = ctx;
  const defaults = seriesDefaults(ctx, (code, message) => result.warnings.push({ file, code, message }));
  const facts: TableFacts = { defaults };
  const answered = env.labelCtx.answered;
  const fromLabels = axes.rowRole === 'period' || axes.columnRoles.has('period');
  const words = input.words ?? {};
  const captions = [...(words.caption ? [words.caption] : []), ...found.captions.map((c) => c.text)];
  const candidates: { source: string; find: () => WordsResult }[] = [
    // A caption that is a period ("2010-11") is the caption's; a sentence above the table (as a
    // CSV transcription puts it) is the answer's words, as it is in the answer's HTML.
    ...captions.map((text) => ({ source: readFacets(text, env).period ? 'caption' : 'text', find: () => captionPeriod(text, env, answered) })),
    ...(words.before ? [{ source: 'text', find: () => nearestFirst(words.before!, answered) }] : []),
    ...(words.after ? [{ source: 'text', find: () => periodInWords(words.after!, answered) }] : []),
    ...(words.question ? [{ source: 'question', find: () => periodInSentence(words.question!, answered) }] : []),
  ];
  if (fromLabels) {
    // The labels' periods stand; words that say otherwise are worth a note ("April 2005 to March 2009" over rows from 2004-05).
    for (const text of captions) {
      const w = captionPeriod(text, env, answered);
      if (w?.ok) result.notes.push({ file, code: 'PERIOD_IN_WORDS', message: `the caption says "${w.found.phrase}"; the table's own period labels are used` });
    }
    return facts;
  }
  const stated = ctx.metadata.period;
  if (stated !== undefined) {
    const p = parsePeriodLabel(stated, env.labelCtx);
    if (!p.ok) {
      return { file, line: ctx.metadataLines?.period ?? 0, column: 1, code: 'BAD_METADATA_PERIOD', message: `metadata period: ${p.reason}`, expected: 'a period such as "2024-01-01..2024-12-31" or "2023-24"', got: stated };
    }
    facts.period = p.period;
    facts.periodFrom = { source: 'metadata', phrase: stated };
    return facts;
  }
  let reason: string | undefined;
  for (const c of candidates) {
    const w = c.find();
    if (!w) continue;
    if (!w.ok) { reason ??= w.reason; continue; }
    facts.period = w.found.period;
    facts.periodFrom = { source: c.source, phrase: w.found.phrase };
    result.notes.push({
      file, code: w.found.approximate ? 'PERIOD_APPROXIMATE' : 'PERIOD_FROM_WORDS',
      message: `period ${w.found.period.start}..${w.found.period.end} read from the ${c.source === 'text' ? "answer's words" : c.source}: "${w.found.phrase}"${w.found.approximate ? ' (approximate: the answer does not say which days)' : ''}`,
    });
    return facts;
  }
  return {
    file, line: found.rows[0]!.line, code: 'NO_PERIOD',
    message: reason ?? 'no period in the table or its text: give one as "period:" in the input\'s entry of an inputs file (or "# period:" metadata)',
    expected: 'a period in the labels, a caption, the answer\'s words or the input\'s metadata',
  };
}

function captionPeriod(text: string, env: LabelEnv, answered: string | undefined): WordsResult {
  const f = readFacets(text, env);
  if (f.period) return { ok: true, found: { period: f.period, phrase: text, approximate: !!f.period.approximate } };
  return periodInSentence(text, answered);
}

/** The words before a table, the sentence nearest to it first. */
function nearestFirst(text: string, answered: string | undefined): WordsResult {
  return periodInWords(sentencesOf(text).reverse().join(' '), answered);
}

function warnUnknown(axes: Axes, result: TableResult, file: string): void {
  const header = axes.columns;
  for (const c of header) {
    if (c.kind !== 'data' || c.facets.category?.known || c.facets.status || c.facets.period || c.facets.measure) continue;
    if (axes.rowRole === 'category') {
      c.kind = 'aside';
      result.notes.push({ file, code: 'IGNORED_COLUMN', message: `column "${c.label}" names no status, period or count; kept out of the counts` });
      continue;
    }
    if (c.facets.category) result.warnings.push({ file, code: 'UNKNOWN_CATEGORY', message: `column "${c.label}" is not a known category; kept as "${c.facets.category.value}"` });
  }
  for (const r of axes.rows) {
    if (r.kind !== 'data' || r.facets.category?.known || r.facets.status || r.facets.period || r.facets.measure) continue;
    if (axes.rowRole === 'category' && r.facets.category) {
      result.warnings.push({ file, line: r.row.line, column: r.row.columns[0], code: 'UNKNOWN_CATEGORY', message: `row "${r.label}" is not a known category; kept as "${r.facets.category.value}"` });
    } else if (axes.rowRole === 'status') {
      result.warnings.push({ file, line: r.row.line, column: r.row.columns[0], code: 'UNKNOWN_STATUS', message: `row "${r.label}" is not a known status; kept as written` });
    }
  }
}

/** Why a table gave no records though nothing was rejected: its figures are all of other kinds. */
function nothingCounted(axes: Axes): string | undefined {
  const data = axes.columns.filter((c) => c.kind === 'data');
  const aside = axes.columns.filter((c) => c.kind === 'aside');
  if (data.length === 0 && !axes.labelCounts && aside.length > 0) return `no column of counts: ${aside.map((c) => `"${c.label}"`).join(', ')} ${aside.length === 1 ? 'is a column' : 'are columns'} of ${aside.some((c) => c.facets.measure === 'cost') ? 'costs' : 'other figures'}, not counts`;
  const asideRows = axes.rows.filter((r) => r.kind === 'aside');
  if (asideRows.length > 0 && !axes.rows.some((r) => r.kind === 'data')) return `no row of counts: ${asideRows.map((r) => `"${r.label}"`).join(', ')} hold costs or other figures, not counts`;
  return undefined;
}

/**
 * Old answers sometimes lost the cell boundary between a row's label and its first count
 * ("Laptops65", "January 2024 12"). Split only when the cell does not read as a label as it stands
 * and exactly one split leaves a label that reads and a plain count: "January 202412" could be
 * January + 202412 or January 2024 + 12, so it is not split.
 */
export function splitGluedCount(cell: string, readsAsLabel: (label: string) => boolean): { label: string; count: string } | undefined {
  const text = cell.trim();
  if (readsAsLabel(text)) return undefined;
  // The run of digits and commas at the end, found from the end (a count is at most 12 long).
  let start = text.length;
  while (start > 0 && /[\d,]/.test(text[start - 1]!)) start--;
  if (start === text.length || start === 0 || text.length - start > 12) return undefined;
  const found: { label: string; count: string }[] = [];
  for (let k = start; k < text.length; k++) {
    const label = text.slice(0, k).trim();
    const count = text.slice(k);
    if (!label || label.endsWith(',') || !/^(0|[1-9]\d*|[1-9]\d{0,2}(,\d{3})+)$/.test(count)) continue;
    if (readsAsLabel(label)) found.push({ label, count });
  }
  return found.length === 1 ? found[0] : undefined;
}
