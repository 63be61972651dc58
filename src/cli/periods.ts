// Period arguments and options, validated inside commander so a bad period is a usage error
// (exit 2) before any file is read.
import { InvalidArgumentError } from 'commander';
import { parseQueryPeriod } from '../core/period.js';
import type { Period } from '../schema/model.js';

export function periodArg(value: string): Period {
  const p = parseQueryPeriod(value);
  if (!p.ok) throw new InvalidArgumentError(p.reason);
  return p.period;
}

export function periodList(value: string, previous: Period[] | undefined): Period[] {
  return [...(previous ?? []), periodArg(value)];
}
