// Caveats as data: what qualifies a total's figure, one shape per code. The engine builds them
// (src/engine/total.ts), src/format/caveats.ts puts them in words; JSON output writes each as it
// was built, so the order its fields are written in when built is the order of its keys.

/** Errors stop the run (a straddler under --partial error); the rest qualify the figure. Each code has one. */
export type Severity = 'error' | 'warning' | 'info';

/** A record a caveat names: where it came from and what it says. */
export interface RecordRef {
  source_id: string;
  label: string;
  start: string;
  end: string;
  value: string;
  file: string;
  line: number;
  series: string;
  /** Its period is given only roughly ("in the last year"): where it ends is not known. */
  approximate?: true;
}

/** What every caveat has. `period`: the label of the period it concerns ('summary': the whole summary). */
interface CaveatOf<C extends string, S extends Severity> {
  code: C;
  severity: S;
  period: string;
  series?: string;
  record?: RecordRef;
}

/** A caveat on the period or the selection as a whole: it names no series and no record. */
interface WholeCaveat<C extends string, S extends Severity> extends CaveatOf<C, S> {
  series?: never;
  record?: never;
}

/** A caveat on one record of one series (`series`: the record's own). */
interface RecordCaveat<C extends string, S extends Severity> extends CaveatOf<C, S> {
  series: string;
  record: RecordRef;
}

/** No record of the selection touches the period: no figure (not zero). */
export type NoDataCaveat = WholeCaveat<'NO_DATA', 'warning'>;

/** The series added together cover different days: their sum has no per-day rate. */
export type UnevenCoverageCaveat = WholeCaveat<'UNEVEN_COVERAGE', 'info'>;

/** Summary rows each over their own period (--own-periods): compare rates, not totals. */
export type PeriodsDifferCaveat = WholeCaveat<'PERIODS_DIFFER', 'info'>;

/** Days of the period no figure of the series covers: `start`–`end`. */
export interface GapCaveat extends CaveatOf<'GAP', 'warning'> {
  series: string;
  record?: never;
  start: string;
  end: string;
}

/** A record crossing the period's `boundary` (the period's first or last day). */
interface StraddlerCaveat<C extends string, S extends Severity> extends RecordCaveat<C, S> {
  boundary: string;
}

/** A straddler under --partial error: the run stops. */
export type StraddlesCaveat = StraddlerCaveat<'STRADDLES', 'error'>;
/** A straddler left out (--partial exclude). */
export type PartialExcludedCaveat = StraddlerCaveat<'PARTIAL_EXCLUDED', 'warning'>;
/** A straddler counted whole (--partial include). */
export type PartialIncludedCaveat = StraddlerCaveat<'PARTIAL_INCLUDED', 'warning'>;
/** A straddler whose days inside are covered by other records: not used. */
export type RedundantOverlapCaveat = StraddlerCaveat<'REDUNDANT_OVERLAP', 'info'>;

/** A straddler counted pro rata for its days inside the period, `start`–`end` (--partial prorate). */
export interface ProratedCaveat extends StraddlerCaveat<'PRORATED', 'warning'> {
  start: string;
  end: string;
}

/** The records inside a whole, and what their figures add up to (max null: no upper bound). */
interface Parts {
  parts: RecordRef[];
  parts_min: number;
  parts_max: number | null;
}

/**
 * `record` is left out of the total: `other`, a record used, stands for its days. `newer`: whether
 * `other` comes from a newer answer than `record` (absent: the same answer).
 */
interface OverlapOf<R extends string> extends RecordCaveat<'OVERLAP', 'info'> {
  other: RecordRef;
  relation: R;
  newer?: boolean;
}

/** `record` lies inside `other`, which is used. */
export type OverlapInsideCaveat = OverlapOf<'inside'>;
/** `record` is a whole that `parts` (the first of them: `other`) tile and agree with; they are used. */
export interface OverlapContainsCaveat extends OverlapOf<'contains'>, Parts {}
/** `record` crosses `other`, the first of the records used it shares days with. */
export type OverlapCrossesCaveat = OverlapOf<'crosses'>;

/**
 * A straddler in play (--partial include|prorate) left out of the cover: it crosses `boundary`
 * and the records used, the first of which is `other` (always found, as a record that met none
 * of them would have been used; the type cannot show that).
 */
export interface StraddlerOverlapCaveat extends RecordCaveat<'OVERLAP', 'info'> {
  boundary: string;
  other?: RecordRef;
  relation: 'crosses';
  newer?: boolean;
}

export type OverlapCaveat = OverlapInsideCaveat | OverlapContainsCaveat | OverlapCrossesCaveat | StraddlerOverlapCaveat;

/** A newer answer gives `other` for `record`'s period; `counted`: whether the total uses it. */
export interface RevisionCaveat extends RecordCaveat<'REVISION', 'info'> {
  other: RecordRef;
  counted: boolean;
}

/** One answer gives two figures, `record` and `other`, for the same period. */
export interface TwoFiguresCaveat extends RecordCaveat<'INCONSISTENCY', 'warning'> {
  other: RecordRef;
  relation?: never;
}

/** A part, `record`, is larger than `other`, the whole it lies inside; `newer` as for an overlap. */
export interface PartOverWholeCaveat extends RecordCaveat<'INCONSISTENCY', 'warning'> {
  other: RecordRef;
  relation: 'inside';
  newer?: boolean;
}

/** `record` is a whole whose `parts` (the first: `other`) add up to more than it, or tile it and add up to less. */
export interface PartsMismatchCaveat extends RecordCaveat<'INCONSISTENCY', 'warning'>, Parts {
  other: RecordRef;
  relation: 'contains';
}

export type InconsistencyCaveat = TwoFiguresCaveat | PartOverWholeCaveat | PartsMismatchCaveat;

/** A record used is suppressed (`[c]`): the total is a range. */
export type SuppressedCaveat = RecordCaveat<'SUPPRESSED', 'info'>;
/** A record with no figure (not available) that nothing else covers: its days are a gap. */
export type MissingValueCaveat = RecordCaveat<'MISSING_VALUE', 'warning'>;

/**
 * What an answer's words say of a record used: `source`, the answer, and `words`, the period's
 * words, read as `start`–`end`. One per answer (its records share its words): no series or record.
 */
interface WordsCaveat<C extends string, S extends Severity> extends WholeCaveat<C, S> {
  source: string;
  words: string;
  start: string;
  end: string;
}

/** The answer gives its period only roughly ("in the last year"): the figure is approximate. */
export type ApproximatePeriodCaveat = WordsCaveat<'APPROXIMATE_PERIOD', 'warning'>;
/** The period was read from the answer's words; `from`: where (caption, text, question, metadata). */
export interface PeriodFromWordsCaveat extends WordsCaveat<'PERIOD_FROM_WORDS', 'info'> {
  from: string;
}
/** The figures were read from the answer's sentences, not a table. */
export type FromTextCaveat = WordsCaveat<'FROM_TEXT', 'info'>;

/** Every caveat: narrow by `code` (and by `relation` for OVERLAP and INCONSISTENCY) to its fields. */
export type Caveat =
  | NoDataCaveat | UnevenCoverageCaveat | PeriodsDifferCaveat | GapCaveat
  | StraddlesCaveat | PartialExcludedCaveat | PartialIncludedCaveat | ProratedCaveat | RedundantOverlapCaveat
  | OverlapCaveat | RevisionCaveat | InconsistencyCaveat | SuppressedCaveat | MissingValueCaveat
  | ApproximatePeriodCaveat | PeriodFromWordsCaveat | FromTextCaveat;

export type CaveatCode = Caveat['code'];
