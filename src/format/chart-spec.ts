// The chart for articles as a Vega-Lite spec: bars per period with the title, axis labels,
// markers of spikes and note numbers above the bars, and under the chart the notes numbered and
// the source line. A gap has no bar (a "no data" label stands where it would be), never a bar of
// 0; a range is a solid bar to its lower bound and a pale one on to its upper; a part period a
// solid bar to its count and a pale one on to its per-day rate times the period's days. Pure:
// chart-render.ts turns it into SVG or PNG.
import type { ChartPoint, ChartSeries } from './chart-series.js';
import { humanNumber } from './report.js';

export const CHART_WIDTH = 720;
const PLOT_HEIGHT = 300;
const LINE = 15;
/** Characters of an 11px footnote line that fit the chart's width (an average glyph is ~6px). */
const NOTE_CHARS = Math.floor(CHART_WIDTH / 6.6);
const INDENT = 16;

const KINDS = {
  counted: { label: 'counted', color: '#2f5f98' },
  approximate: { label: 'approximate period', color: '#c07a12' },
  estimate: { label: 'estimate (pro rata)', color: '#7a5ea8' },
  scaled: { label: 'part period: per-day rate × days', color: '#9dbbe0' },
  range: { label: 'range (suppressed cells)', color: '#c9c9c9' },
} as const;
type Kind = keyof typeof KINDS;

function wrapChars(text: string, width: number, indent: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/ +/)) {
    const room = width - (lines.length ? indent : 0);
    if (line && line.length + 1 + word.length > room) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(line);
  return lines;
}

/** A note's lines, the ones after the first indented (by x, since text marks trim spaces). */
function noteLines(text: string): { text: string; x: number }[] {
  return wrapChars(text, NOTE_CHARS, 3).map((t, i) => ({ text: t, x: i ? INDENT : 0 }));
}

interface Datum {
  period: string;
  start: string;
  end: string;
  /** The solid bar: the value, a range's lower bound, or a part period's count. */
  bar: number | null;
  base: Kind;
  /** The pale bar on top: [lo, hi] and what it is. */
  lo: number | null;
  hi: number | null;
  extra: Kind | null;
  /** Where the markers above the bar stand. */
  top: number;
  gap: boolean;
  zero: boolean;
  value: string;
  spike: string | null;
  refs: string;
}

function datum(p: ChartPoint, ceiling: number): Datum {
  const base: Kind = p.approximate ? 'approximate' : p.estimate ? 'estimate' : 'counted';
  const lower = p.value ?? p.value_min;
  const upper = p.value !== null ? p.value : p.value_max ?? ceiling;
  let bar = lower;
  let lo: number | null = null;
  let hi: number | null = null;
  let extra: Kind | null = null;
  if (!p.gap && p.scaled && p.counted !== null && lower !== null && p.counted < lower) {
    bar = p.counted;
    lo = p.counted;
    hi = upper;
    extra = 'scaled';
  }
  if (!p.gap && p.value === null && lower !== null && upper > lower) {
    lo = lower;
    hi = upper;
    extra = 'range';
  }
  // A range from 0 has no solid bar (a bar of height 0 would read as a figure of 0).
  if (extra === 'range' && bar === 0) bar = null;
  const n = (x: number) => humanNumber(p.scaled ? Math.round(x) : x);
  const value = p.gap ? 'no data'
    : `${p.value !== null ? n(p.value) : p.value_min === p.value_max ? n(p.value_min!) : `${n(p.value_min!)}–${p.value_max === null ? '?' : n(p.value_max)}`}${p.partial ? '*' : ''}${p.estimate ? '~' : ''}${p.approximate ? '≈' : ''}`;
  return {
    period: p.label, start: p.start, end: p.end, bar: p.gap ? null : bar, base, lo, hi, extra,
    top: p.gap ? 0 : Math.max(bar ?? 0, hi ?? 0), gap: p.gap, zero: !p.gap && p.value === 0, value,
    spike: p.spike === 'spike' ? '▲' : p.spike === 'undetermined' ? '△' : null,
    refs: p.refs.join(','),
  };
}

/** The Vega-Lite spec (v6) of a series: the chart, then its notes and source line under it. */
export function chartSpec(series: ChartSeries): Record<string, unknown> {
  const ceiling = Math.max(1, ...series.points.flatMap((p) => [p.value, p.value_min, p.value_max, p.counted].filter((x): x is number => x !== null)));
  const values = series.points.map((p) => datum(p, ceiling));
  const used = [...new Set(values.flatMap((d) => (d.gap ? [] : [d.base, ...(d.extra ? [d.extra] : [])])))] as Kind[];
  const order = (Object.keys(KINDS) as Kind[]).filter((k) => used.includes(k));
  const color = {
    type: 'nominal' as const,
    scale: { domain: order.map((k) => KINDS[k].label), range: order.map((k) => KINDS[k].color) },
    legend: order.length > 1 ? { orient: 'bottom', direction: 'horizontal', title: null, labelFontSize: 11, labelLimit: 0, columnPadding: 18 } : null,
  };
  const kindLabel = (field: string) => Object.entries(KINDS).map(([k, v]) => `datum.${field} === '${k}' ? '${v.label}' : `).join('') + "''";
  const footLines = [...series.notes.flatMap((n, i) => noteLines(`${i + 1}. ${n}`)), ...noteLines(series.source)];
  const tooltip = [{ field: 'period', title: series.xTitle }, { field: 'value', title: 'value' }];
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    description: `${series.title}. ${series.notes.map((n, i) => `${i + 1}. ${n}`).join(' ')} ${series.source}`,
    background: 'white',
    padding: 16,
    config: {
      font: 'Helvetica, Arial, DejaVu Sans, sans-serif',
      view: { stroke: null },
      axis: { labelFontSize: 11, titleFontSize: 12, titleFontWeight: 'normal', grid: false },
      axisY: { grid: true, gridColor: '#e6e6e6' },
      title: { anchor: 'start', fontSize: 17, subtitleFontSize: 12, subtitleColor: '#555' },
    },
    spacing: 18,
    resolve: { legend: { color: 'independent' }, scale: { color: 'independent' } },
    vconcat: [
      {
        title: { text: series.title, subtitle: series.yTitle },
        width: CHART_WIDTH,
        height: PLOT_HEIGHT,
        data: { values },
        transform: [
          { calculate: kindLabel('base'), as: 'base_label' },
          { calculate: kindLabel('extra'), as: 'extra_label' },
        ],
        encoding: {
          x: {
            field: 'period', type: 'ordinal', sort: values.map((d) => d.period), title: series.xTitle,
            axis: { labelAngle: values.length > 12 ? -45 : 0, labelOverlap: false },
          },
        },
        layer: barLayers(series, color, tooltip),
      },
      notesView(footLines),
    ],
  };
}

type Color = { type: 'nominal'; scale: { domain: string[]; range: string[] }; legend: Record<string, unknown> | null };
type Tooltip = { field: string; title: string }[];

/** The plot's layers: the solid bars, the pale bars on them, "no data" where a gap is, 0 said, spike markers and note numbers. */
function barLayers(series: ChartSeries, color: Color, tooltip: Tooltip): Record<string, unknown>[] {
  return [
    {
      transform: [{ filter: 'datum.bar !== null' }],
      mark: { type: 'bar' },
      encoding: {
        y: { field: 'bar', type: 'quantitative', title: series.yTitle.split(' (')[0], scale: { domainMin: 0 } },
        color: { field: 'base_label', ...color },
        tooltip,
      },
    },
    {
      transform: [{ filter: 'datum.hi !== null' }],
      mark: { type: 'bar' },
      encoding: { y: { field: 'lo', type: 'quantitative' }, y2: { field: 'hi' }, color: { field: 'extra_label', ...color }, tooltip },
    },
    {
      transform: [{ filter: 'datum.gap' }, { calculate: "datum.refs === '' ? 'no data' : 'no data (' + datum.refs + ')'", as: 'gap_text' }],
      mark: { type: 'text', angle: 270, align: 'left', baseline: 'middle', dx: 4, color: '#777', fontStyle: 'italic', fontSize: 10 },
      encoding: { y: { datum: 0, type: 'quantitative' }, text: { field: 'gap_text' } },
    },
    {
      // A figure of 0 is said, so that it is not taken for a gap.
      transform: [{ filter: 'datum.zero' }],
      mark: { type: 'text', baseline: 'bottom', dy: -2, fontSize: 10, color: '#444' },
      encoding: { y: { datum: 0, type: 'quantitative' }, text: { value: '0' } },
    },
    {
      transform: [{ filter: 'datum.spike !== null' }],
      mark: { type: 'text', baseline: 'bottom', dy: -3, color: '#b2182b', fontSize: 12 },
      encoding: { y: { field: 'top', type: 'quantitative' }, text: { field: 'spike' } },
    },
    ...[['datum.spike === null', -3], ['datum.spike !== null', -17]].map(([test, dy]) => ({
      transform: [{ filter: `!datum.gap && datum.refs !== '' && ${test}` }],
      mark: { type: 'text', baseline: 'bottom', dy, fontSize: 9, color: '#444' },
      encoding: { y: { field: 'top', type: 'quantitative' }, text: { field: 'refs' } },
    })),
  ];
}

/** Under the chart: the notes, numbered, and the source line. */
function notesView(footLines: { text: string; x: number }[]): Record<string, unknown> {
  return {
    width: CHART_WIDTH,
    height: footLines.length * LINE,
    data: { values: footLines.map((l, i) => ({ ...l, y: i * LINE })) },
    mark: { type: 'text', align: 'left', baseline: 'top', fontSize: 11, color: '#333' },
    encoding: { x: { field: 'x', type: 'quantitative', scale: null }, y: { field: 'y', type: 'quantitative', scale: null }, text: { field: 'text' } },
  };
}
