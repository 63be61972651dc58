// `summary` as a report: period, start, end, one column per category (or --columns value), total.
// No data is empty, never 0; an uncertain cell is empty with <column>_min/_max beside it.
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

export function summaryReport(result: SummaryResult): Report {
  const keys = [...result.columns, 'total'];
  const uncertain = new Set(keys.filter((k) => [...result.rows, result.totals].some((r) => cellOf(r, k).has_data && cellOf(r, k).total === null)));
  const dim = isDimension(result.by) ? result.by : undefined;
  const columns: Column[] = [
    ...(dim ? [{ key: dim, type: 'text' as const }] : []),
    { key: 'period', type: 'text' }, { key: 'start', type: 'date' }, { key: 'end', type: 'date' },
  ];
  for (const k of keys) {
    columns.push({ key: k, type: 'number' });
    if (uncertain.has(k)) columns.push({ key: `${k}_min`, type: 'number' }, { key: `${k}_max`, type: 'number' });
  }
  const rowOf = (r: SummaryRow, label?: string): Record<string, Cell> => {
    const row: Record<string, Cell> = { period: label ?? r.period.label, start: r.period.start, end: r.period.end };
    if (dim) row[dim] = r.group ?? 'total';
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
  const rows = [...result.rows.map((r) => rowOf(r)), rowOf(result.totals, 'total')];
  const partialCells = (r: SummaryRow) => keys.filter((k) => cellOf(r, k).has_data && cellOf(r, k).covered_days < cellOf(r, k).days);
  const humanRows = [...result.rows, result.totals].map((r, i) => {
    const row: Record<string, Cell> = { period: i === result.rows.length ? 'total' : r.period.label };
    if (dim) row[dim] = r.group ?? 'total';
    for (const k of keys) row[k] = human(cellOf(r, k));
    return row;
  });
  // Empty cells speak for themselves; an overlap seen in a month, its year and the totals row is one note.
  const seen = new Set<string>();
  const notes = result.caveats
    .filter((c) => c.code !== 'GAP' && c.code !== 'NO_DATA')
    .filter((c) => {
      const key = `${c.code}|${c.record?.file}:${c.record?.line}:${c.record?.series}|${c.other?.file}:${c.other?.line}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    })
    .map(describeCaveat);
  if (humanRows.some((_, i) => partialCells([...result.rows, result.totals][i]!).length > 0)) {
    notes.unshift('* the figure covers only part of the period (gaps are listed in the JSON output)');
  }
  return {
    columns,
    rows,
    humanColumns: [...(dim ? [{ key: dim, type: 'text' as const }] : []), { key: 'period', type: 'text' as const }, ...keys.map((k) => ({ key: k, type: 'number' as const }))],
    humanRows,
    emphasis: new Set([rows.length - 1]),
    json: {
      by: result.by,
      columns: result.columns,
      rows: [...result.rows, result.totals].map((r, i) => ({ ...rows[i], partial: partialCells(r), gaps: cellOf(r, 'total').gaps })),
      caveats: result.caveats.map((c) => ({ ...c, message: describeCaveat(c) })),
    },
    notes,
  };
}

function cellOf(r: SummaryRow, key: string): TotalResult {
  return key === 'total' ? r.total : r.cells.get(key)!;
}
