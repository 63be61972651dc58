// Step 2 of reading a table: what each column and each row holds. A column or row is data
// (counts of devices), a Total (checked, never summed), or set aside (costs, values, staff
// headcounts: kept out of the counts with a note). The labels of each axis say which of period,
// category and status it carries; whatever neither axis carries comes from the table's words.
import type { Diagnostic } from '../model/diagnostics.js';
import { slugify } from '../engine/aliases.js';
import { parseCount } from '../engine/count.js';
import { cellText, type GridRow } from './grid.js';
import type { HeaderFound } from './header.js';
import { type Facets, type LabelEnv, isLabelHeader, readFacets } from './labels.js';

export type LineKind = 'data' | 'total' | 'aside' | 'empty';

export interface ColumnSpec {
  index: number;
  /** The header text (levels joined), as printed. */
  label: string;
  facets: Facets;
  kind: LineKind;
  /** Set for two columns of one series ("Mobile telephones" and "Blackberrys" are both phones). */
  item?: string;
}

export interface RowSpec {
  row: GridRow;
  label: string;
  facets: Facets;
  kind: LineKind | 'notes' | 'blank' | 'reject';
  reason?: string;
  item?: string;
}

/** Which of the series' dimensions an axis carries, decided from the labels of most of its lines. */
export type Role = 'period' | 'category' | 'status';

export interface Axes {
  columns: ColumnSpec[];
  rows: RowSpec[];
  rowRole: Role | undefined;
  columnRoles: Set<Role>;
  /** The label column's header is a count's ("Items lost or stolen"): counts are glued into the labels. */
  labelCounts?: ColumnSpec;
  notes: Diagnostic[];
}

const NOTE_OPENING_RE = /^((notes?|sources?|footnotes?)\s*[:.\-–—]|(\(\d{1,2}\)|\d{1,2}[.)]|\[note \d+\]|[*†‡])\s)/i;
const NOTE_RE = /^(notes?|source|sources|\*|†|\(?\d+\)?[.:)]|footnote|figures|data|please|this|these|the )/i;

/** Merges the facets of a header's levels: "2015" over "Lost". */
function mergeFacets(levels: string[], env: LabelEnv): Facets {
  const parts = levels.map((l) => readFacets(l, env));
  const text = parts.map((p) => p.text).join(' ').trim();
  const out: Facets = { raw: levels.join(' '), text, name: text, footnotes: parts.flatMap((p) => p.footnotes), total: parts.some((p) => p.total) };
  for (const p of parts) {
    out.period ??= p.period;
    out.periodReason ??= p.periodReason;
    if (p.category && (!out.category || (!out.category.known && p.category.known))) out.category = p.category;
    out.status ??= p.status;
    if (p.measure && (out.measure === undefined || out.measure === 'count')) out.measure = p.measure;
  }
  // A level that is only a period ("2015") has no category of its own: the unknown slug of the
  // joined text is not one either.
  if (out.category && !out.category.known && parts.length > 1) out.category = parts.find((p) => p.category && !p.period)?.category;
  return out;
}

function roleOf(f: Facets): Role | undefined {
  if (f.period) return 'period';
  if (f.category?.known) return 'category';
  if (f.status) return 'status';
  return undefined;
}

export function readAxes(found: HeaderFound, file: string, env: LabelEnv): Axes | Diagnostic {
  const notes: Diagnostic[] = [];
  const header = found.rows[0]!;
  const columns = readColumns(found, file, env, notes);
  if (!Array.isArray(columns)) return columns;
  // The label column's own header: a name for the labels ("Item", "Month"), or a count's heading
  // when the counts are printed inside the labels ("12laptopcomputers" under "Items lost or stolen").
  const corner = mergeFacets(found.levels[0] ?? [], env);
  let labelCounts: ColumnSpec | undefined;
  if (corner.text && !isLabelHeader(corner.text, env.aliases) && (corner.status || corner.measure === 'count') && !corner.category?.known) {
    labelCounts = { index: 0, label: corner.raw, facets: corner, kind: 'data' };
  }

  const rows = found.body.map((row): RowSpec => {
    const label = cellText(row, 0);
    return { row, label, facets: readFacets(label, env), kind: row.blank ? 'blank' : 'data' };
  });
  // Counts printed in the labels ("17 laptops", "Three mobile phones") with no column of counts
  // beside them: the labels are the counts, whatever the corner says.
  const labelled = rows.filter((r) => r.kind === 'data' && !r.facets.total && r.label);
  if (!labelCounts && !columns.some((c) => c.kind === 'data') && labelled.length > 0 && labelled.filter((r) => r.facets.glued !== undefined).length * 2 > labelled.length) {
    labelCounts = { index: 0, label: corner.raw || '(counts in the labels)', facets: corner, kind: 'data' };
  }
  const columnRoles = new Set(columns.filter((c) => c.kind === 'data').map((c) => roleOf(c.facets)).filter((r): r is Role => r !== undefined));
  const rowRole = decideRowRole(rows, columnRoles);
  markNotes(rows, rowRole);
  markRowKinds(rows, rowRole, !!labelCounts);
  markItems(columns.filter((c) => c.kind === 'data'), (c) => c.facets, (c, item) => { c.item = item; });
  const twin = duplicateColumn(columns);
  if (twin) {
    const [a, b] = twin;
    return {
      file, line: header.line, column: header.columns[b.index] ?? b.index + 1, code: 'BAD_HEADER',
      message: `duplicate column: "${a.label}" (column ${a.index + 1}) and "${b.label}" (column ${b.index + 1}) are the same series`, expected: 'each series once', got: b.label,
    };
  }
  markItems(rows.filter((r) => r.kind === 'data'), (r) => r.facets, (r, item) => { r.item = item; });
  return { columns, rows, rowRole, columnRoles, labelCounts, notes };
}

/** The columns after the label column: data, Totals, set aside (with a note), or empty; a column of data without a header fails. */
function readColumns(found: HeaderFound, file: string, env: LabelEnv, notes: Diagnostic[]): ColumnSpec[] | Diagnostic {
  const header = found.rows[0]!;
  const columns: ColumnSpec[] = [];
  for (let i = 1; i < found.width; i++) {
    const levels = found.levels[i] ?? [];
    const label = levels.join(' ').trim();
    const facets = mergeFacets(levels, env);
    const at = header.columns[i] ?? i + 1;
    if (!label) {
      const hasData = found.body.some((r) => !r.blank && cellText(r, i) !== '');
      if (hasData) {
        return { file, line: header.line, column: at, code: 'BAD_HEADER', message: `column ${i + 1} has data but no header`, expected: 'a header', got: '' };
      }
      columns.push({ index: i, label, facets, kind: 'empty' });
      continue;
    }
    if (facets.measure && facets.measure !== 'count') {
      columns.push({ index: i, label, facets, kind: 'aside' });
      notes.push({ file, line: header.line, column: at, code: 'IGNORED_COLUMN', message: `column "${label}" holds ${asideWhat(facets)}, not counts of devices; kept out of the counts` });
      continue;
    }
    columns.push({ index: i, label, facets, kind: facets.total ? 'total' : 'data' });
  }
  return columns;
}

/** What each row of figures is: data, a Total, set aside (costs, staff), or rejected (no period where the rows carry periods, no label). */
function markRowKinds(rows: RowSpec[], rowRole: Role | undefined, labelCounts: boolean): void {
  for (const r of rows) {
    if (r.kind !== 'data') continue;
    const f = r.facets;
    if (f.measure && f.measure !== 'count') {
      r.kind = 'aside';
      r.reason = `a row of ${asideWhat(f)}, not counts of devices`;
    } else if (f.total) {
      r.kind = 'total';
    } else if (rowRole === 'period' && !f.period) {
      r.kind = 'reject';
      r.reason = f.periodReason ?? `cannot read "${r.label}" as a period`;
    } else if (!r.label && !labelCounts) {
      r.kind = 'reject';
      r.reason = 'a row of figures with no label';
    }
  }
}

function asideWhat(f: Facets): string {
  return f.measure === 'cost' ? 'costs or values' : f.measure === 'staff' ? 'staff numbers' : 'figures of another kind';
}

/**
 * What the rows carry: periods when more of their labels read as periods than as anything else
 * (and the columns carry none); otherwise the dimension most of them name. Labels that name
 * nothing count for the dimension the columns leave free.
 */
function decideRowRole(rows: RowSpec[], columnRoles: Set<Role>): Role | undefined {
  const tally: Record<Role, number> = { period: 0, category: 0, status: 0 };
  let nothing = 0;
  for (const r of rows) {
    if (r.kind === 'blank' || r.facets.total) continue;
    const role = roleOf(r.facets);
    if (role) tally[role]++;
    else if (r.label && !r.facets.measure) nothing++;
  }
  const best = (Object.keys(tally) as Role[]).filter((k) => !columnRoles.has(k)).sort((a, b) => tally[b] - tally[a])[0];
  if (best && tally[best] > 0) return best;
  if (nothing === 0) return undefined;
  // Nothing read: periods if the columns name categories (a wide table whose labels are damaged),
  // else categories (unknown asset types, kept with a warning).
  return columnRoles.has('category') ? 'period' : columnRoles.has('period') || columnRoles.has('status') ? 'category' : 'period';
}

/**
 * The notes block under a table: from the end, rows whose one text cell reads as nothing the
 * rows carry, or opens like a note ("Note:", "(1) ", "* "). A row whose one cell holds figures
 * run together ("Up to 27 Feb 25;0;2;145;4") is a damaged row, not a note: it stays to be rejected.
 */
function markNotes(rows: RowSpec[], role: Role | undefined): void {
  for (let k = rows.length - 1; k >= 0; k--) {
    const r = rows[k]!;
    if (r.kind === 'blank') continue;
    const filled = r.row.fields.filter((f) => f.trim() !== '');
    const first = r.label;
    const readable = role === 'period' ? !!r.facets.period || r.facets.total : r.facets.total || !!(r.facets.category?.known || r.facets.status);
    const figures = runTogetherFigures(first);
    if (filled.length === 1 && first !== '' && !figures && (!readable || NOTE_RE.test(first))) { r.kind = 'notes'; continue; }
    if (!readable && !figures && NOTE_OPENING_RE.test(first)) { r.kind = 'notes'; continue; }
    break;
  }
}

/** Two or more figures after separators in one cell: a row whose cells were run together. */
function runTogetherFigures(text: string): boolean {
  const parts = text.split(/[;\t|,]/).slice(1).map((p) => p.trim());
  return parts.filter((p) => p !== '' && parseCount(p).ok).length >= 2;
}

/** An item's key: its words as a slug, each word singular ("Mobile telephones" → mobile-telephone), so the same item matches across tables. */
export function itemKey(name: string): string {
  return slugify(name).split('-').map((w) => (w.length > 3 && /ies$/.test(w) ? `${w.slice(0, -3)}y` : w.length > 3 && /[^s]s$/.test(w) ? w.slice(0, -1) : w)).join('-');
}

/** Two data columns whose labels name the same series and item: the same column twice. */
function duplicateColumn(columns: ColumnSpec[]): [ColumnSpec, ColumnSpec] | undefined {
  const seen = new Map<string, ColumnSpec>();
  for (const c of columns) {
    if (c.kind !== 'data') continue;
    const f = c.facets;
    const key = `${f.category?.value ?? ''}|${f.status ?? ''}|${f.period?.start ?? ''}|${f.period?.end ?? ''}|${c.item ?? ''}|${f.measure ?? ''}`;
    const first = seen.get(key);
    if (first) return [first, c];
    seen.set(key, c);
  }
  return undefined;
}

/** Two lines of one table that name the same series are two items of it, each kept apart by its label. */
function markItems<T>(lines: T[], facetsOf: (t: T) => Facets, set: (t: T, item: string) => void): void {
  const groups = new Map<string, T[]>();
  for (const l of lines) {
    const f = facetsOf(l);
    if (!f.category) continue;
    const key = `${f.category.value}|${f.status ?? ''}|${f.period?.start ?? ''}|${f.period?.end ?? ''}`;
    groups.set(key, [...(groups.get(key) ?? []), l]);
  }
  for (const group of groups.values()) {
    if (group.length < 2) continue;
    for (const l of group) {
      const f = facetsOf(l);
      set(l, itemKey(f.name));
    }
  }
}
