// The one shape every command hands to a formatter: columns with types, plain rows, the JSON
// document, and numbered notes (caveats, rejects) that human formats print under the table.

export type CellType = 'text' | 'number' | 'date' | 'list';

export interface Column {
  key: string;
  type: CellType;
  /** Human formats only; machine formats always use `key`. */
  title?: string;
  /** Human formats only: decimals shown (machine formats keep up to 6). */
  digits?: number;
}

export type Cell = string | number | boolean | null | undefined | string[];

export interface Report {
  columns: Column[];
  /** The columns human formats (table, markdown) show, when fewer than the machine columns. */
  humanColumns?: Column[];
  rows: Record<string, Cell>[];
  /** Rows for human formats, when they show words or markers that machine rows must not. */
  humanRows?: Record<string, Cell>[];
  /** The `json` document; other formats render `rows`. */
  json: unknown;
  /** Numbered notes under human tables (caveats, incomplete output). */
  notes: string[];
  /** Row indexes human formats emphasise (a totals row, a problem). */
  emphasis?: Set<number>;
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
 * reads back exactly (`unneutralise` in core/record-row.ts strips one).
 */
export function neutralise(text: string): string {
  return /^'*[=+\-@\t\r]/.test(text) ? `'${text}` : text;
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

/** A number as human formats show it: rounded to the column's digits when it has some. */
export function humanNumber(n: number, digits?: number): string {
  return digits === undefined || Number.isInteger(n) ? formatNumber(n) : n.toFixed(digits);
}
