// `trend` as a report. Machine rows (csv, tsv, ndjson, json `rows`) have the same columns
// whatever the data: period, start, end, days, covered_days, total, total_min, total_max, rate,
// rate_min, rate_max (per --per), scaled, scaled_min, scaled_max (what the chart draws: the total,
// or a part period's rate times its days), status and its flags one column each, the spike
// judgement (spike, spike_status, score, score_min, score_max, factor, baseline, baseline_mad,
// baseline_periods) and a note. No data is empty, never 0. Markdown gets a table of the series;
// the terminal chart is terminal-chart.ts.
import { PER_DAYS, type PerUnit, statusText } from '../engine/compare.js';
import type { TrendPoint, TrendResult } from '../engine/trend.js';
import type { ChartSeries } from './chart-series.js';
import { describeCaveat, leftOutRecords } from './caveats.js';
import { countText } from './chart-series.js';
import { type Cell, type Column, humanNumber, PERIOD_TOTAL_COLUMNS, type Report } from './report.js';

const FLAGS = ['partial', 'range', 'estimate', 'approximate', 'no_data'] as const;

export const TREND_COLUMNS: Column[] = [
  ...PERIOD_TOTAL_COLUMNS,
  { key: 'scaled', type: 'number' }, { key: 'scaled_min', type: 'number' }, { key: 'scaled_max', type: 'number' },
  { key: 'status', type: 'text' },
  ...FLAGS.map((f) => ({ key: f, type: 'text' as const })),
  { key: 'spike', type: 'text' }, { key: 'spike_status', type: 'text' },
  { key: 'score', type: 'number' }, { key: 'score_min', type: 'number' }, { key: 'score_max', type: 'number' },
  { key: 'factor', type: 'number' }, { key: 'baseline', type: 'number' }, { key: 'baseline_mad', type: 'number' },
  { key: 'baseline_periods', type: 'number' },
  { key: 'note', type: 'text' },
];

function noteOf(p: TrendPoint, per: PerUnit): string {
  const t = p.total;
  if (!t.has_data) {
    const left = [...new Map(leftOutRecords(t.caveats).map((r) => [r.label, r])).values()];
    return left.length ? `no figure fits this period: ${left.map((r) => `"${r.label}"`).join(', ')} ${left.length === 1 ? 'crosses' : 'cross'} its boundaries and ${left.length === 1 ? 'is' : 'are'} left out (--partial exclude)` : 'no data (not zero)';
  }
  const parts: string[] = [];
  if (t.covered_days < t.days) {
    parts.push(p.scaled
      ? `the figures cover ${t.covered_days} of ${t.days} days: ${countText(t.total, t.total_min, t.total_max)} counted, scaled to ${countText(p.value, p.value_min, p.value_max, 1)} for the whole period`
      : `the figures cover ${t.covered_days} of ${t.days} days and the series added together cover different days: no rate, not scaled`);
  }
  if (p.flags.includes('range')) parts.push('suppressed cells make a range');
  if (p.flags.includes('estimate')) parts.push('an estimate (pro rata)');
  if (p.flags.includes('approximate')) parts.push('an approximate period');
  const s = p.spike;
  const unit = per === 'day' ? 'a day' : `a ${per}`;
  if (s.status === 'spike' || s.status === 'undetermined') {
    const factor = s.factor !== null ? `${humanNumber(s.factor, 1)}× ` : '';
    parts.push(`${s.status === 'spike' ? 'spike' : 'possible spike'}: ${factor}the baseline of ${humanNumber(s.baseline! * PER_DAYS[per], 2)} ${unit} (${s.periods} periods)`);
  }
  if (s.status === 'too_few_periods') parts.push(`spike not judged: ${s.periods} baseline period${s.periods === 1 ? '' : 's'}`);
  return parts.join('; ');
}

export function trendReport(result: TrendResult, chart: ChartSeries, per: PerUnit = 'day'): Report {
  const k = PER_DAYS[per];
  const r = (n: number | null) => (n === null ? null : n * k);
  const rows = result.points.map((p): Record<string, Cell> => {
    const t = p.total;
    const s = p.spike;
    const partial = t.has_data && t.covered_days < t.days;
    const drawn = p.scaled || !partial;
    const row: Record<string, Cell> = {
      period: p.period.label, start: p.period.start, end: p.period.end, days: t.days, covered_days: t.covered_days,
      total: t.total, total_min: t.total_min, total_max: t.total_max,
      rate: r(p.rate), rate_min: r(p.rate_min), rate_max: r(p.rate_max),
      scaled: drawn ? p.value : null, scaled_min: drawn ? p.value_min : null, scaled_max: drawn ? p.value_max : null,
      status: statusText(p.flags),
    };
    for (const f of FLAGS) row[f] = String(p.flags.includes(f));
    Object.assign(row, {
      spike: s.status === 'spike' ? 'true' : s.status === 'none' ? 'false' : null,
      spike_status: s.status,
      score: s.score, score_min: s.score_min, score_max: s.score_max, factor: s.factor,
      baseline: r(s.baseline), baseline_mad: r(s.mad), baseline_periods: s.status === 'no_rate' ? null : s.periods,
      note: noteOf(p, per),
    });
    return row;
  });
  const shown = new Set(chart.points.map((p) => p.label));
  const humanRows = result.points.filter((p) => shown.has(p.period.label)).map((p, i) => ({
    period: p.period.label,
    value: chartValue(chart, i),
    rate: p.rate !== null ? humanNumber(p.rate * k, 2) : p.rate_min !== null ? `${humanNumber(p.rate_min * k, 2)}–${p.rate_max === null ? '?' : humanNumber(p.rate_max * k, 2)}` : null,
    status: statusText(p.flags),
    spike: p.spike.status === 'spike' ? `yes (${p.spike.factor !== null ? `${humanNumber(p.spike.factor, 1)}×, ` : ''}score ${humanNumber(p.spike.score ?? p.spike.score_min!, 1)})` : p.spike.status === 'undetermined' ? 'possible' : p.spike.status === 'none' ? 'no' : '',
    notes: chart.points[i]!.refs.map((n) => `[${n}]`).join(' '),
  }));
  return {
    columns: TREND_COLUMNS,
    rows,
    humanColumns: [
      { key: 'period', type: 'text' }, { key: 'value', type: 'number', title: 'drawn' },
      { key: 'rate', type: 'number', title: `per ${per}` }, { key: 'status', type: 'text' }, { key: 'spike', type: 'text' }, { key: 'notes', type: 'text' },
    ],
    humanRows,
    lead: [chart.title],
    json: {
      by: result.by,
      per,
      title: chart.title,
      spike_rule: { method: result.spikes.method, window: result.spikes.window, threshold: result.spikes.threshold, min_periods: result.spikes.minPeriods, scale: '1.4826 × MAD, at least one item in the period' },
      rows,
      caveats: result.caveats.map((c) => ({ ...c, message: describeCaveat(c) })),
      notes: chart.notes,
      source: chart.source,
    },
    notes: [...chart.notes, chart.source],
  };
}

function chartValue(chart: ChartSeries, i: number): string {
  const p = chart.points[i]!;
  if (p.gap) return '';
  const v = countText(p.value, p.value_min, p.value_max, p.scaled ? 0 : undefined);
  return `${v}${p.partial ? '*' : ''}${p.estimate ? '~' : ''}${p.approximate ? '≈' : ''}`;
}
