// `compare` as a report. JSON: {per, periods, comparisons, caveats} (the contract of issue 3);
// csv/tsv/ndjson: one row per period with its comparison against the first period.
import type { CompareResult } from '../core/compare.js';
import { describeCaveat } from './caveats.js';
import type { Cell, Column, Report } from './report.js';

const gapText = (gaps: { start: string; end: string }[]) => gaps.map((g) => (g.start === g.end ? g.start : `${g.start}..${g.end}`));

export function compareReport(result: CompareResult): Report {
  const by = result.by;
  const columns: Column[] = [
    ...(by ? [{ key: by, type: 'text' as const }] : []),
    { key: 'period', type: 'text' }, { key: 'start', type: 'date' }, { key: 'end', type: 'date' },
    { key: 'days', type: 'number' }, { key: 'covered_days', type: 'number', title: 'covered' },
    { key: 'total', type: 'number' }, { key: 'total_min', type: 'number', title: 'min' }, { key: 'total_max', type: 'number', title: 'max' },
    { key: 'rate', type: 'number', title: `per ${result.per}`, digits: 2 }, { key: 'rate_min', type: 'number', digits: 2 }, { key: 'rate_max', type: 'number', digits: 2 },
    { key: 'gaps', type: 'list' },
    { key: 'vs', type: 'text' }, { key: 'difference', type: 'number' }, { key: 'ratio', type: 'number', digits: 2 },
    { key: 'rate_ratio', type: 'number', title: 'rate ratio', digits: 2 },
  ];
  const rows: Record<string, Cell>[] = result.periods.map((p) => {
    const cmp = result.comparisons.find((c) => c.b === p.period && c.group === p.group);
    const row: Record<string, Cell> = {
      period: p.period, start: p.start, end: p.end, days: p.days, covered_days: p.covered_days,
      total: p.total, total_min: p.total_min, total_max: p.total_max, rate: p.rate, rate_min: p.rate_min, rate_max: p.rate_max,
      gaps: gapText(p.gaps), vs: cmp?.a ?? null, difference: cmp?.difference ?? null, ratio: cmp?.ratio ?? null, rate_ratio: cmp?.rate_ratio ?? null,
    };
    if (by) row[by] = p.group ?? null;
    return row;
  });
  const json = {
    per: result.per,
    ...(by ? { by } : {}),
    periods: result.periods.map((p) => ({
      ...(by ? { [by]: p.group ?? null } : {}),
      period: p.period, start: p.start, end: p.end, days: p.days, covered_days: p.covered_days,
      total: p.total, total_min: p.total_min, total_max: p.total_max, estimate: p.estimate,
      rate: p.rate, rate_min: p.rate_min, rate_max: p.rate_max, gaps: p.gaps,
    })),
    comparisons: result.comparisons.map((c) => ({ ...(by ? { [by]: c.group ?? null } : {}), ...omitGroup(c) })),
    caveats: result.caveats.map((c) => ({ ...c, message: describeCaveat(c) })),
  };
  // Human views: hide the interval columns when every total is exact.
  const exact = result.periods.every((p) => p.total !== null || !p.result.has_data);
  const human = exact ? columns.filter((c) => !['total_min', 'total_max', 'rate_min', 'rate_max', 'start', 'end'].includes(c.key)) : columns;
  return { columns, humanColumns: human, rows, json, notes: result.caveats.map(describeCaveat) };
}

function omitGroup<T extends { group?: string }>(c: T): Omit<T, 'group'> {
  const { group: _g, ...rest } = c;
  return rest;
}
