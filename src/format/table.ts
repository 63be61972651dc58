// The human table (cli-table3): may change between versions; colour only when asked to.
import Table from 'cli-table3';
import { Chalk } from 'chalk';
import { cellText, humanNumber, type RenderOptions, type Report } from './report.js';

export function* table(report: Report, options: RenderOptions): Generator<string> {
  const cols = report.humanColumns ?? report.columns;
  const chalk = new Chalk({ level: options.color ? 1 : 0 });
  const t = new Table({
    head: cols.map((c) => chalk.bold(c.title ?? c.key)),
    style: { head: [], border: [] },
    colAligns: cols.map((c) => (c.type === 'number' ? 'right' : 'left')),
  });
  for (const [i, row] of (report.humanRows ?? report.rows).entries()) {
    const cells = cols.map((c) => {
      const v = row[c.key];
      const text = typeof v === 'number' ? humanNumber(v, c.digits) : cellText(v);
      return report.emphasis?.has(i) ? chalk.bold(text) : text;
    });
    t.push(cells);
  }
  yield `${t.toString()}\n`;
  if (report.notes.length) {
    yield '\n';
    for (const [i, note] of report.notes.entries()) yield `${chalk.yellow(`[${i + 1}]`)} ${note}\n`;
  }
}
