// Caveat codes into words: the only place that phrases them. Tests assert codes, not wording.
import type { Caveat, RecordRef } from '../model/caveats.js';

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
  switch (c.code) {
    case 'NO_DATA': return `${c.period}: no data for this selection (not zero)`;
    case 'GAP': return `${c.period}: ${series}no figure covers ${range(c.start, c.end)}; the total is incomplete`;
    case 'STRADDLES': return `${c.period}: ${series}record ${rec(c.record)} crosses the boundary ${c.boundary}; use --partial exclude|include|prorate`;
    case 'PARTIAL_EXCLUDED': return `${c.period}: ${series}record ${rec(c.record)} crosses the boundary ${c.boundary} and was left out (--partial exclude)`;
    case 'PARTIAL_INCLUDED': return `${c.period}: ${series}record ${rec(c.record)} crosses the boundary ${c.boundary} and was counted whole (--partial include)`;
    case 'PRORATED': return `${c.period}: ${series}record ${rec(c.record)} counted pro rata for ${range(c.start, c.end)} (--partial prorate): the total is an estimate`;
    case 'REDUNDANT_OVERLAP': return `${c.period}: ${series}record ${rec(c.record)} crosses the boundary ${c.boundary}, but its days inside are covered by other records; not used`;
    case 'OVERLAP':
      // `newer` (data) says whether the figure used comes from a newer answer (design §4's wording:
      // "1–15 December, 5, inside the newer full-month figure, 7").
      if (c.relation === 'inside') {
        const which = c.newer === true ? 'the newer figure ' : c.newer === false ? 'the older, fuller figure ' : '';
        return `${c.period}: ${series}${rec(c.record)} lies inside ${which}${rec(c.other)}; counted once, from the latter`;
      }
      if (c.relation === 'contains') return `${c.period}: ${series}${rec(c.record)} is made up of ${partsText(c.parts)} that agree with it; counted once, from those`;
      if (!c.other) return `${c.period}: ${series}${rec(c.record)} overlaps the records used; not counted`;
      return `${c.period}: ${series}${rec(c.record)} overlaps ${rec(c.other)}; counted once, from the latter`;
    case 'REVISION': {
      const { record: r, other: o } = c;
      return `${c.period}: ${series}revised: ${r.value} in ${r.source_id} → ${o.value} in ${o.source_id} (${range(r.start, r.end)})${c.counted ? '; the newer figure is used' : ''}`;
    }
    case 'INCONSISTENCY': {
      const { record: r, other: o } = c;
      if (c.relation === 'contains') return `${c.period}: ${series}inconsistent: ${rec(r)} does not match ${partsText(c.parts)} inside it, which add up to ${sumText(c)}`;
      if (r.source_id === o.source_id && r.start === o.start && r.end === o.end) return `${c.period}: ${series}inconsistent: ${r.source_id} gives two figures for ${range(r.start, r.end)}: ${rec(r)} and ${rec(o)}`;
      return `${c.period}: ${series}inconsistent: ${rec(r)} cannot be reconciled with ${rec(o)}`;
    }
    case 'SUPPRESSED': return `${c.period}: ${series}${rec(c.record)} is suppressed: the total is a range`;
    case 'MISSING_VALUE': return `${c.period}: ${series}${rec(c.record)} has no figure (not available); its days are a gap`;
    case 'APPROXIMATE_PERIOD': return `${c.period}: ${c.source} gives its period only roughly ("${c.words}"): ${range(c.start, c.end)} are the likeliest days, not stated, so the figure is approximate`;
    case 'PERIOD_FROM_WORDS': return `${c.period}: ${c.source}: its period, ${range(c.start, c.end)}, was read from the answer's ${c.from === 'caption' ? 'caption' : c.from === 'question' ? 'question' : c.from === 'metadata' ? 'metadata' : 'words'} ("${c.words}")`;
    case 'PERIODS_DIFFER': return 'each row covers its own period (as each body answered): compare their rates, not their totals';
    case 'FROM_TEXT': return `${c.period}: ${c.source}: its figures were read from the answer's sentences, not a table`;
    case 'UNEVEN_COVERAGE': return `${c.period}: the series added together cover different days, so their sum has no per-day rate (compare --by category for rates)`;
  }
}

/** The records --partial exclude left out: those of the PARTIAL_EXCLUDED caveats, in their order. */
export function leftOutRecords(caveats: readonly Caveat[]): RecordRef[] {
  return caveats.flatMap((c) => (c.code === 'PARTIAL_EXCLUDED' ? [c.record] : []));
}

/**
 * What a note is said once for, however many periods or series report it: the code, the answer
 * and the records it names.
 */
export function caveatIdentity(c: Caveat): string {
  const source = 'source' in c ? c.source : '';
  const other = 'other' in c ? c.other : undefined;
  return `${c.code}|${source}|${c.record?.file}:${c.record?.line}:${c.record?.series}|${other?.file}:${other?.line}`;
}

function partsText(parts: RecordRef[]): string {
  if (parts.length === 1) return rec(parts[0]!);
  return `${parts.length} records (${rec(parts[0]!)} to ${rec(parts[parts.length - 1]!)})`;
}

function sumText(c: { parts_min: number; parts_max: number | null }): string {
  if (c.parts_max === c.parts_min) return String(c.parts_min);
  return c.parts_max === null ? `${c.parts_min} or more` : `${c.parts_min}–${c.parts_max}`;
}
