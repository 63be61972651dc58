// The one shape every command hands to a formatter: columns with types, plain rows, the JSON
// document, and numbered notes (caveats, rejects) that human formats print under the table.
import { escapeControls } from '../model/diagnostics.js';

export type CellType = 'text' | 'number' | 'date' | 'list';

export interface Column {
  key: string;
  type: CellType;
  /** Human formats only; machine formats always use `key`. */
  title?: string;
  /** Human formats only: decimals shown (machine formats keep up to 6). */
  digits?: number;
  /**
   * Human tables only: a column that may be left out when the table does not fit the terminal;
   * the highest number goes first.
   */
  drop?: number;
}

/** The columns of a period's total, the same in compare and trend: its days, the figure, the rate. */
export const PERIOD_TOTAL_COLUMNS: readonly Column[] = [
  { key: 'period', type: 'text' }, { key: 'start', type: 'date' }, { key: 'end', type: 'date' },
  { key: 'days', type: 'number' }, { key: 'covered_days', type: 'number' },
  { key: 'total', type: 'number' }, { key: 'total_min', type: 'number' }, { key: 'total_max', type: 'number' },
  { key: 'rate', type: 'number' }, { key: 'rate_min', type: 'number' }, { key: 'rate_max', type: 'number' },
];

export type Cell = string | number | boolean | null | undefined | string[];

/** One table as people see it (table, markdown): its own columns, rows, and emphasised rows. */
export interface HumanTable {
  columns: Column[];
  rows: Record<string, Cell>[];
  /** Row indexes shown in bold, after a rule (a totals row). */
  emphasis?: Set<number>;
}

export interface Report {
  columns: Column[];
  /** The columns human formats (table, markdown) show, when fewer than the machine columns. */
  humanColumns?: Column[];
  rows: Record<string, Cell>[];
  /** Rows for human formats, when they show words or markers that machine rows must not. */
  humanRows?: Record<string, Cell>[];
  /** Human formats: several tables instead of the one of humanColumns/humanRows. */
  humanTables?: HumanTable[];
  /** Human formats: sentences above the table (the finding of a comparison). */
  lead?: string[];
  /** The `json` document; other formats render `rows`. */
  json: unknown;
  /** Numbered notes under human tables (caveats, incomplete output). */
  notes: string[];
  /** Row indexes human formats emphasise (a totals row, a problem). */
  emphasis?: Set<number>;
}

/** The tables a human format draws. */
export function humanTables(report: Report): HumanTable[] {
  return report.humanTables ?? [{ columns: report.humanColumns ?? report.columns, rows: report.humanRows ?? report.rows, emphasis: report.emphasis }];
}

export interface RenderOptions {
  color: boolean;
  crlf?: boolean;
  bom?: boolean;
  /** Human tables fit this many columns (default 80). */
  width?: number;
}

/**
 * Text cells that a spreadsheet would run as a formula get a leading `'` (numbers never do). A
 * text that already starts with `'` before such a character gets one more, so the records CSV
 * reads back exactly (`unneutralise` in model/record-row.ts strips one). The full-width signs
 * ＝＋－＠ count too: Excel, LibreOffice and Google Sheets start formulas with the ASCII signs only,
 * but Excel with an East Asian input method can turn a full-width ＝ typed into a cell into =, and
 * a label never starts with one, so the quote costs nothing (README "Reliability").
 */
export function neutralise(text: string): string {
  return /^'*[=+\-@\t\r\uff1d\uff0b\uff0d\uff20]/.test(text) ? `'${text}` : text;
}

export function cellText(value: Cell): string {
  if (value === null || value === undefined) return '';
  if (Array.isArray(value)) return value.join(';');
  return String(value);
}

/** A cell as machine formats write it: numbers as plain numbers, text neutralised. */
export function machineCell(value: Cell, type: CellType): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return formatNumber(value);
  const text = cellText(value);
  return type === 'number' ? text : neutralise(text);
}

/** Plain numbers: no thousands separators, `.` decimal, at most 6 decimals, no exponent. */
export function formatNumber(n: number): string {
  if (Number.isInteger(n)) return String(n);
  if (!Number.isFinite(n)) return '';
  return String(Number(n.toFixed(6)));
}

/**
 * A number as human formats show it: thousands separated (1,234), rounded to the column's digits
 * when it has some.
 */
export function humanNumber(n: number, digits?: number): string {
  if (!Number.isFinite(n)) return '';
  if (digits === undefined || Number.isInteger(n)) {
    const [int, frac] = formatNumber(n).split('.');
    return frac === undefined ? group(int!) : `${group(int!)}.${frac}`;
  }
  const [int, frac] = n.toFixed(digits).split('.');
  return frac === undefined ? group(int!) : `${group(int!)}.${frac}`;
}

function group(int: string): string {
  const sign = int.startsWith('-') ? '-' : '';
  return sign + int.slice(sign.length).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** A cell as human formats show it; text with its control characters escaped (never run by a terminal). */
export function humanCell(value: Cell, column: Column): string {
  return typeof value === 'number' ? humanNumber(value, column.digits) : escapeControls(cellText(value));
}

/**
 * The column of a dimension (--by, --columns) in machine rows: its name, except `status`, which
 * names a figure's completeness in every command: rows by lost/stolen status are `series_status`.
 */
export function dimensionKey(dimension: string): string {
  return dimension === 'status' ? 'series_status' : dimension;
}
