// Period arguments and options, validated inside commander so a bad period is a usage error
// (exit 2) before any file is read.
import { existsSync } from 'node:fs';
import { InvalidArgumentError } from 'commander';
import { parseQueryPeriod } from '../engine/period.js';
import type { Period } from '../model/model.js';

/** A word that names a file rather than a period: it exists, or it ends like an input file. */
export function looksLikeFile(value: string): boolean {
  return /\.(csv|tsv|tab|txt|json|ndjson|jsonl|html?|ya?ml)$/i.test(value) || (/[/\\]/.test(value) && existsSync(value));
}

export function periodArg(value: string): Period {
  const p = parseQueryPeriod(value);
  if (!p.ok) {
    // `compare -i a.csv b.csv 2025-01 2025-02`: -i takes one file, so b.csv lands among the periods.
    if (looksLikeFile(value)) throw new InvalidArgumentError(`"${value}" is a file, not a period: -i takes one file, so give each its own -i (-i ${value})`);
    throw new InvalidArgumentError(p.reason);
  }
  return p.period;
}

export function periodList(value: string, previous: Period[] | undefined): Period[] {
  return [...(previous ?? []), periodArg(value)];
}
