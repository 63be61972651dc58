// The one place where the many ways answers word categories, departments, statuses and column
// headers meet their canonical names. Users extend it with `--aliases FILE` (JSON, same shape).

export type AliasKind = 'categories' | 'departments' | 'statuses' | 'headers';
export type AliasTables = Record<AliasKind, Map<string, string>>;

/** Lower case, unified dashes and quotes, punctuation spaced out, runs of space collapsed. */
export function aliasKey(text: string): string {
  return text
    .toLowerCase()
    .replace(/[\u00a0\u2007\u202f]/g, ' ')
    .replace(/[\u2010-\u2015]/g, '-')
    .replace(/[’‘]/g, "'")
    .replace(/[_]/g, ' ')
    // Runs of white space become one space first, so the separators' spaces are at most one
    // each side (\s*([/&,-])\s* rescanned a run of spaces from each of its characters).
    .replace(/\s+/g, ' ')
    .replace(/ ?([/&,-]) ?/g, '$1')
    .trim();
}

const CATEGORY_ALIASES: Record<string, string[]> = {
  phone: [
    'phone', 'phones', 'mobile phone', 'mobile phones', 'mobile', 'mobiles', 'smartphone', 'smartphones',
    'mobile phones/blackberrys', 'mobile phones/blackberries', 'blackberry', 'blackberrys', 'blackberries',
    'mobile telephones', 'mobile telephone', 'telephones', 'handsets', 'cell phones', 'mobile devices',
    'mobile phones and blackberrys', 'mobile phones and blackberries', 'smart phones', 'smart phone',
  ],
  laptop: ['laptop', 'laptops', 'laptop computers', 'laptop computer', 'notebooks', 'notebook computers', 'laptop pcs'],
  computer: [
    'computer', 'computers', 'desktop', 'desktops', 'desktop computer', 'desktop computers', 'pc', 'pcs',
    'desktop pcs', 'personal computers', 'workstations', 'computers/laptops', 'computers and laptops',
    'mac', 'macs', "mac's", 'apple macs', 'imacs',
  ],
  pda: [
    'pda', 'pdas', "pda's", 'personal digital assistant', 'personal digital assistants', 'palm top devices', 'palmtops',
    'personal digital assistants including blackberry and palm top devices', 'psion', 'psions', 'palmpilot', 'palmpilots',
    'palm pilots', 'ipaq', 'ipaqs', 'psions/palmpilots/ipaqs', 'organisers', 'electronic organisers',
  ],
  pager: ['pager', 'pagers', 'radio pagers'],
  tablet: ['tablet', 'tablets', 'ipad', 'ipads', 'tablet computers', 'tablet devices'],
  usb: [
    'usb', 'usbs', 'usb stick', 'usb sticks', 'usb drive', 'usb drives', 'memory stick', 'memory sticks',
    'usb memory sticks', 'usb memory stick', 'flash drives', 'flash drive', 'pen drives', 'usb devices',
    'usb storage devices', 'thumb drives',
  ],
  'hard-drive': [
    'hard drive', 'hard drives', 'external hard drive', 'external hard drives', 'hard disk drive',
    'hard disk drives', 'hard disks', 'hdd', 'hdds', 'portable hard drives', 'external data drives', 'external drives',
    'external hard-drives', 'external hard disk drives', 'portable hard disk drives',
  ],
  'removable-media': [
    'removable media', 'cds', 'dvds', 'cd/dvd', 'cds/dvds', 'discs', 'disks', 'optical media', 'removable devices',
    'other assets (memory sticks and other external storage)', 'memory sticks and other external storage', 'external storage',
  ],
  other: [
    'other', 'others', 'other devices', 'other items', 'other equipment', 'miscellaneous', 'other it equipment',
    'other pieces of it equipment', 'other it', 'other it devices', 'projector', 'projectors', 'other assets',
  ],
};

/** Canonical codes: the common abbreviation of each ministerial department and the big agencies. */
const DEPARTMENT_ALIASES: Record<string, string[]> = {
  MOD: ['ministry of defence', 'mod', 'defence', 'm.o.d.', 'department of defence'],
  HO: ['home office', 'ho'],
  MOJ: ['ministry of justice', 'moj', 'justice'],
  DHSC: ['department of health and social care', 'department of health & social care', 'dhsc', 'department of health', 'doh'],
  DFE: ['department for education', 'dfe'],
  DWP: ['department for work and pensions', 'department for work & pensions', 'dwp'],
  HMT: ['hm treasury', 'treasury', 'hmt', "her majesty's treasury", "his majesty's treasury"],
  HMRC: ['hm revenue and customs', 'hm revenue & customs', 'hmrc'],
  FCDO: ['foreign, commonwealth and development office', 'foreign, commonwealth & development office', 'fcdo', 'foreign office', 'foreign and commonwealth office', 'fco'],
  CO: ['cabinet office', 'co'],
  DFT: ['department for transport', 'dft'],
  DSS: ['department of social security', 'dss'],
  DESNZ: ['department for energy security and net zero', 'desnz'],
  DSIT: ['department for science, innovation and technology', 'department for science, innovation & technology', 'dsit'],
  DCMS: ['department for culture, media and sport', 'department for culture, media & sport', 'dcms', 'department for digital, culture, media and sport'],
  DEFRA: ['department for environment, food and rural affairs', 'department for environment, food & rural affairs', 'defra'],
  DBT: ['department for business and trade', 'department for business & trade', 'dbt'],
  MHCLG: ['ministry of housing, communities and local government', 'ministry of housing, communities & local government', 'mhclg', 'department for levelling up, housing and communities', 'dluhc'],
  NIO: ['northern ireland office', 'nio'],
  SO: ['scotland office', 'office of the secretary of state for scotland'],
  WO: ['wales office', 'office of the secretary of state for wales', 'wo'],
  SG: ['scottish government', 'the scottish government'],
  AGO: ["attorney general's office", 'attorney generals office', 'ago'],
  DFID: ['department for international development', 'dfid'],
  BERR: ['department for business, enterprise and regulatory reform', 'department for business, enterprise & regulatory reform', 'berr'],
  BEIS: ['department for business, energy and industrial strategy', 'department for business, energy & industrial strategy', 'beis'],
  DVLA: ['driver and vehicle licensing agency', 'dvla'],
  CPS: ['crown prosecution service', 'cps'],
  HMPPS: ['hm prison and probation service', 'hmpps'],
  ONS: ['office for national statistics', 'ons'],
};

const STATUS_ALIASES: Record<string, string[]> = {
  'lost-or-stolen': [
    'lost or stolen', 'lost-or-stolen', 'lost/stolen', 'lost and stolen', 'lost & stolen', 'misplaced, lost or stolen',
    'misplaced, lost, or stolen', 'lost, stolen or misplaced', 'missing', 'unaccounted for', 'lost, missing or stolen',
    'missing or stolen', 'lost, mislaid or stolen',
  ],
  lost: ['lost', 'misplaced', 'mislaid', 'loss', 'losses'],
  stolen: ['stolen', 'theft', 'thefts', 'stolen items'],
  recovered: ['recovered', 'found', 'returned'],
};

/** Column headers of long files and incident logs: canonical field ← the ways people head them. */
const HEADER_ALIASES: Record<string, string[]> = {
  period: ['period', 'time period', 'reporting period'],
  month: ['month', 'month of loss', 'reporting month'],
  year: ['year', 'calendar year'],
  financial_year: ['financial year', 'financial_year', 'fy', 'fin year'],
  date: ['date', 'date of loss', 'date reported', 'incident date', 'date lost'],
  start: ['start', 'start date', 'from', 'period start'],
  end: ['end', 'end date', 'to', 'period end'],
  category: ['category', 'asset', 'asset type', 'device', 'device type', 'item', 'item type', 'equipment', 'type'],
  count: ['count', 'number', 'value', 'n', 'number lost or stolen', 'number of items', 'total items'],
  quantity: ['quantity', 'qty'],
  department: ['department', 'dept', 'organisation', 'organization', 'body', 'answering body'],
  status: ['status', 'loss type', 'outcome'],
  unit: ['unit', 'service', 'business unit', 'agency'],
};

function invert(table: Record<string, string[]>): Map<string, string> {
  const map = new Map<string, string>();
  for (const [canonical, variants] of Object.entries(table)) {
    map.set(aliasKey(canonical), canonical);
    for (const v of variants) map.set(aliasKey(v), canonical);
  }
  return map;
}

export function defaultAliases(): AliasTables {
  return {
    categories: invert(CATEGORY_ALIASES),
    departments: invert(DEPARTMENT_ALIASES),
    statuses: invert(STATUS_ALIASES),
    headers: invert(HEADER_ALIASES),
  };
}

/** Adds user aliases (variant → canonical) on top of the built-in ones; the user's win. */
export function extendAliases(base: AliasTables, extra: Partial<Record<AliasKind, Record<string, string>>>): AliasTables {
  const out = { ...base } as AliasTables;
  for (const kind of Object.keys(extra) as AliasKind[]) {
    const map = new Map(base[kind]);
    for (const [variant, canonical] of Object.entries(extra[kind] ?? {})) map.set(aliasKey(variant), canonical);
    out[kind] = map;
  }
  return out;
}

export function slugify(text: string): string {
  return text.toLowerCase().normalize('NFKD').replace(/[\u0300-\u036f]/g, '').replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '') || 'unknown';
}

export type Resolved = { value: string; known: boolean; note?: string };

/** Splits a parenthetical note off a metadata value: "lost or stolen (amalgamated; …)". */
export function splitNote(text: string): { text: string; note?: string } {
  // By hand, not /^(.*?)\s*\((.*)\)\s*$/: that regex is quadratic in a run of spaces.
  const t = text.trim();
  const open = t.indexOf('(');
  if (open <= 0 || !t.endsWith(')') || /[\n\r\u2028\u2029]/.test(t)) return { text: t };
  const before = t.slice(0, open).trimEnd();
  return before ? { text: before, note: t.slice(open + 1, -1) } : { text: t };
}

/**
 * A category: its alias, else its slug. A slug that is itself an alias ("@Laptops" → "laptops")
 * resolves to that alias, so an unknown label never becomes a slug that reads back as something
 * else (the records CSV is read through this same table).
 */
export function resolveCategory(tables: AliasTables, label: string): Resolved {
  const hit = tables.categories.get(aliasKey(label));
  if (hit) return { value: hit, known: true };
  const slug = slugify(label);
  const viaSlug = tables.categories.get(aliasKey(slug)) ?? tables.categories.get(aliasKey(slug.replace(/-/g, ' ')));
  return viaSlug ? { value: viaSlug, known: true } : { value: slug, known: false };
}

/**
 * A department as a code. A trailing parenthetical is a note only when the text before it is a
 * known department ("Ministry of Defence (incl. agencies)"); an unknown name is kept whole, as
 * written: cutting at "(" turned `=HYPERLINK("http://x","Home Office")` into "=HYPERLINK".
 */
export function resolveDepartment(tables: AliasTables, label: string): Resolved {
  const whole = label.trim();
  return withNote(tables.departments, whole) ?? { value: whole, known: false };
}

/** The text as a table names it, whole or before a trailing parenthetical note; else undefined. */
function withNote(table: Map<string, string>, whole: string): Resolved | undefined {
  const exact = table.get(aliasKey(whole));
  if (exact) return { value: exact, known: true };
  const { text, note } = splitNote(whole);
  const hit = table.get(aliasKey(text));
  return hit ? { value: hit, known: true, note } : undefined;
}

/** A status; the parenthetical note rule is the department's ("lost or stolen (amalgamated)"). */
export function resolveStatus(tables: AliasTables, label: string): Resolved {
  const whole = label.trim();
  const found = withNote(tables.statuses, whole);
  if (found) return found;
  // As for categories: the slug of an unknown status must not read back as a known one.
  const slug = slugify(whole);
  const viaSlug = tables.statuses.get(aliasKey(slug)) ?? tables.statuses.get(aliasKey(slug.replace(/-/g, ' ')));
  return viaSlug ? { value: viaSlug, known: true } : { value: slug, known: false };
}

export function resolveHeader(tables: AliasTables, label: string): string | undefined {
  return tables.headers.get(aliasKey(label));
}
