// Incident logs (design §3 item 3): one row per lost or stolen device, summed while streaming into
// one record per day and series. A log covers every day from its first to its last date (or the
// span its from/to/as-at metadata declares): a day with no incident there is a true zero, not a gap.
// Pure; validation is by cheap checks with caches, since this runs once per row of millions.
import type { AssetRecord, Period } from '../model/model.js';
import { checkpoints, type DailyCounts, type DailyRecord, type DayCounts, dailySum, expandDaily } from '../engine/daily.js';
import type { AliasTables } from '../engine/aliases.js';
import { resolveCategory, resolveDepartment, resolveStatus } from '../engine/aliases.js';
import { type Day, formatDay, isValidDate, parseIsoDay, toDay } from '../engine/dates.js';
import { type Diagnostic, type DiagnosticCode, InputError } from '../model/diagnostics.js';

export type DateFormat = 'iso' | 'dmy';

export interface IncidentFields {
  date: string;
  category: string;
  quantity: string;
  status: string;
  department: string;
  unit: string;
}

interface SeriesAcc {
  department: string;
  category: string;
  status: string;
  unit: string | null;
  /**
   * Incidents per day, indexed by day − base: one byte a day (a series' daily count rarely passes
   * 255), made two (a Uint16Array) the first time one does, and eight (a Float64Array) past
   * 65,535. Grown by a quarter at a time, so memory stays near one byte per series and day
   * however the rows are ordered.
   */
  counts: DayCounts;
  base: Day;
  firstLine: number;
}

const EMPTY = new Uint8Array(0);

/**
 * Grows a series' day array (with zeros) so that it holds [lo, hi]: every series ends up spanning
 * the whole log, so a new or grown array takes in the days the log has reached so far at once
 * (in a log in random order, one or two arrays per series rather than one per quarter grown).
 */
function widen(acc: SeriesAcc, lo: Day, hi: Day): void {
  const n = acc.counts.length;
  if (n > 0 && lo >= acc.base && hi < acc.base + n) return;
  const grewDown = n > 0 && lo < acc.base;
  if (n > 0) {
    lo = Math.min(acc.base, lo);
    hi = Math.max(acc.base + n - 1, hi);
  }
  const slack = Math.max(32, Math.ceil((hi - lo + 1) / 4));
  // The room to spare goes on the side that grew (a log in date order grows at its end).
  const base = grewDown ? lo - slack : lo;
  const size = hi - base + 1 + (grewDown ? 0 : slack);
  const c = acc.counts;
  const grown = c instanceof Uint8Array ? new Uint8Array(size) : c instanceof Uint16Array ? new Uint16Array(size) : new Float64Array(size);
  if (n > 0) grown.set(acc.counts, acc.base - base);
  acc.counts = grown;
  acc.base = base;
}

/** Adds to a day's count, the series' array made wider (once) when its bytes no longer hold it. */
function addAt(acc: SeriesAcc, i: number, qty: number): void {
  const c = acc.counts;
  const v = c[i]! + qty;
  if (v > 0xff) {
    if (v > 0xffff && !(c instanceof Float64Array)) acc.counts = Float64Array.from(c);
    else if (c instanceof Uint8Array) acc.counts = Uint16Array.from(c);
  }
  acc.counts[i] = v;
}

/** A series as the hot path holds it: what `add` resolved, passed back to `countKnown`. */
export type SeriesRef = object;

/** A warning about one raw value (the first row it appeared on). */
export interface PartWarning {
  kind: 'category' | 'department';
  raw: string;
  diagnostic: Diagnostic;
}

/** An aggregator's sums as plain data (structured-clone safe), in order of first appearance. */
export interface IncidentPart {
  series: { key: string; department: string; category: string; status: string; unit: string | null; counts: DayCounts; base: Day; firstLine: number }[];
  first: Day | undefined;
  last: Day | undefined;
  warnings: PartWarning[];
}

/** The number the n ASCII digits at bytes[a] spell; -1 when one is not a digit. */
function digitsAt(bytes: Uint8Array, a: number, n: number): number {
  let v = 0;
  for (let i = a; i < a + n; i++) {
    const c = bytes[i]! - 48;
    if (c < 0 || c > 9) return -1;
    v = v * 10 + c;
  }
  return v;
}

/**
 * Most series × days a log may span: at one byte a day, 2 GB. Past it (thousands of units over
 * centuries: most likely a date typed wrong) the log fails plainly rather than run out of memory.
 */
export const MAX_SERIES_DAYS = 2_000_000_000;


export interface IncidentContext {
  sourceId: string;
  file: string;
  aliases: AliasTables;
  metadata: Record<string, string>;
  /** Declared by `# date-format:` or --date-format; else taken from the first row, then enforced. */
  dateFormat?: DateFormat;
  department?: string;
}

const DMY = /^(\d{2})\/(\d{2})\/(\d{4})$/;

/** A date cell in one declared format; no per-row guessing, no mm/dd fallback. */
export function parseIncidentDate(text: string, format: DateFormat): Day | string {
  if (format === 'iso') {
    const d = parseIsoDay(text);
    if (d !== undefined) return d;
    if (DMY.test(text)) return `"${text}" is dd/mm/yyyy but this file's dates are YYYY-MM-DD (one format per file)`;
    if (/^\d{5}$/.test(text)) return `"${text}" looks like an Excel serial date; export dates as YYYY-MM-DD`;
    return /^\d{4}-\d{2}-\d{2}$/.test(text) ? `"${text}" is not a real date` : `expected a YYYY-MM-DD date, got "${text}"`;
  }
  const m = DMY.exec(text);
  if (!m) {
    if (parseIsoDay(text) !== undefined) return `"${text}" is YYYY-MM-DD but this file's dates are dd/mm/yyyy (one format per file)`;
    if (/^\d{1,2}\/\d{1,2}\/\d{2}$/.test(text)) return `"${text}": expected dd/mm/yyyy with a four-digit year`;
    if (/^\d{5}$/.test(text)) return `"${text}" looks like an Excel serial date; export dates as dd/mm/yyyy`;
    return `expected a dd/mm/yyyy date, got "${text}"`;
  }
  const [d, mo, y] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (mo < 1 || mo > 12) return `"${text}": month ${mo} does not exist (dates are dd/mm/yyyy)`;
  if (!isValidDate(y, mo, d)) return `"${text}" is not a real date`;
  return toDay(y, mo, d);
}

/** The format a `# date-format:` line names (`YYYY-MM-DD` or `dd/mm/yyyy`, any case); undefined for any other. */
export function dateFormatNamed(name: string): DateFormat | undefined {
  const n = name.trim().toLowerCase();
  return n === 'yyyy-mm-dd' ? 'iso' : n === 'dd/mm/yyyy' ? 'dmy' : undefined;
}

export function detectDateFormat(text: string): DateFormat | undefined {
  if (/^\d{4}-\d{2}-\d{2}$/.test(text)) return 'iso';
  if (DMY.test(text)) return 'dmy';
  return undefined;
}

/** Sums incidents by series and day; each row costs a few map lookups. */
export class IncidentAggregator {
  private readonly series = new Map<string, SeriesAcc>();
  private readonly byRaw = new Map<string, Map<string, Map<string, Map<string, SeriesAcc>>>>();
  private readonly dates = new Map<string, Day | string>();
  private readonly categories = new Map<string, string>();
  private readonly statuses = new Map<string, string>();
  private readonly departments = new Map<string, string>();
  private first: Day | undefined;
  private last: Day | undefined;
  format: DateFormat | undefined;
  /** Unknown category or department, once per raw value, with that value (to merge parts). */
  private readonly warned: PartWarning[] = [];
  private readonly defaults: { department: string; status: string; category?: string; unit: string | null };

  /** The series of the row `add` last accepted (see lastSeries). */
  private lastAcc: SeriesAcc | undefined;

  private readonly declaredFrom: Day;
  private readonly declaredTo: Day;

  constructor(private readonly ctx: IncidentContext) {
    const meta = ctx.metadata;
    this.declaredFrom = (meta.from ? parseIsoDay(meta.from) : undefined) ?? Number.NEGATIVE_INFINITY;
    this.declaredTo = (meta.to ? parseIsoDay(meta.to) : meta['as-at'] ? parseIsoDay(meta['as-at']) : undefined) ?? Number.POSITIVE_INFINITY;
    this.format = ctx.dateFormat ?? (ctx.metadata['date-format'] !== undefined ? dateFormatNamed(ctx.metadata['date-format']) : undefined);
    const dept = ctx.metadata.department ?? ctx.department;
    this.defaults = {
      department: dept ? resolveDepartment(ctx.aliases, dept).value : 'unknown',
      status: ctx.metadata.status ? resolveStatus(ctx.aliases, ctx.metadata.status).value : 'lost-or-stolen',
      category: ctx.metadata.category ? resolveCategory(ctx.aliases, ctx.metadata.category).value : undefined,
      unit: ctx.metadata.unit ?? null,
    };
  }

  /**
   * Adds one incident. Returns undefined when accepted, else the reject (which field, why).
   * `at` gives the line and 1-based column where a field starts (a row's field may sit on a later
   * line than the row's first, after a quoted line break), asked only for a reject or warning.
   */
  add(f: IncidentFields, line: number, at: (field: keyof IncidentFields) => [line: number, column: number]): Diagnostic | undefined {
    let day = this.dates.get(f.date);
    if (day === undefined) {
      if (!this.format) {
        this.format = detectDateFormat(f.date);
        if (!this.format) return this.reject(...at('date'), `expected a date (YYYY-MM-DD or dd/mm/yyyy), got "${f.date}"`, f.date, 'YYYY-MM-DD or dd/mm/yyyy');
      }
      day = parseIncidentDate(f.date, this.format);
      this.dates.set(f.date, day);
    }
    if (typeof day === 'string') return this.reject(...at('date'), day, f.date, this.format === 'dmy' ? 'dd/mm/yyyy' : 'YYYY-MM-DD');
    // A declared span (# from / # to / # as-at) bounds the log: an incident outside it would be
    // dropped from the day records, so it is rejected instead, never lost silently.
    if (day < this.declaredFrom || day > this.declaredTo) {
      return this.reject(...at('date'), `"${f.date}" is outside the span the log declares (${this.ctx.metadata.from ?? '…'} to ${this.ctx.metadata.to ?? this.ctx.metadata['as-at'] ?? '…'})`, f.date, 'a date inside # from / # to');
    }
    let qty = 1;
    const q = f.quantity;
    if (q !== '') {
      qty = 0;
      for (let i = 0; i < q.length; i++) {
        const c = q.charCodeAt(i) - 48;
        if (c < 0 || c > 9 || i > 9) return this.reject(...at('quantity'), `quantity must be a whole number ≥ 1`, q, 'a whole number or empty (1)');
        qty = qty * 10 + c;
      }
      if (qty === 0) return this.reject(...at('quantity'), 'quantity 0: an incident is at least one device', q, 'a whole number ≥ 1');
    }
    // One lookup per row on the raw cells; the alias tables only for a combination not seen yet.
    // Nested maps rather than one concatenated key: no string is built per row.
    let m1 = this.byRaw.get(f.category);
    if (!m1) this.byRaw.set(f.category, (m1 = new Map()));
    let m2 = m1.get(f.status);
    if (!m2) m1.set(f.status, (m2 = new Map()));
    let m3 = m2.get(f.department);
    if (!m3) m2.set(f.department, (m3 = new Map()));
    let acc = m3.get(f.unit);
    if (!acc) {
      const resolved = this.resolveSeries(f, line, at);
      if (typeof resolved !== 'object') return this.reject(...at('category'), 'empty category', '', 'an asset type');
      acc = resolved;
      m3.set(f.unit, acc);
    }
    this.lastAcc = acc;
    this.count(acc, day, qty);
    return undefined;
  }

  private count(acc: SeriesAcc, day: Day, qty: number): void {
    if (this.first === undefined || day < this.first) this.first = day;
    if (this.last === undefined || day > this.last) this.last = day;
    if (day < acc.base || day - acc.base >= acc.counts.length) widen(acc, this.first, this.last);
    addAt(acc, day - acc.base, qty);
  }

  /**
   * The hot path's date: the day of bytes[a, b) when they are a real date in the log's format
   * (known once `add` has read a date) inside any declared span; else undefined, and the row goes
   * through `add` like any other. Digits straight to a day: no text made, nothing looked up.
   */
  dayAt(bytes: Uint8Array, a: number, b: number): Day | undefined {
    if (b - a !== 10) return undefined;
    let y: number, m: number, d: number;
    if (this.format === 'iso') {
      if (bytes[a + 4] !== 45 || bytes[a + 7] !== 45) return undefined;
      y = digitsAt(bytes, a, 4);
      m = digitsAt(bytes, a + 5, 2);
      d = digitsAt(bytes, a + 8, 2);
    } else if (this.format === 'dmy') {
      if (bytes[a + 2] !== 47 || bytes[a + 5] !== 47) return undefined;
      d = digitsAt(bytes, a, 2);
      m = digitsAt(bytes, a + 3, 2);
      y = digitsAt(bytes, a + 6, 4);
    } else return undefined;
    // (a digit that is not one reads as -1: never a valid date)
    if (!isValidDate(y, m, d)) return undefined;
    const day = toDay(y, m, d);
    return day < this.declaredFrom || day > this.declaredTo ? undefined : day;
  }

  /** The series of the row `add` last accepted (for the sink's table of series texts). */
  get lastSeries(): SeriesRef {
    return this.lastAcc!;
  }

  /** Counts a row the hot path read: a series `add` resolved before, a day `dayAt` gave. */
  countKnown(series: SeriesRef, day: Day, qty: number): void {
    this.count(series as SeriesAcc, day, qty);
  }

  get warnings(): Diagnostic[] {
    return this.warned.map((w) => w.diagnostic);
  }

  /** What this aggregator has summed, as plain data (a worker posts its part of a log back). */
  part(): IncidentPart {
    return {
      series: [...this.series].map(([key, a]) => ({ key, department: a.department, category: a.category, status: a.status, unit: a.unit, counts: a.counts, base: a.base, firstLine: a.firstLine })),
      first: this.first,
      last: this.last,
      warnings: this.warned,
    };
  }

  /**
   * Adds the part of the log that follows the rows seen here (read elsewhere, its lines counted
   * from 1): `shift` turns its line numbers into this file's. The result is what reading both
   * parts in order would have given: series in order of first appearance, each warning once.
   */
  merge(part: IncidentPart, shift: number): void {
    for (const w of part.warnings) {
      const seen = w.kind === 'category' ? this.categories.has(w.raw) : this.departments.has(w.raw);
      if (!seen) this.warned.push({ ...w, diagnostic: { ...w.diagnostic, line: (w.diagnostic.line ?? 0) + shift } });
    }
    for (const s of part.series) {
      let acc = this.series.get(s.key);
      if (!acc) {
        acc = { department: s.department, category: s.category, status: s.status, unit: s.unit, counts: EMPTY, base: 0, firstLine: s.firstLine + shift };
        this.series.set(s.key, acc);
      }
      // Only the days that have incidents are added (the part's array has room to spare).
      let from = 0;
      let to = s.counts.length - 1;
      while (from <= to && s.counts[from] === 0) from++;
      while (to >= from && s.counts[to] === 0) to--;
      if (from > to) continue;
      widen(acc, s.base + from, s.base + to);
      const off = s.base - acc.base;
      for (let i = from; i <= to; i++) if (s.counts[i]) addAt(acc, off + i, s.counts[i]!);
    }
    if (part.first !== undefined && (this.first === undefined || part.first < this.first)) this.first = part.first;
    if (part.last !== undefined && (this.last === undefined || part.last > this.last)) this.last = part.last;
  }

  private reject(line: number, column: number, message: string, got: string, expected?: string): Diagnostic {
    return { file: this.ctx.file, line, column, code: 'REJECTED_ROW', message, got, expected };
  }

  private warn(kind: PartWarning['kind'], raw: string, [line, column]: [number, number], code: DiagnosticCode, message: string): void {
    this.warned.push({ kind, raw, diagnostic: { file: this.ctx.file, line, column, code, message } });
  }

  private resolveSeries(f: IncidentFields, line: number, at: (field: keyof IncidentFields) => [line: number, column: number]): SeriesAcc | undefined {
    let category = this.categories.get(f.category);
    if (category === undefined) {
      if (f.category === '' && !this.defaults.category) return undefined;
      const r = f.category === '' ? { value: this.defaults.category!, known: true } : resolveCategory(this.ctx.aliases, f.category);
      category = r.value;
      if (!r.known) this.warn('category', f.category, at('category'), 'UNKNOWN_CATEGORY', `category "${f.category}" is not known; kept as "${r.value}"`);
      this.categories.set(f.category, category);
    }
    let status = this.statuses.get(f.status);
    if (status === undefined) {
      status = f.status === '' ? this.defaults.status : resolveStatus(this.ctx.aliases, f.status).value;
      this.statuses.set(f.status, status);
    }
    let department = this.departments.get(f.department);
    if (department === undefined) {
      if (f.department === '') department = this.defaults.department;
      else {
        const d = resolveDepartment(this.ctx.aliases, f.department);
        department = d.value;
        if (!d.known) this.warn('department', f.department, at('department'), 'UNKNOWN_DEPARTMENT', `department "${f.department}" is not in the alias table; kept as written`);
      }
      this.departments.set(f.department, department);
    }
    const unit = f.unit === '' ? this.defaults.unit : f.unit;
    const seriesKey = `${department}\u001f${category}\u001f${status}\u001f${unit ?? ''}`;
    let acc = this.series.get(seriesKey);
    if (!acc) {
      acc = { department, category, status, unit, counts: EMPTY, base: 0, firstLine: line };
      this.series.set(seriesKey, acc);
    }
    return acc;
  }

  /** The span the log covers: from/to (or as-at) metadata when declared, else first..last date. */
  span(): { start: Day; end: Day } | undefined {
    const meta = this.ctx.metadata;
    const from = meta.from ? parseIsoDay(meta.from) : undefined;
    const to = meta.to ? parseIsoDay(meta.to) : meta['as-at'] ? parseIsoDay(meta['as-at']) : undefined;
    const start = from ?? this.first;
    const end = to ?? this.last;
    return start === undefined || end === undefined ? undefined : { start, end };
  }

  /**
   * One record per series standing for its day records over the span (zero where no incident
   * was logged), its counts kept dense: see daily.ts.
   */
  dailyRecords(): DailyRecord[] {
    const span = this.span();
    if (!span) return [];
    const days = span.end - span.start + 1;
    if (this.series.size * days > MAX_SERIES_DAYS) {
      throw new InputError('TOO_MANY_SERIES_DAYS', `this log spans ${this.series.size.toLocaleString('en-GB')} series × ${days.toLocaleString('en-GB')} days, more than the ${MAX_SERIES_DAYS.toLocaleString('en-GB')} that fit in memory; split the log (by department or unit) or shorten its span (# from / # to)`, { line: 1 }, `at most ${MAX_SERIES_DAYS} series × days`, `${this.series.size} × ${days}`);
    }
    const start = formatDay(span.start);
    const end = formatDay(span.end);
    const period: Period = { start, end, label: `${start}..${end}`, kind: 'custom' };
    const out: DailyRecord[] = [];
    for (const acc of this.series.values()) {
      // One series object for all of a series' days (the engine keys series by identity).
      const series = { department: acc.department, category: acc.category, status: acc.status, unit: acc.unit };
      const daily: DailyCounts = { start: span.start, end: span.end, base: acc.base, counts: acc.counts, sums: checkpoints(acc.counts), line: acc.firstLine };
      const sum = dailySum(daily, span.start, span.end);
      out.push({
        series,
        period,
        count: { kind: 'exact', value: sum, flags: [] },
        provenance: { source_id: this.ctx.sourceId, file: this.ctx.file, line: acc.firstLine, column: 0, raw: String(sum), row_label: period.label, column_label: 'incidents' },
        daily,
      });
    }
    return out;
  }

  /** One record per series and day of the span, zero where no incident was logged. */
  records(): AssetRecord[] {
    return expandDaily(this.dailyRecords());
  }
}

