// A record as one flat row: the interchange format of `records` (csv, tsv, json, ndjson), which
// the long reader reads back. Column names are the contract (design §6): snake_case, stable.
import type { z } from 'zod';
import type { AssetRecord, Source } from './model.js';
import type { RecordRowSchema } from './record-row-schema.js';

export const RECORD_COLUMNS = [
  ['source_id', 'text'], ['department', 'text'], ['category', 'text'], ['status', 'text'], ['unit', 'text'], ['item', 'text'],
  ['period', 'text'], ['start', 'date'], ['end', 'date'], ['period_kind', 'text'], ['days', 'number'],
  ['period_approximate', 'text'], ['period_from', 'text'],
  ['count', 'number'], ['count_min', 'number'], ['count_max', 'number'], ['count_kind', 'text'], ['flags', 'list'],
  ['vintage', 'date'], ['uin', 'text'], ['answered', 'date'], ['file', 'text'], ['line', 'number'], ['column', 'number'], ['row_label', 'text'],
  ['column_label', 'text'], ['raw', 'text'],
] as const;

/** The row's type is the zod schema's (record-row-schema.ts): the row is declared once. */
export type RecordRow = z.infer<typeof RecordRowSchema>;

/** Every key of the row, each once, in the schema's terms: a column the schema lacks does not compile. */
type Covers<T extends readonly (readonly [string, string])[]> = Exclude<keyof RecordRow, T[number][0]> extends never ? (T[number][0] extends keyof RecordRow ? true : false) : false;
const covered: Covers<typeof RECORD_COLUMNS> = true;
void covered;

/** Days from start to end, both counted (calendar days: UTC midnight to UTC midnight, no time zones). */
function daysOf(start: string, end: string): number {
  return Math.round((Date.parse(`${end}T00:00:00Z`) - Date.parse(`${start}T00:00:00Z`)) / 86400000) + 1;
}

export function recordRow(r: AssetRecord, source: Source | undefined): RecordRow {
  const c = r.count;
  return {
    source_id: r.provenance.source_id,
    department: r.series.department,
    category: r.series.category,
    status: r.series.status,
    unit: r.series.unit,
    item: r.series.item ?? null,
    period: r.period.label,
    start: r.period.start,
    end: r.period.end,
    period_kind: r.period.kind,
    days: daysOf(r.period.start, r.period.end),
    period_approximate: r.period.approximate === true,
    period_from: r.provenance.period_from ?? null,
    count: c.kind === 'exact' ? c.value : null,
    count_min: c.kind === 'exact' ? c.value : c.kind === 'suppressed' ? c.min : null,
    count_max: c.kind === 'exact' ? c.value : c.kind === 'suppressed' ? c.max : null,
    count_kind: c.kind,
    flags: c.flags,
    vintage: source?.vintage.date ?? null,
    uin: source?.metadata.uin ?? null,
    answered: source?.metadata.answered ?? null,
    file: r.provenance.file,
    line: r.provenance.line,
    column: r.provenance.column,
    row_label: r.provenance.row_label,
    column_label: r.provenance.column_label,
    raw: r.provenance.raw,
  };
}

/**
 * The inverse of the csv/tsv formula guard (format/report.ts `neutralise`): one leading `'` before
 * `'`s and a formula character is removed, so a records CSV reads back to the same text.
 */
export function unneutralise(text: string): string {
  return /^'+[=+\-@\t\r\uff1d\uff0b\uff0d\uff20]/.test(text) ? text.slice(1) : text;
}

/** The inverse of the TSV writer's escapes (\t, \n, \r, \\), for the tool's own records TSV. */
export function unescapeTsv(text: string): string {
  return text.includes('\\') ? text.replace(/\\([\\tnr])/g, (_, c: string) => (c === 't' ? '\t' : c === 'n' ? '\n' : c === 'r' ? '\r' : '\\')) : text;
}
