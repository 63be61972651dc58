// What stops a total: a straddling record under --partial error, gaps under --require-complete.
// Both exit 2 with every reason on stderr and nothing on stdout.
import type { Caveat } from '../../engine/total.js';
import { describeCaveat, range } from '../../format/caveats.js';
import { ExitError, type Io } from '../context.js';
import { escapeControls } from '../../model/diagnostics.js';

export function failOnCaveats(caveats: Caveat[], periods: { label: string; gaps: { start: string; end: string }[] }[], opts: { requireComplete?: boolean }, io: Io): void {
  const errors = caveats.filter((c) => c.severity === 'error');
  const lines = errors.map((c) => describeCaveat(c));
  if (opts.requireComplete) {
    for (const p of periods) {
      for (const g of p.gaps) lines.push(`${p.label}: no figure covers ${range(g.start, g.end)} (--require-complete)`);
    }
  }
  if (lines.length === 0) return;
  for (const l of [...new Set(lines)]) io.stderr.write(`assetloss: ${escapeControls(l)}\n`);
  throw new ExitError(2);
}
