// The human table (cli-table3): may change between versions; colour only when asked to.
// cli-table3 lays a table out in time quadratic in its rows (6,000 records took 40 s), so long
// tables are drawn in blocks with the column widths fixed up front: the same text, streamed.
import { createRequire } from 'node:module';
import Table from 'cli-table3';
import { Chalk } from 'chalk';
import { cellText, humanNumber, type RenderOptions, type Report } from './report.js';

const BLOCK_ROWS = 50;

/** cli-table3's own measure (ANSI stripped, wide characters, longest line), so widths agree. */
const { strlen } = createRequire(import.meta.url)('cli-table3/src/utils.js') as { strlen: (text: string) => number };

/** The top border of a block after the first is the row separator, so blocks join seamlessly. */
const JOIN_CHARS = { top: '─', 'top-mid': '┼', 'top-left': '├', 'top-right': '┤' };

export function* table(report: Report, options: RenderOptions): Generator<string> {
  const cols = report.humanColumns ?? report.columns;
  const chalk = new Chalk({ level: options.color ? 1 : 0 });
  const head = cols.map((c) => chalk.bold(c.title ?? c.key));
  const body = (report.humanRows ?? report.rows).map((row, i) =>
    cols.map((c) => {
      const v = row[c.key];
      const text = typeof v === 'number' ? humanNumber(v, c.digits) : cellText(v);
      return report.emphasis?.has(i) ? chalk.bold(text) : text;
    }));
  // Padding is one space each side, as cli-table3 draws it.
  const colWidths = head.map((h) => strlen(h) + 2);
  for (const cells of body) cells.forEach((text, j) => { colWidths[j] = Math.max(colWidths[j]!, strlen(text) + 2); });
  const base = { style: { head: [], border: [] }, colWidths, colAligns: cols.map((c) => (c.type === 'number' ? 'right' as const : 'left' as const)) };

  for (let start = 0; start === 0 || start < body.length; start += BLOCK_ROWS) {
    const first = start === 0;
    const last = start + BLOCK_ROWS >= body.length;
    const t = first ? new Table({ ...base, head }) : new Table({ ...base, chars: JOIN_CHARS });
    for (const cells of body.slice(start, start + BLOCK_ROWS)) t.push(cells);
    const text = t.toString();
    // Every block but the last ends without its bottom border; the next block's top closes it.
    yield last ? `${text}\n` : `${text.slice(0, text.lastIndexOf('\n'))}\n`;
  }
  if (report.notes.length) {
    yield '\n';
    for (const [i, note] of report.notes.entries()) yield `${chalk.yellow(`[${i + 1}]`)} ${note}\n`;
  }
}
