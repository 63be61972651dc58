// A series as every chart draws it — the terminal chart, the Vega-Lite spec and the images made
// from it: the points shown (from the first with data to the last), each with the value drawn
// and its markers, and the numbered notes (caveats, part periods, gaps, spikes) that go under it.
// `trend` builds one from its points; `summary --chart` from a pivot's total column. Pure.
import { PER_DAYS, type PerUnit } from '../engine/compare.js';
import type { SpikeOptions, TrendPoint } from '../engine/trend.js';
import type { Caveat } from '../engine/total.js';
import type { Source } from '../model/model.js';
import { caveatIdentity, describeCaveat, leftOutRecords, range } from './caveats.js';
import { humanNumber } from './report.js';

export interface ChartPoint {
  label: string;
  start: string;
  end: string;
  /** The value drawn (a part period's rate × its days); null for a range or a gap. */
  value: number | null;
  value_min: number | null;
  /** null with value_min set: a range with no upper bound. */
  value_max: number | null;
  /** What the figures counted (a part period's own count, before scaling). */
  counted: number | null;
  gap: boolean;
  partial: boolean;
  scaled: boolean;
  range: boolean;
  estimate: boolean;
  approximate: boolean;
  spike: 'spike' | 'undetermined' | null;
  /** Numbers of the notes about this point. */
  refs: number[];
}

export interface ChartSeries {
  title: string;
  /** The unit of the rows: month, quarter, year, financial year, or a dimension. */
  xTitle: string;
  yTitle: string;
  points: ChartPoint[];
  /** Numbered notes, in order (note n is notes[n - 1]). */
  notes: string[];
  /** "Source: written answers, UIN …". */
  source: string;
}

const NAMES: Record<string, string> = {
  phone: 'phones', laptop: 'laptops', computer: 'computers', tablet: 'tablets', pda: 'PDAs', pager: 'pagers',
  usb: 'USB sticks', 'hard-drive': 'hard drives', 'removable-media': 'removable media', other: 'other devices',
};

export const BY_WORDS: Record<string, string> = { month: 'month', quarter: 'quarter', year: 'year', fy: 'financial year' };

/** What the records are about, for a title: departments, categories (those asked for, else the data's) and statuses. */
export function about(records: readonly { series: { department: string; category: string; status: string } }[], asked?: string[]) {
  const distinct = (f: (r: (typeof records)[number]) => string) => [...new Set(records.map(f))].sort();
  return { departments: distinct((r) => r.series.department), categories: asked?.length ? asked : distinct((r) => r.series.category), statuses: distinct((r) => r.series.status) };
}

/** "MOD: phones lost or stolen, by month" from what the series holds. */
export function seriesTitle(series: { departments: string[]; categories: string[]; statuses: string[] }, by: string): string {
  const what = series.categories.length === 0 || series.categories.length > 3 ? 'devices' : listWords(series.categories.map((c) => NAMES[c] ?? c));
  const how = series.statuses.length === 1 ? series.statuses[0]!.replace(/-/g, ' ') : 'lost or stolen';
  const who = series.departments.length && series.departments.length <= 3 ? `${series.departments.join(', ')}: ` : '';
  return `${who}${what} ${how}, by ${BY_WORDS[by] ?? by}`;
}

function listWords(xs: string[]): string {
  return xs.length <= 1 ? xs.join('') : `${xs.slice(0, -1).join(', ')} and ${xs.at(-1)}`;
}

function day(iso: string): string {
  return range(iso, iso);
}

/** "Source: written answers, UIN 89637 (answered 16 Dec 2021); Luke Pollard to James Cartlidge (reported 11 Mar 2025)". */
export function sourceLine(sources: readonly Source[], usedIds: ReadonlySet<string>): string {
  const used = sources.filter((s) => usedIds.has(s.id));
  if (used.length === 0) return 'Source: no figures';
  // Two answers with the same identity (the same minister to the same MP, reported the same day) are said once, counted.
  const counts = new Map<string, { who: string; when?: string; n: number }>();
  for (const s of used) {
    const m = s.metadata;
    const who = m.uin ? `UIN ${m.uin}` : m['answered-by'] && m['asked-by'] ? `${m['answered-by']} to ${m['asked-by']}` : m.title ?? s.id;
    const when = m.answered ? `answered ${day(m.answered)}` : m.reported ? `reported ${day(m.reported)}` : undefined;
    const key = `${who}|${when}`;
    const seen = counts.get(key);
    if (seen) seen.n++;
    else counts.set(key, { who, when, n: 1 });
  }
  const said = [...counts.values()].map(({ who, when, n }) => {
    const extra = [n > 1 ? `${n} answers` : '', when ?? ''].filter(Boolean).join(', ');
    return extra ? `${who} (${extra})` : who;
  });
  const answers = used.some((s) => s.layout === 'written-answer' || s.metadata.uin || s.metadata['answered-by']);
  return `Source: ${answers ? `written answer${used.length === 1 ? '' : 's'}, ` : ''}${said.join('; ')}`;
}

const PER_WORD: Record<PerUnit, string> = { day: 'a day', week: 'a week', month: 'a month', year: 'a year' };

function rateText(perDay: number, per: PerUnit): string {
  return `${humanNumber(perDay * PER_DAYS[per], 2)} ${PER_WORD[per]}`;
}

export function spikeRuleText(rule: SpikeOptions, by: string): string {
  const unit = BY_WORDS[by] ?? by;
  const against = rule.method === 'others'
    ? `the other ${unit}s of the series`
    : rule.window > 0 ? `the ${rule.window} ${unit}s before it` : `every ${unit} before it`;
  return `a per-day rate at least ${humanNumber(rule.threshold)} robust deviations above the median of ${against} (score = (rate − median) ÷ max(1.4826 × MAD, one item in the period); gaps and ranges are left out of the baseline; at least ${rule.minPeriods} periods needed)`;
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** Up to `n` items, then "and k more". */
function some(items: string[], n = 6): string {
  return items.length > n ? `${items.slice(0, n).join('; ')}; and ${items.length - n} more` : items.join('; ');
}

/** Caveats the chart's own markers say (gaps, no data, uneven coverage are drawn or noted per point). */
const DRAWN = new Set(['GAP', 'NO_DATA', 'UNEVEN_COVERAGE']);

export interface SeriesInput {
  title: string;
  by: string;
  yTitle: string;
  points: TrendPoint[];
  caveats: Caveat[];
  sources: readonly Source[];
  /** Judge and mark spikes (trend); summary charts do not. */
  spikes?: SpikeOptions;
  per?: PerUnit;
  /** Rows that are not periods (summary --by a dimension): every caveat is a note, whatever period it names. */
  allCaveats?: boolean;
}

/** The chart of a series: the points from the first with data to the last, and its notes. */
export function chartSeries(input: SeriesInput): ChartSeries {
  let first = 0;
  let last = input.points.length - 1;
  while (first <= last && !input.points[first]!.total.has_data) first++;
  while (last >= first && !input.points[last]!.total.has_data) last--;
  const shown = first > last ? [] : input.points.slice(first, last + 1);
  const notes = new Notes();
  if (shown.length === 0) notes.add('no data for this selection (not zero): nothing to draw');
  const hidden = input.points.length - shown.length;
  if (hidden > 0 && shown.length > 0) {
    const ends = [first > 0 ? `${plural(first, 'period')} before ${shown[0]!.period.label}` : '', last < input.points.length - 1 ? `${plural(input.points.length - 1 - last, 'period')} after ${shown.at(-1)!.period.label}` : ''].filter(Boolean);
    notes.add(`not drawn: ${ends.join(' and ')}, with no figure that fits them (not zero); -f csv lists every period`);
  }
  markerNotes(shown, notes);
  if (input.spikes) spikeNotes(shown, input.spikes, input.by, input.per ?? 'day', notes);
  caveatNotes(input, shown, notes);
  const used = new Set(shown.flatMap((p) => p.total.chosen.map((r) => r.provenance.source_id)));
  const points: ChartPoint[] = shown.map((p) => ({
    label: label(p), start: p.period.start, end: p.period.end,
    value: p.value, value_min: p.value_min, value_max: p.value_max,
    counted: p.total.total ?? p.total.total_min,
    gap: !p.total.has_data,
    partial: p.total.has_data && p.total.covered_days < p.total.days,
    scaled: p.scaled,
    range: p.flags.includes('range'),
    estimate: p.flags.includes('estimate'),
    approximate: p.flags.includes('approximate'),
    spike: input.spikes && (p.spike.status === 'spike' || p.spike.status === 'undetermined') ? p.spike.status : null,
    refs: [...new Set(notes.refs.get(label(p)) ?? [])],
  }));
  return { title: input.title, xTitle: BY_WORDS[input.by] ?? input.by, yTitle: input.yTitle, points, notes: notes.texts, source: sourceLine(input.sources, used) };
}

/** The chart's notes, numbered in order, and the numbers of the notes each period refers to. */
class Notes {
  readonly texts: string[] = [];
  readonly refs = new Map<string, number[]>();

  add(text: string, labels: string[] = []): void {
    this.texts.push(text);
    for (const l of labels) this.refs.set(l, [...(this.refs.get(l) ?? []), this.texts.length]);
  }
}

const label = (p: TrendPoint) => p.period.label;

/** What the bars' markers mean, with the periods each is on: part periods, gaps, ranges, estimates, approximate periods. */
function markerNotes(shown: TrendPoint[], notes: Notes): void {
  const scaled = shown.filter((p) => p.scaled);
  if (scaled.length) {
    notes.add(`* part period: drawn as its per-day rate × the period's days — ${some(scaled.map((p) => `${label(p)}: ${countText(p.total.total, p.total.total_min, p.total.total_max)} in ${p.total.covered_days} of ${p.total.days} days, drawn as ${countText(p.value, p.value_min, p.value_max, 1)}`))}`, scaled.map(label));
  }
  const unscaled = shown.filter((p) => p.total.has_data && p.total.covered_days < p.total.days && !p.scaled);
  if (unscaled.length) {
    notes.add(`* part period drawn as counted (${unscaled.every((p) => p.total.rate_days) ? 'rows that are not periods are not scaled' : 'no per-day rate: the series added together cover different days'}), which may be less than the whole period held — ${some(unscaled.map((p) => `${label(p)}: ${countText(p.total.total, p.total.total_min, p.total.total_max)} in ${p.total.covered_days} of ${p.total.days} days`))}`, unscaled.map(label));
  }
  const gaps = shown.filter((p) => !p.total.has_data);
  if (gaps.length) notes.add(`no data (not zero), drawn as a gap: ${some(gaps.map(label), 12)}`, gaps.map(label));
  const ranges = shown.filter((p) => p.flags.includes('range'));
  if (ranges.length) notes.add(`a–b: suppressed cells make the figure a range, drawn from its lower bound shaded to its upper (? when unbounded): ${some(ranges.map(label), 12)}`, ranges.map(label));
  const estimates = shown.filter((p) => p.flags.includes('estimate'));
  if (estimates.length) notes.add(`~ an estimate (--partial prorate): ${some(estimates.map(label), 12)}`, estimates.map(label));
  const approximate = shown.filter((p) => p.flags.includes('approximate'));
  if (approximate.length) notes.add(`≈ an approximate period: the answer gives it only roughly ("in the last year"), so its days are the likeliest ones: ${some(approximate.map(label), 12)}`, approximate.map(label));
}

/** The spikes (or that there is none) and the possible spikes, by the rule they were judged by. */
function spikeNotes(shown: TrendPoint[], rules: SpikeOptions, by: string, per: PerUnit, notes: Notes): void {
  const spikes = shown.filter((p) => p.spike.status === 'spike');
  const open = shown.filter((p) => p.spike.status === 'undetermined');
  const judged = shown.filter((p) => p.spike.status === 'spike' || p.spike.status === 'none' || p.spike.status === 'undetermined');
  const describe = (p: TrendPoint) => {
    const s = p.spike;
    const rate = p.rate !== null ? rateText(p.rate, per) : `${rateText(p.rate_min!, per)} or more`;
    const factor = s.factor !== null ? `, ${humanNumber(s.factor, 1)}× the baseline ${rateText(s.baseline!, per)}` : `, against a baseline of ${rateText(s.baseline!, per)}`;
    const score = s.score !== null ? humanNumber(s.score, 1) : `${humanNumber(s.score_min!, 1)}–${s.score_max === null ? '?' : humanNumber(s.score_max, 1)}`;
    return `${label(p)} (${rate}${factor}; score ${score})`;
  };
  const rule = spikeRuleText(rules, by);
  if (spikes.length) notes.add(`▲ spike: ${rule}: ${some(spikes.map(describe))}`, spikes.map(label));
  else notes.add(`no spike: no period has ${rule}${judged.length === 0 ? ' (no period had enough periods before it to be judged)' : ''}`);
  if (open.length) notes.add(`△ a possible spike: the range's upper bound scores as a spike, its lower bound does not: ${some(open.map(describe))}`, open.map(label));
}

/** The caveats of the periods drawn, each once, and why blank periods' figures were left out. */
function caveatNotes(input: SeriesInput, shown: TrendPoint[], notes: Notes): void {
  const gaps = shown.filter((p) => !p.total.has_data);
  // Caveats of the periods drawn, each once (a figure left out of a gap is said by the gap's note).
  const drawn = new Set(shown.map(label));
  const seen = new Set<string>();
  for (const c of input.caveats) {
    if (DRAWN.has(c.code)) continue;
    if (!input.allCaveats && c.period !== 'summary' && !drawn.has(c.period)) continue;
    if (c.code === 'PARTIAL_EXCLUDED' && gaps.some((p) => label(p) === c.period)) continue;
    const key = caveatIdentity(c);
    if (seen.has(key)) continue;
    seen.add(key);
    notes.add(describeCaveat(c), drawn.has(c.period) ? [c.period] : []);
  }
  // Blank periods whose figures were left out (straddlers): why, in words.
  const left = gaps.flatMap((p) => leftOutRecords(p.total.caveats).map((r) => ({ p, r })));
  if (left.length) {
    const records = [...new Map(left.map(({ r }) => [`${r.label}|${r.start}`, r])).values()];
    notes.add(`figures that cross the periods' boundaries are left out of them (--partial exclude; --partial prorate estimates them): ${some(records.map((r) => `"${r.label}" (${range(r.start, r.end)})`))}`, [...new Set(left.map(({ p }) => label(p)))]);
  }
}

/** A count as said: 145, 3–7, 3 or more; `digits` rounds a scaled one. */
export function countText(value: number | null, min: number | null, max: number | null, digits?: number): string {
  const n = (x: number) => humanNumber(digits === undefined ? x : Number(x.toFixed(digits)));
  if (value !== null) return n(value);
  if (min === null) return 'no data';
  if (max === min) return n(min);
  return max === null ? `${n(min)} or more` : `${n(min)}–${n(max)}`;
}
