// The terminal chart: one row per period, a bar and the value beside it, fitting the width it is
// given. A gap is drawn as a gap (no bar, "no data"), never as 0; a range as a solid bar to its
// lower bound shaded to its upper; a part period as its count, shaded on to its per-day rate
// times the period's days, marked *; approximate ≈, estimate ~, spike ▲. Plain ASCII when the
// terminal is not UTF-8. The notes are numbered under it, wrapped; colour only when asked for.
import { Chalk } from 'chalk';
import type { ChartPoint, ChartSeries } from './chart-series.js';
import { humanNumber } from './report.js';
import { displayWidth, wrap } from './table.js';
import { append, maxOf } from '../engine/arrays.js';
import { escapeControls } from '../model/diagnostics.js';

export interface TerminalChartOptions {
  width: number;
  ascii: boolean;
  color: boolean;
}

interface Glyphs {
  eighths: string[];
  full: string;
  /** From the lower bound to the upper of a range. */
  range: string;
  /** From a part period's count to its scaled value. */
  scaled: string;
  axis: string;
  gapAxis: string;
  spike: string;
  maybe: string;
  approximate: string;
  dash: string;
  more: string;
}

const UTF8: Glyphs = {
  eighths: ['', '▏', '▎', '▍', '▌', '▋', '▊', '▉'], full: '█', range: '░', scaled: '▒', axis: '│', gapAxis: '┊',
  spike: '▲', maybe: '△', approximate: '≈', dash: '–', more: '→',
};
const ASCII: Glyphs = {
  eighths: [''], full: '#', range: '.', scaled: '+', axis: '|', gapAxis: ':', spike: '^', maybe: '^?', approximate: '~=', dash: '-', more: '>',
};

/** Text as plain ASCII: the notes' dashes, arrows and signs (ASCII terminals cannot show them). */
export function asciiText(text: string): string {
  return text
    .replace(/[–—]/g, '-').replace(/−/g, '-').replace(/×/g, 'x').replace(/÷/g, '/').replace(/≈/g, '~=')
    .replace(/▲/g, '^').replace(/△/g, '^?').replace(/→/g, '->').replace(/[‘’]/g, "'").replace(/[“”]/g, '"')
    .replace(/…/g, '...').replace(/[^\x20-\x7e\n]/g, '?');
}

function valueText(p: ChartPoint, g: Glyphs): string {
  if (p.gap) return 'no data';
  const n = (x: number) => humanNumber(p.scaled ? Math.round(x) : x);
  const core = p.value !== null ? n(p.value) : p.value_min === p.value_max && p.value_min !== null ? n(p.value_min) : `${n(p.value_min!)}${g.dash}${p.value_max === null ? '?' : n(p.value_max)}`;
  return `${core}${p.partial ? '*' : ''}${p.estimate ? '~' : ''}${p.approximate ? g.approximate : ''}`;
}

function markerText(p: ChartPoint, g: Glyphs): string {
  const spike = p.spike === 'spike' ? g.spike : p.spike === 'undetermined' ? g.maybe : '';
  const refs = p.refs.length ? `[${p.refs.join(',')}]` : '';
  return [spike, refs].filter(Boolean).join(' ');
}

/** Lengths in glyph units (eighths of a cell in UTF-8, cells in ASCII); a value above 0 is never drawn as nothing. */
function units(v: number, max: number, cells: number, res: number): number {
  if (v <= 0 || max <= 0) return 0;
  return Math.max(1, Math.round((v / max) * cells * res));
}

function bar(solid: number, shade: number, shadeGlyph: string, g: Glyphs, res: number): { solid: string; shade: string } {
  const full = Math.floor(solid / res);
  const rest = solid % res;
  const s = g.full.repeat(full) + (rest ? g.eighths[rest] ?? '' : '');
  const used = full + (rest ? 1 : 0);
  const shadeCells = Math.max(0, Math.round(shade / res) - used);
  return { solid: s, shade: shadeGlyph.repeat(shadeCells) };
}

export function terminalChart(series: ChartSeries, options: TerminalChartOptions): string {
  const g = options.ascii ? ASCII : UTF8;
  const res = options.ascii ? 1 : 8;
  const chalk = new Chalk({ level: options.color ? 1 : 0 });
  // Titles, labels and sources can come from the data: never a control character to the terminal.
  const text = (s: string) => escapeControls(options.ascii ? asciiText(s) : s);
  const width = Math.max(40, options.width);
  const out: string[] = [];
  for (const line of wrap(text(series.title), width)) out.push(chalk.bold(line));
  append(out, wrap(text(`${series.yTitle}`), width).map((l) => chalk.dim(l)));
  out.push('');
  const points = series.points;
  if (points.length) {
    const labels = points.map((p) => text(p.label));
    const values = points.map((p) => valueText(p, g));
    const markers = points.map((p) => markerText(p, g));
    const lw = maxOf(labels.map(displayWidth));
    const vw = maxOf(values.map(displayWidth));
    const mw = maxOf(markers.map(displayWidth));
    const cells = Math.max(8, width - lw - 2 - 1 - vw - (mw ? mw + 1 : 0));
    const top = Math.max(0, ...points.flatMap((p) => [p.value, p.value_min, p.value_max, p.counted].filter((x): x is number => x !== null)));
    for (const [i, p] of points.entries()) {
      let drawn = '';
      let plain = 0;
      if (!p.gap) {
        const lo = p.value ?? p.value_min ?? 0;
        // A part period: solid to what was counted, shaded on to the scaled value.
        const solidTo = p.scaled && p.counted !== null ? Math.min(p.counted, lo) : lo;
        const shadeTo = p.value !== null ? p.value : p.value_max ?? top;
        const more = p.value === null && p.value_max === null ? g.more : '';
        // An unbounded range is shaded to the end, the last cell an arrow.
        const room = (more ? cells - displayWidth(more) : cells) * res;
        const b = bar(Math.min(room, units(solidTo, top, cells, res)), Math.min(room, units(shadeTo, top, cells, res)), p.range || p.value === null ? g.range : g.scaled, g, res);
        plain = displayWidth(b.solid + b.shade + more);
        const paint = p.spike === 'spike' ? chalk.red : (s: string) => s;
        drawn = paint(b.solid) + chalk.dim(b.shade + more);
      }
      const axis = p.gap ? g.gapAxis : g.axis;
      const value = values[i]!;
      const row = `${labels[i]!.padEnd(lw)} ${chalk.dim(axis)}${drawn}${' '.repeat(Math.max(0, cells - plain))} ${' '.repeat(vw - displayWidth(value))}${p.gap ? chalk.dim(value) : value}${markers[i] ? ` ${p.spike === 'spike' ? chalk.red.bold(markers[i]!) : markers[i]}` : ''}`;
      out.push(row.trimEnd());
    }
    out.push('');
  }
  const notes = series.notes.map((n) => text(n));
  for (const [i, n] of notes.entries()) {
    const head = `[${i + 1}] `;
    append(out, wrap(head + n, width, ' '.repeat(head.length)));
  }
  append(out, wrap(text(series.source), width, '  '));
  return `${out.join('\n')}\n`;
}
