// `summary` as a report: period, start, end, one column per category (or --columns value), total.
// No data is empty, never 0; an uncertain cell is empty with <column>_min/_max beside it.
// Machine rows hold exactly those columns; the JSON document adds coverage (which cells have
// gaps) and caveats beside the rows, never inside them.
import type { SummaryResult, SummaryRow } from '../core/summary.js';
import type { TotalResult } from '../core/total.js';
import { describeCaveat } from './caveats.js';
import type { Cell, Column, Report } from './report.js';

const isDimension = (by: string) => ['category', 'department', 'status', 'unit'].includes(by);

function human(t: TotalResult): string {
  if (!t.has_data) return '';
  const value = t.total !== null ? String(t.total) : `${t.total_min}–${t.total_max ?? '?'}`;
  return t.covered_days < t.days ? `${value}*` : value;
}

/** Caveats that the table itself already shows (empty and starred cells) or that only concern rates. */
const SHOWN_BY_TABLE = new Set(['GAP', 'NO_DATA', 'UNEVEN_COVERAGE']);

export function summaryReport(result: SummaryResult): Report {
  const keys = [...result.columns, 'total'];
  const all: SummaryRow[] = result.totals ? [...result.rows, result.totals] : [...result.rows];
  const uncertain = new Set(keys.filter((k) => all.some((r) => cellOf(r, k).has_data && cellOf(r, k).total === null)));
  const dim = isDimension(result.by) ? result.by : undefined;
  const columns: Column[] = [
    ...(dim ? [{ key: dim, type: 'text' as const }] : []),
    { key: 'period', type: 'text' }, { key: 'start', type: 'date' }, { key: 'end', type: 'date' },
  ];
  for (const k of keys) {
    columns.push({ key: k, type: 'number' });
    if (uncertain.has(k)) columns.push({ key: `${k}_min`, type: 'number' }, { key: `${k}_max`, type: 'number' });
  }
  const isTotals = (i: number) => result.totals !== null && i === result.rows.length;
  const rowOf = (r: SummaryRow, i: number): Record<string, Cell> => {
    const row: Record<string, Cell> = {};
    if (dim) row[dim] = isTotals(i) ? 'total' : r.group ?? null;
    row.period = isTotals(i) ? 'total' : r.period.label;
    row.start = r.period.start;
    row.end = r.period.end;
    for (const k of keys) {
      const t = cellOf(r, k);
      row[k] = t.total;
      if (uncertain.has(k)) {
        row[`${k}_min`] = t.total_min;
        row[`${k}_max`] = t.total_max;
      }
    }
    return row;
  };
  const rows = all.map(rowOf);
  const humanRows = all.map((r, i) => {
    const row: Record<string, Cell> = {};
    if (dim) row[dim] = isTotals(i) ? 'total' : r.group ?? null;
    row.period = isTotals(i) ? 'total' : r.period.label;
    for (const k of keys) row[k] = human(cellOf(r, k));
    return row;
  });
  // Cells with data that cover only part of their period, with the days they miss.
  const coverage = all.flatMap((r, i) => keys
    .map((k) => ({ k, t: cellOf(r, k) }))
    .filter(({ t }) => t.has_data && t.covered_days < t.days)
    .map(({ k, t }) => ({
      ...(dim ? { [dim]: isTotals(i) ? 'total' : r.group ?? null } : {}),
      period: isTotals(i) ? 'total' : r.period.label, column: k, days: t.days, covered_days: t.covered_days, gaps: t.gaps,
    })));
  // An overlap seen in a month, its year and the totals row is one note.
  const seen = new Set<string>();
  const notes = result.caveats
    .filter((c) => !SHOWN_BY_TABLE.has(c.code))
    .filter((c) => {
      const key = `${c.code}|${c.record?.file}:${c.record?.line}:${c.record?.series}|${c.other?.file}:${c.other?.line}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    })
    .map(describeCaveat);
  if (coverage.length > 0) notes.unshift('* the figure covers only part of the period (gaps are listed in the JSON output)');
  if (all.length === 0) notes.unshift(...result.caveats.filter((c) => c.code === 'NO_DATA').map(describeCaveat));
  return {
    columns,
    rows,
    humanColumns: [...(dim ? [{ key: dim, type: 'text' as const }] : []), { key: 'period', type: 'text' as const }, ...keys.map((k) => ({ key: k, type: 'number' as const }))],
    humanRows,
    emphasis: new Set(result.totals ? [rows.length - 1] : []),
    json: {
      by: result.by,
      columns: result.columns,
      rows,
      coverage,
      caveats: result.caveats.map((c) => ({ ...c, message: describeCaveat(c) })),
    },
    notes,
  };
}

function cellOf(r: SummaryRow, key: string): TotalResult {
  return key === 'total' ? r.total : r.cells.get(key)!;
}
