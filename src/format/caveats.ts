// Caveat codes into words: the only place that phrases them. Tests assert codes, not wording.
import type { Caveat, RecordRef } from '../core/total.js';

function day(iso: string): string {
  const [y, m, d] = iso.split('-').map(Number);
  const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  return `${d} ${months[m! - 1]} ${y}`;
}

export function range(start: string, end: string): string {
  return start === end ? day(start) : `${day(start)}–${day(end)}`;
}

function rec(r: RecordRef): string {
  return `"${r.label}" (${range(r.start, r.end)}, ${r.value}; ${r.file}:${r.line})`;
}

export function describeCaveat(c: Caveat): string {
  const series = c.series ? `${c.series}: ` : '';
  const r = c.record;
  const o = c.other;
  switch (c.code) {
    case 'NO_DATA': return `${c.period}: no data for this selection (not zero)`;
    case 'GAP': return `${c.period}: ${series}no figure covers ${range(c.start!, c.end!)}; the total is incomplete`;
    case 'STRADDLES': return `${c.period}: ${series}record ${rec(r!)} crosses the boundary ${c.boundary}; use --partial exclude|include|prorate`;
    case 'PARTIAL_EXCLUDED': return `${c.period}: ${series}record ${rec(r!)} crosses the boundary ${c.boundary} and was left out (--partial exclude)`;
    case 'PARTIAL_INCLUDED': return `${c.period}: ${series}record ${rec(r!)} crosses the boundary ${c.boundary} and was counted whole (--partial include)`;
    case 'PRORATED': return `${c.period}: ${series}record ${rec(r!)} counted pro rata for ${range(c.start!, c.end!)} (--partial prorate): the total is an estimate`;
    case 'REDUNDANT_OVERLAP': return `${c.period}: ${series}record ${rec(r!)} crosses the boundary ${c.boundary}, but its days inside are covered by other records; not used`;
    case 'OVERLAP':
      if (c.relation === 'inside') return `${c.period}: ${series}${rec(r!)} lies inside ${rec(o!)}; counted once, from the latter`;
      if (c.relation === 'contains') return `${c.period}: ${series}${rec(r!)} is made up of smaller records that agree with it, starting with ${rec(o!)}; counted once, from those`;
      return `${c.period}: ${series}${rec(r!)} overlaps ${rec(o!)}; counted once, from the latter`;
    case 'REVISION': return `${c.period}: ${series}revised: ${r!.value} in ${r!.source_id} → ${o!.value} in ${o!.source_id} (${range(r!.start, r!.end)}); the newer figure is used`;
    case 'INCONSISTENCY': return `${c.period}: ${series}inconsistent: ${rec(r!)} cannot be reconciled with ${rec(o!)}`;
    case 'SUPPRESSED': return `${c.period}: ${series}${rec(r!)} is suppressed: the total is a range`;
    case 'MISSING_VALUE': return `${c.period}: ${series}${rec(r!)} has no figure (not available); its days are a gap`;
  }
}
