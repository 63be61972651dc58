// RFC 4180 CSV (LF by default, --crlf, --bom for Excel) and TSV with escaped tabs and newlines.
import { machineCell, neutralise, type RenderOptions, type Report } from './report.js';

function quoteCsv(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/**
 * Tabs, newlines and backslashes in TSV values are written as \t, \n, \r and \\ (never silently),
 * so every record is one line; a value with a `"` is quoted as Excel's tab-delimited text does,
 * so quote-aware readers (ours included) read it back whole.
 */
function escapeTsv(text: string): string {
  const escaped = text.replace(/[\\\t\n\r]/g, (c) => (c === '\\' ? '\\\\' : c === '\t' ? '\\t' : c === '\n' ? '\\n' : '\\r'));
  return escaped.includes('"') ? `"${escaped.replace(/"/g, '""')}"` : escaped;
}

export function* renderDelimited(report: Report, options: RenderOptions, delimiter: ',' | '\t'): Generator<string> {
  const eol = options.crlf ? '\r\n' : '\n';
  const esc = delimiter === ',' ? quoteCsv : escapeTsv;
  // Header cells can come from the data (`summary --columns unit`): neutralised like text cells.
  let head = report.columns.map((c) => esc(neutralise(c.key))).join(delimiter) + eol;
  if (options.bom) head = `\ufeff${head}`;
  yield head;
  for (const row of report.rows) {
    yield report.columns.map((c) => esc(machineCell(row[c.key], c.type))).join(delimiter) + eol;
  }
}

export const csv = (r: Report, o: RenderOptions) => renderDelimited(r, o, ',');
export const tsv = (r: Report, o: RenderOptions) => renderDelimited(r, o, '\t');
