// The choices and defaults of `trend` (shared by commander and the engine; tiny, so the CLI's
// option wiring does not load the trend engine).

export const TREND_BY = ['month', 'quarter', 'year', 'fy'] as const;
export type TrendBy = (typeof TREND_BY)[number];

export const SPIKE_METHODS = ['preceding', 'others'] as const;
export type SpikeMethod = (typeof SPIKE_METHODS)[number];

export interface SpikeOptions {
  /** preceding: the periods before it (a fair "so far"); others: every other period of the series. */
  method: SpikeMethod;
  /** preceding: how many periods before it form the baseline (0: all of them). */
  window: number;
  /** A period is a spike when its robust score is at least this. */
  threshold: number;
  /** Fewer baseline periods than this: not judged. */
  minPeriods: number;
}

export const DEFAULT_SPIKES: SpikeOptions = { method: 'preceding', window: 12, threshold: 10, minPeriods: 6 };
