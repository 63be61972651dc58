// `compare` as a report. JSON: {per, finding, periods, comparisons, caveats}; csv/tsv/ndjson: one
// row per period with its comparison against the first period, the same columns whatever the
// data. Human formats: a one-line finding, the periods (lettered A, B, …), then the comparisons
// named in words (A vs B, change A−B, A ÷ B).
import { type CompareResult, type Comparison, figureFlags, type PerUnit, type PeriodEntry, statusText } from '../engine/compare.js';
import { describeCaveat, range } from './caveats.js';
import { type Cell, type Column, humanNumber, type HumanTable, PERIOD_TOTAL_COLUMNS, type Report, dimensionKey } from './report.js';

const gapText = (gaps: { start: string; end: string }[]) => gaps.map((g) => (g.start === g.end ? g.start : `${g.start}..${g.end}`));

/** What the figures count, for the finding: "phones", "laptops", or "devices". */
export interface CompareSubject {
  categories?: string[];
}

const PLURAL: Record<string, [string, string]> = {
  phone: ['phone', 'phones'], laptop: ['laptop', 'laptops'], computer: ['computer', 'computers'], tablet: ['tablet', 'tablets'],
  usb: ['USB stick', 'USB sticks'], 'hard-drive': ['hard drive', 'hard drives'], 'removable-media': ['item of removable media', 'items of removable media'],
  pda: ['PDA', 'PDAs'], pager: ['pager', 'pagers'], other: ['other device', 'other devices'],
};

function noun(category: string | undefined, n: number | null): string {
  const [one, many] = category === undefined ? ['device', 'devices'] : PLURAL[category] ?? [`${category} device`, `${category} devices`];
  return n === 1 ? one : many;
}

const PER_WORDS: Record<PerUnit, [string, string]> = { day: ['a day', 'daily'], week: ['a week', 'weekly'], month: ['a month', 'monthly'], year: ['a year', 'yearly'] };

/** A figure for a sentence: 4.6, 0.36, 12.9, 1,234. */
function say(n: number): string {
  if (Number.isInteger(n)) return humanNumber(n);
  if (Math.abs(n) >= 1) return humanNumber(Number(n.toFixed(1)));
  return String(Number(n.toPrecision(2)));
}

function countPhrase(e: PeriodEntry, category: string | undefined): string {
  if (e.total !== null) return `${say(e.total)} ${noun(category, e.total)}`;
  if (e.estimate && e.total_min !== null && e.total_min === e.total_max) return `about ${say(e.total_min)} ${noun(category, e.total_min)} (an estimate)`;
  if (e.total_max === null) return `at least ${say(e.total_min!)} ${noun(category, 2)}`;
  return `between ${say(e.total_min!)} and ${say(e.total_max)} ${noun(category, 2)}${e.estimate ? ' (an estimate)' : ''}`;
}

function daysPhrase(e: PeriodEntry): string {
  return e.covered_days < e.days ? `${humanNumber(e.covered_days)} of its ${humanNumber(e.days)} days (the others have no figure)` : `${humanNumber(e.days)} days`;
}

function ratePhrase(e: PeriodEntry, per: PerUnit): string | undefined {
  if (e.rate !== null) return `${say(e.rate)} ${PER_WORDS[per][0]}`;
  if (e.rate_min !== null && e.rate_max !== null) return `${say(e.rate_min)}–${say(e.rate_max)} ${PER_WORDS[per][0]}`;
  return undefined;
}

function timesPhrase(v: number | null, lo: number | null, hi: number | null): string | undefined {
  if (v !== null) return `${say(v)}×`;
  if (lo !== null && hi !== null) return `${say(lo)}–${say(hi)}×`;
  if (lo !== null) return `at least ${say(lo)}×`;
  return undefined;
}

/**
 * The comparison in one plain sentence: "269 phones in 58 days, 4.6 a day: 12.9× the daily rate
 * of 2023..2024, 262 in 731 days." Missing data, gaps, ranges and estimates are said in it.
 */
export function findingText(a: PeriodEntry, b: PeriodEntry, c: Comparison, per: PerUnit, category: string | undefined): string {
  const group = a.group !== undefined ? `${a.group || '(none)'}: ` : '';
  if (!a.result.has_data || !b.result.has_data) {
    const none = [a, b].filter((e) => !e.result.has_data).map((e) => e.period).join(' and ');
    return `${group}no data for ${none} in this selection (not zero), so no comparison of ${a.period} with ${b.period}.`;
  }
  const head = `${group}${countPhrase(a, category)} in ${daysPhrase(a)}`;
  const rateA = ratePhrase(a, per);
  const times = timesPhrase(c.rate_ratio, c.rate_ratio_min, c.rate_ratio_max);
  const otherCount = countPhrase(b, category).replace(` ${noun(category, 2)}`, '').replace(` ${noun(category, 1)}`, '');
  const other = `${otherCount} in ${daysPhrase(b)}`;
  if (rateA && times) return `${head}, ${rateA}: ${times} the ${PER_WORDS[per][1]} rate of ${b.period}, ${other}.`;
  const totalTimes = timesPhrase(c.ratio, c.ratio_min, c.ratio_max);
  return `${head}: ${totalTimes ? `${totalTimes} the total of` : 'against'} ${b.period}, ${other} (no ${PER_WORDS[per][1]} rate: the series cover different days).`;
}

const letter = (i: number) => (i < 26 ? String.fromCharCode(65 + i) : `P${i + 1}`);

function rangeText(v: number | null, lo: number | null, hi: number | null, digits?: number, sign = false): string {
  const f = (n: number) => `${sign && n > 0 ? '+' : ''}${humanNumber(n, digits)}`;
  if (v !== null) return f(v);
  if (lo === null && hi === null) return '';
  return `${lo === null ? '?' : f(lo)}–${hi === null ? '?' : f(hi)}`;
}

/** A total as people read it, with its marker: `*` part of the period has no figure, `~` an estimate, `≈` an approximate period. */
function humanTotal(e: PeriodEntry): string {
  if (!e.result.has_data) return 'no data';
  const mark = `${e.covered_days < e.days ? '*' : ''}${e.estimate ? '~' : ''}${e.result.approximate ? '≈' : ''}`;
  return `${rangeText(e.total, e.total_min, e.total_max)}${mark}`;
}

/** The row's note (machine formats): why a figure is not whole, in words. */
function noteOf(e: PeriodEntry): string {
  if (!e.result.has_data) return 'no data for this selection (not zero)';
  const parts: string[] = [];
  if (e.covered_days < e.days) parts.push(`figures cover ${e.covered_days} of ${e.days} days; no figure for ${e.gaps.map((g) => range(g.start, g.end)).join(', ')}`);
  if (e.total === null && !e.estimate) parts.push(e.total_max === null ? 'suppressed cells: at least the minimum, no upper bound' : 'suppressed cells: the total is a range');
  if (e.estimate) parts.push('an estimate (records counted pro rata by days)');
  if (e.result.approximate) parts.push('the answer gives its period only roughly (such as "in the last year"): the days are the likeliest ones, not stated');
  return parts.join('; ');
}

const groupKey = (e: { group?: string }) => e.group ?? '';

export function compareReport(result: CompareResult, subject: CompareSubject = {}): Report {
  const by = result.by;
  const byKey = by ? dimensionKey(by) : undefined;
  const category = subject.categories?.length === 1 ? subject.categories[0] : undefined;
  const columns = machineColumns(byKey);
  const firstOf = new Map<string, PeriodEntry>();
  for (const p of result.periods) if (!firstOf.has(groupKey(p))) firstOf.set(groupKey(p), p);
  const cmpOf = (p: PeriodEntry) => result.comparisons.find((c) => c.b === p.period && groupKey(c) === groupKey(p) && firstOf.get(groupKey(p)) !== p);
  /** A row's flags: its period's, and for a row with a comparison the first period's too. */
  const rowFlags = (p: PeriodEntry) => {
    const first = firstOf.get(groupKey(p))!;
    return first === p ? figureFlags(p.result) : [...figureFlags(first.result), ...figureFlags(p.result)];
  };
  const findings = new Map<Comparison, string>();
  for (const c of result.comparisons) {
    const a = firstOf.get(groupKey(c))!;
    const b = result.periods.find((p) => p.period === c.b && groupKey(p) === groupKey(c) && p !== a)!;
    findings.set(c, findingText(a, b, c, result.per, by === 'category' ? c.group : category));
  }
  const rows: Record<string, Cell>[] = result.periods.map((p) => {
    const cmp = cmpOf(p);
    const status = statusText(rowFlags(p));
    const row: Record<string, Cell> = {
      period: p.period, start: p.start, end: p.end, days: p.days, covered_days: p.covered_days,
      total: p.total, total_min: p.total_min, total_max: p.total_max, rate: p.rate, rate_min: p.rate_min, rate_max: p.rate_max,
      complete: String(status === 'complete'), status, gaps: gapText(p.gaps),
      comparison: cmp ? `${cmp.a} vs ${cmp.b}` : null,
      difference: cmp?.difference ?? null, difference_min: cmp?.difference_min ?? null, difference_max: cmp?.difference_max ?? null,
      ratio: cmp?.ratio ?? null, ratio_min: cmp?.ratio_min ?? null, ratio_max: cmp?.ratio_max ?? null,
      rate_ratio: cmp?.rate_ratio ?? null, rate_ratio_min: cmp?.rate_ratio_min ?? null, rate_ratio_max: cmp?.rate_ratio_max ?? null,
      note: noteOf(p),
    };
    if (byKey) row[byKey] = p.group ?? null;
    return row;
  });
  // The JSON document and the notes are made when a format asks for them (a CSV wants neither,
  // and a million records' caveats take a while to describe).
  let json: unknown;
  let notes: string[] | undefined;
  return {
    columns, rows, ...humanView(result, findings, firstOf),
    get json() { return (json ??= compareJson(result, findings, firstOf)); },
    get notes() { return (notes ??= notesOf(result)); },
  };
}

/** The machine columns: one row per period, the same columns whatever the data. */
function machineColumns(byKey: string | undefined): Column[] {
  return [
    ...(byKey ? [{ key: byKey, type: 'text' as const }] : []),
    ...PERIOD_TOTAL_COLUMNS,
    { key: 'complete', type: 'text' }, { key: 'status', type: 'text' }, { key: 'gaps', type: 'list' },
    { key: 'comparison', type: 'text' },
    { key: 'difference', type: 'number' }, { key: 'difference_min', type: 'number' }, { key: 'difference_max', type: 'number' },
    { key: 'ratio', type: 'number' }, { key: 'ratio_min', type: 'number' }, { key: 'ratio_max', type: 'number' },
    { key: 'rate_ratio', type: 'number' }, { key: 'rate_ratio_min', type: 'number' }, { key: 'rate_ratio_max', type: 'number' },
    { key: 'note', type: 'text' },
  ];
}

/** The `json` document: {per, by, finding, periods, comparisons, caveats}. */
function compareJson(result: CompareResult, findings: Map<Comparison, string>, firstOf: Map<string, PeriodEntry>): Record<string, unknown> {
  const by = result.by;
  const byKey = by ? dimensionKey(by) : undefined;
  return {
    per: result.per,
    ...(by ? { by } : {}),
    finding: result.comparisons.length ? findings.get(result.comparisons[0]!)! : null,
    periods: result.periods.map((p) => {
      const status = statusText(figureFlags(p.result));
      return {
        ...(byKey ? { [byKey]: p.group ?? null } : {}),
        period: p.period, start: p.start, end: p.end, days: p.days, covered_days: p.covered_days,
        total: p.total, total_min: p.total_min, total_max: p.total_max, estimate: p.estimate,
        rate: p.rate, rate_min: p.rate_min, rate_max: p.rate_max, gaps: p.gaps,
        complete: status === 'complete', status, note: noteOf(p) || null,
      };
    }),
    comparisons: result.comparisons.map((c) => {
      const a = firstOf.get(groupKey(c))!;
      const b = result.periods.find((p) => p.period === c.b && groupKey(p) === groupKey(c) && p !== a)!;
      const status = statusText([...figureFlags(a.result), ...figureFlags(b.result)]);
      return {
        ...(byKey ? { [byKey]: c.group ?? null } : {}), ...omitGroup(c),
        label: `${c.a} vs ${c.b}`, complete: status === 'complete', status, finding: findings.get(c)!,
      };
    }),
    caveats: result.caveats.map((c) => ({ ...c, message: describeCaveat(c) })),
  };
}

/** Human formats: the finding, the periods lettered A, B, … and the comparisons in words. */
function humanView(result: CompareResult, findings: Map<Comparison, string>, firstOf: Map<string, PeriodEntry>): Pick<Report, 'lead' | 'humanTables'> {
  const by = result.by;
  const byKey = by ? dimensionKey(by) : undefined;
  const letters = new Map<PeriodEntry, string>();
  const count = new Map<string, number>();
  for (const p of result.periods) {
    const k = p.group ?? '';
    const n = count.get(k) ?? 0;
    letters.set(p, letter(n));
    count.set(k, n + 1);
  }
  const periods: HumanTable = {
    columns: [
      ...(byKey ? [{ key: byKey, type: 'text' as const }] : []),
      { key: 'letter', type: 'text', title: '' }, { key: 'period', type: 'text' },
      { key: 'days', type: 'number' }, { key: 'covered', type: 'number', drop: 1 },
      { key: 'total', type: 'number' }, { key: 'rate', type: 'number', title: `per ${result.per}` },
    ],
    rows: result.periods.map((p) => ({
      ...(byKey ? { [byKey]: p.group ?? '' } : {}),
      letter: letters.get(p)!, period: p.period, days: p.days, covered: p.covered_days,
      total: humanTotal(p), rate: rangeText(p.rate, p.rate_min, p.rate_max, 2),
    })),
  };
  const perGroup = Math.max(0, ...[...count.values()]) - 1;
  const other = perGroup === 1 ? 'B' : 'other';
  const comparisons: HumanTable = {
    columns: [
      ...(byKey ? [{ key: byKey, type: 'text' as const }] : []),
      { key: 'comparison', type: 'text' },
      { key: 'change', type: 'number', title: `change A−${other}` },
      { key: 'ratio', type: 'number', title: `A ÷ ${other}` },
      { key: 'rate_ratio', type: 'number', title: `rate A ÷ ${other}` },
    ],
    rows: result.comparisons.map((c) => {
      const a = firstOf.get(c.group ?? '')!;
      const b = result.periods.find((p) => p.period === c.b && (p.group ?? '') === (c.group ?? '') && p !== a)!;
      return {
        ...(byKey ? { [byKey]: c.group ?? '' } : {}),
        comparison: `${letters.get(a)} vs ${letters.get(b)}`,
        change: rangeText(c.difference, c.difference_min, c.difference_max, undefined, true),
        ratio: rangeText(c.ratio, c.ratio_min, c.ratio_max, 2),
        rate_ratio: rangeText(c.rate_ratio, c.rate_ratio_min, c.rate_ratio_max, 2),
      };
    }),
  };
  // With --by, one finding per group would crowd the top: the first is the headline, the rest are in JSON.
  const lead = result.comparisons.length ? [findings.get(result.comparisons[0]!)!] : [];
  return { lead, humanTables: result.comparisons.length ? [periods, comparisons] : [periods] };
}

function notesOf(result: CompareResult): string[] {
  const notes: string[] = [];
  if (result.periods.some((p) => p.result.has_data && p.covered_days < p.days)) notes.push('* part of the period has no figure: the total covers only the days with figures (see the gaps below)');
  if (result.periods.some((p) => p.estimate)) notes.push('~ an estimate: records crossing the period boundary counted pro rata by days (--partial prorate)');
  if (result.periods.some((p) => p.result.approximate)) notes.push('≈ an approximate period: the answer gives it only roughly ("in the last year"), so its days are the likeliest ones, not stated');
  if (result.periods.some((p) => p.result.has_data && p.total === null)) notes.push('a–b: suppressed cells make the total a range (from the lowest to the highest value they allow; ? when unbounded)');
  return [...notes, ...result.caveats.map(describeCaveat)];
}

function omitGroup<T extends { group?: string }>(c: T): Omit<T, 'group'> {
  const { group: _g, ...rest } = c;
  return rest;
}
