// What changed in a claims file's results since its last run: a claim that flipped (pass → fail),
// a figure that moved, the answers behind it that changed. Pure: two states in, changes out; the
// state file itself is read and written in io/check-state-file.ts.
import type { ClaimResult } from './claims.js';

/** One claim's result as remembered between runs. */
export interface ClaimMemory {
  status: ClaimResult['status'];
  actual: { min: number | null; max: number | null } | null;
  /** The answers (source ids) whose figures the claim used, with their vintage date. */
  sources: Record<string, string | null>;
}

export interface CheckState {
  claims_file: string;
  checked: string;
  claims: Record<string, ClaimMemory>;
}

export interface ClaimChange {
  id: string;
  line: number;
  kind: 'flipped' | 'moved' | 'new';
  from?: string;
  to?: string;
  /** Answers used now and not last time, or with another vintage: the answers that changed it. */
  answers: string[];
}

export function memoryOf(r: ClaimResult, vintageOf: (sourceId: string) => string | null): ClaimMemory {
  return {
    status: r.status,
    actual: r.actual ? { min: r.actual.min, max: r.actual.max } : null,
    sources: Object.fromEntries([...new Set(r.sources)].sort().map((s) => [s, vintageOf(s)])),
  };
}

function figure(a: ClaimMemory['actual']): string {
  if (!a) return 'no figure';
  if (a.min === a.max) return String(a.min);
  return `${a.min ?? '?'}–${a.max ?? '?'}`;
}

/** The changes of each claim since `before` (none when there was no earlier run). */
export function changesSince(before: CheckState | undefined, results: ClaimResult[], now: Record<string, ClaimMemory>): ClaimChange[] {
  if (!before) return [];
  const out: ClaimChange[] = [];
  for (const r of results) {
    const was = before.claims[r.id];
    const is = now[r.id]!;
    if (!was) { out.push({ id: r.id, line: r.line, kind: 'new', to: is.status, answers: [] }); continue; }
    const used: Record<string, string | null> = was.sources && typeof was.sources === 'object' ? was.sources : {};
    const answers = Object.keys(is.sources).filter((s) => !(s in used) || used[s] !== is.sources[s]);
    if (was.status !== is.status) out.push({ id: r.id, line: r.line, kind: 'flipped', from: was.status, to: is.status, answers });
    else if (figure(was.actual) !== figure(is.actual)) out.push({ id: r.id, line: r.line, kind: 'moved', from: figure(was.actual), to: figure(is.actual), answers });
  }
  return out;
}

export function describeChange(c: ClaimChange): string {
  const by = c.answers.length ? ` (changed by ${c.answers.join(', ')})` : '';
  if (c.kind === 'new') return `claim ${c.id}: new since the last run (${c.to})`;
  if (c.kind === 'flipped') return `claim ${c.id}: ${c.from} → ${c.to} since the last run${by}`;
  return `claim ${c.id}: its figure moved from ${c.from} to ${c.to} since the last run${by}`;
}
