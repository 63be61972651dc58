// Real answers from many departments (fixtures/real, SOURCES.md there), read as published: each
// table's records (category, item, status, period, count) and the accounting, one case per
// answer; the answers that cannot be read without more say why.
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { defaultAliases } from '../src/engine/aliases.js';
import { loadInputs } from '../src/io/load.js';
import { ROOT } from './helpers/files.js';
import type { AssetRecord } from '../src/model/model.js';

const REAL = join(ROOT, 'fixtures/real');
const aliases = defaultAliases();

/** A record as a short line: "laptop/lost 2023-01-01..2023-10-31 = 1" (item, approximate and flags when set). */
function line(r: AssetRecord): string {
  const c = r.count;
  const value = c.kind === 'exact' ? String(c.value) : c.kind === 'suppressed' ? `${c.min}-${c.max ?? '?'}` : 'missing';
  const item = r.series.item ? `[${r.series.item}]` : '';
  const approx = r.period.approximate ? '~' : '';
  return `${r.series.department} ${r.series.category}${item}/${r.series.status} ${r.period.start}..${r.period.end}${approx} = ${value}`;
}

async function read(file: string, extra: Parameters<typeof loadInputs>[1] extends infer O ? Partial<O> : never = {}) {
  return loadInputs([join(REAL, file)], { aliases, ...extra });
}

interface Case {
  file: string;
  /** Extra options, as an inputs file entry or the command line would give them. */
  options?: Record<string, unknown>;
  records: string[];
  /** rows_read, rows_accepted, rows_rejected, rows_skipped */
  accounting?: [number, number, number, number];
  notes?: string[];
}

const CASES: Case[] = [
  {
    file: 'dbt-olney-2023-11-1669064.html', options: { metadata: { department: 'Department for Business and Trade' } },
    records: ['DBT phone/lost-or-stolen 2023-04-01..2023-11-10 = 68', 'DBT laptop/lost-or-stolen 2023-04-01..2023-11-10 = 28'],
    accounting: [3, 2, 0, 1], notes: ['IGNORED_COLUMN', 'PERIOD_FROM_WORDS', 'AMALGAMATED'],
  },
  {
    file: 'dcms-olney-2023-11-1669065.html', options: { metadata: { department: 'DCMS' } },
    records: [
      'DCMS laptop/lost 2023-01-01..2023-10-31 = 1', 'DCMS laptop/stolen 2023-01-01..2023-10-31 = 6',
      'DCMS phone/lost 2023-01-01..2023-10-31 = 2', 'DCMS phone/stolen 2023-01-01..2023-10-31 = 4',
      'DCMS usb/lost 2023-01-01..2023-10-31 = 0', 'DCMS usb/stolen 2023-01-01..2023-10-31 = 0',
      'DCMS hard-drive/lost 2023-01-01..2023-10-31 = 0', 'DCMS hard-drive/stolen 2023-01-01..2023-10-31 = 0',
    ],
    accounting: [4, 4, 0, 0],
  },
  {
    file: 'dfe-olney-2023-11-1669066.html', options: { metadata: { department: 'DfE' } },
    records: [
      'DFE laptop/lost-or-stolen 2022-11-01..2023-10-31 = 57', 'DFE computer/lost-or-stolen 2022-11-01..2023-10-31 = 3',
      'DFE phone/lost-or-stolen 2022-11-01..2023-10-31 = 73', 'DFE usb/lost-or-stolen 2022-11-01..2023-10-31 = 10',
      'DFE hard-drive/lost-or-stolen 2022-11-01..2023-10-31 = 0',
    ],
    notes: ['IGNORED_COLUMN', 'IGNORED_COLUMN', 'AMALGAMATED'],
  },
  {
    file: 'dsit-olney-2023-11-1669067.html', options: { metadata: { department: 'DSIT' } },
    records: [
      'DSIT laptop/lost 2023-02-07..2023-11-10 = 2', 'DSIT laptop/stolen 2023-02-07..2023-11-10 = 5',
      'DSIT phone/lost 2023-02-07..2023-11-10 = 26', 'DSIT phone/stolen 2023-02-07..2023-11-10 = 3',
    ],
  },
  {
    file: 'dwp-olney-2023-11-1669069.html', options: { metadata: { department: 'DWP', answered: '2023-11-20' } },
    records: [
      'DWP laptop/lost-or-stolen 2022-11-21..2023-11-20~ = 94', 'DWP phone/lost-or-stolen 2022-11-21..2023-11-20~ = 24',
      'DWP usb/lost-or-stolen 2022-11-21..2023-11-20~ = 6', 'DWP hard-drive/lost-or-stolen 2022-11-21..2023-11-20~ = 0',
    ],
  },
  {
    file: 'moj-olney-2023-11-1669074.html', options: { metadata: { department: 'MoJ', period: '2022-11-01..2023-10-31' } },
    records: [
      'MOJ laptop/lost 2022-11-01..2023-10-31 = 139', 'MOJ phone/lost 2022-11-01..2023-10-31 = 44',
      'MOJ usb/lost 2022-11-01..2023-10-31 = 0', 'MOJ hard-drive/lost 2022-11-01..2023-10-31 = 0',
      'MOJ laptop/stolen 2022-11-01..2023-10-31 = 86', 'MOJ phone/stolen 2022-11-01..2023-10-31 = 7',
      'MOJ usb/stolen 2022-11-01..2023-10-31 = 0', 'MOJ hard-drive/stolen 2022-11-01..2023-10-31 = 0',
    ],
    accounting: [4, 2, 0, 2],
  },
  {
    file: 'co-olney-2023-11-1669075.html', options: { metadata: { department: 'Cabinet Office', period: '2022-11-01..2023-10-31' } },
    records: [
      'CO laptop/lost 2022-11-01..2023-10-31 = 28', 'CO phone/lost 2022-11-01..2023-10-31 = 108',
      'CO usb/lost 2022-11-01..2023-10-31 = missing', 'CO hard-drive/lost 2022-11-01..2023-10-31 = missing',
      'CO laptop/stolen 2022-11-01..2023-10-31 = 21', 'CO phone/stolen 2022-11-01..2023-10-31 = 10',
      'CO usb/stolen 2022-11-01..2023-10-31 = missing', 'CO hard-drive/stolen 2022-11-01..2023-10-31 = missing',
    ],
    accounting: [4, 2, 0, 2],
  },
  {
    file: 'hmt-t4yLEZWO.html', options: { metadata: { department: 'HM Treasury' } },
    records: [
      'HMT laptop/lost-or-stolen 2010-04-01..2011-03-31 = 12', 'HMT laptop/recovered 2010-04-01..2011-03-31 = 4',
      'HMT phone[mobilephone]/lost-or-stolen 2010-04-01..2011-03-31 = 1', 'HMT phone[mobilephone]/recovered 2010-04-01..2011-03-31 = 0',
      'HMT phone[blackberry]/lost-or-stolen 2010-04-01..2011-03-31 = 10', 'HMT phone[blackberry]/recovered 2010-04-01..2011-03-31 = 2',
      'HMT other/lost-or-stolen 2010-04-01..2011-03-31 = 11', 'HMT other/recovered 2010-04-01..2011-03-31 = 0',
      'HMT laptop/lost-or-stolen 2011-04-01..2012-03-31 = 8', 'HMT laptop/recovered 2011-04-01..2012-03-31 = 5',
      'HMT phone[mobilephone]/lost-or-stolen 2011-04-01..2012-03-31 = 0', 'HMT phone[mobilephone]/recovered 2011-04-01..2012-03-31 = missing',
      'HMT phone[blackberry]/lost-or-stolen 2011-04-01..2012-03-31 = 17', 'HMT phone[blackberry]/recovered 2011-04-01..2012-03-31 = 2',
      'HMT other/lost-or-stolen 2011-04-01..2012-03-31 = 29', 'HMT other/recovered 2011-04-01..2012-03-31 = 3',
      'HMT laptop/lost-or-stolen 2012-04-01..2013-03-31 = 8', 'HMT laptop/recovered 2012-04-01..2013-03-31 = 2',
      'HMT phone[mobilephone]/lost-or-stolen 2012-04-01..2013-03-31 = 0', 'HMT phone[mobilephone]/recovered 2012-04-01..2013-03-31 = missing',
      'HMT phone[blackberry]/lost-or-stolen 2012-04-01..2013-03-31 = 11', 'HMT phone[blackberry]/recovered 2012-04-01..2013-03-31 = 0',
      'HMT other/lost-or-stolen 2012-04-01..2013-03-31 = 34', 'HMT other/recovered 2012-04-01..2013-03-31 = 0',
    ],
    accounting: [15, 12, 0, 3],
  },
  {
    file: 'dh-2009-10-14-290438.csv',
    records: [
      'DHSC phone[mobile-telephone]/lost-or-stolen 2004-04-01..2005-03-31 = 15', 'DHSC phone[blackberry]/lost-or-stolen 2004-04-01..2005-03-31 = 2', 'DHSC laptop/lost-or-stolen 2004-04-01..2005-03-31 = 23',
      'DHSC phone[mobile-telephone]/lost-or-stolen 2005-04-01..2006-03-31 = 11', 'DHSC phone[blackberry]/lost-or-stolen 2005-04-01..2006-03-31 = 4', 'DHSC laptop/lost-or-stolen 2005-04-01..2006-03-31 = 18',
      'DHSC phone[mobile-telephone]/lost-or-stolen 2006-04-01..2007-03-31 = 18', 'DHSC phone[blackberry]/lost-or-stolen 2006-04-01..2007-03-31 = 5', 'DHSC laptop/lost-or-stolen 2006-04-01..2007-03-31 = 11',
      'DHSC phone[mobile-telephone]/lost-or-stolen 2007-04-01..2008-03-31 = 21', 'DHSC phone[blackberry]/lost-or-stolen 2007-04-01..2008-03-31 = 9', 'DHSC laptop/lost-or-stolen 2007-04-01..2008-03-31 = 14',
      'DHSC phone[mobile-telephone]/lost-or-stolen 2008-04-01..2009-03-31 = 18', 'DHSC phone[blackberry]/lost-or-stolen 2008-04-01..2009-03-31 = 22', 'DHSC laptop/lost-or-stolen 2008-04-01..2009-03-31 = 34',
    ],
    accounting: [7, 5, 0, 2], notes: ['CAPTION_ROW', 'PERIOD_IN_WORDS'],
  },
  {
    file: 'defra-2008-03-06-2716W.csv',
    records: [
      'DEFRA phone/lost-or-stolen 2001-04-01..2002-03-31 = 1', 'DEFRA pda/lost-or-stolen 2001-04-01..2002-03-31 = 0', 'DEFRA laptop/lost-or-stolen 2001-04-01..2002-03-31 = 13',
      'DEFRA phone/lost-or-stolen 2002-04-01..2003-03-31 = 0', 'DEFRA pda/lost-or-stolen 2002-04-01..2003-03-31 = 12', 'DEFRA laptop/lost-or-stolen 2002-04-01..2003-03-31 = 23',
      'DEFRA phone/lost-or-stolen 2003-04-01..2004-03-31 = 1', 'DEFRA pda/lost-or-stolen 2003-04-01..2004-03-31 = 0', 'DEFRA laptop/lost-or-stolen 2003-04-01..2004-03-31 = 2',
      'DEFRA phone/lost-or-stolen 2004-04-01..2005-03-31 = 0', 'DEFRA pda/lost-or-stolen 2004-04-01..2005-03-31 = 1', 'DEFRA laptop/lost-or-stolen 2004-04-01..2005-03-31 = 3',
      'DEFRA phone/lost-or-stolen 2005-04-01..2006-03-31 = 4', 'DEFRA pda/lost-or-stolen 2005-04-01..2006-03-31 = 1', 'DEFRA laptop/lost-or-stolen 2005-04-01..2006-03-31 = 18',
      'DEFRA phone/lost-or-stolen 2006-04-01..2007-03-31 = 4', 'DEFRA pda/lost-or-stolen 2006-04-01..2007-03-31 = 8', 'DEFRA laptop/lost-or-stolen 2006-04-01..2007-03-31 = 22',
      'DEFRA phone/lost-or-stolen 2007-04-01..2008-03-06~ = 0', 'DEFRA pda/lost-or-stolen 2007-04-01..2008-03-06~ = 1', 'DEFRA laptop/lost-or-stolen 2007-04-01..2008-03-06~ = 13',
    ],
    accounting: [8, 7, 0, 1], notes: ['NOTES_ROW'],
  },
  {
    file: 'dwp-2008-03-26-184318.csv',
    records: [2001, 2002, 2003, 2004, 2005, 2006, 2007].flatMap((y, i) => {
      const [phone, pda, laptop] = [[1, 0, 23], [3, 0, 42], [30, 0, 42], [34, 1, 75], [31, 0, 46], [15, 0, 28], [14, 19, 15]][i]!;
      return [`DWP phone/lost-or-stolen ${y}-01-01..${y}-12-31 = ${phone}`, `DWP pda/lost-or-stolen ${y}-01-01..${y}-12-31 = ${pda}`, `DWP laptop/lost-or-stolen ${y}-01-01..${y}-12-31 = ${laptop}`];
    }),
    accounting: [8, 7, 0, 1], notes: ['IGNORED_COLUMN', 'NOTES_ROW'],
  },
  {
    file: 'scotgov-foi-202000011612.csv',
    records: [['phone', [44, 2, 27, 2, 16, 2, 27, 0, 41, 0]], ['laptop', [2, 3, 6, 0, 4, 0, 13, 0, 17, 0]], ['tablet', [0, 0, 2, 0, 0, 0, 0, 0, 0, 0]]].flatMap(([cat, counts]) =>
      (counts as number[]).map((n, i) => `SG ${cat}/${i % 2 ? 'stolen' : 'lost'} ${2015 + Math.floor(i / 2)}-01-01..${2015 + Math.floor(i / 2)}-12-31 = ${n}`)),
    accounting: [4, 3, 0, 1],
  },
  {
    file: 'dhsc-olney-2023-11-22-1226.csv',
    records: [
      'DHSC laptop/stolen 2022-11-23..2023-11-22~ = 13', 'DHSC phone/stolen 2022-11-23..2023-11-22~ = 14',
      'DHSC laptop/lost 2022-11-23..2023-11-22~ = 0', 'DHSC phone/lost 2022-11-23..2023-11-22~ = 6',
    ],
    notes: ['CAPTION_ROW', 'IGNORED_COLUMN', 'PERIOD_APPROXIMATE'],
  },
  {
    file: 'dh-ict-2008-05-21-202440.csv',
    records: ['2001-02', '2002-03', '2003-04', '2004-05', '2005-06', '2006-07', '2007-08'].flatMap((fy, i) => {
      const [phone, pda, laptop] = [[36, 3, 35], [37, 1, 30], [29, 3, 34], [15, 2, 23], [11, 4, 18], [18, 4, 11], [21, 9, 14]][i]!;
      const y = Number(fy.slice(0, 4));
      const p = `${y}-04-01..${y + 1}-03-31`;
      return [`DHSC phone/lost-or-stolen ${p} = ${phone}`, `DHSC pda/lost-or-stolen ${p} = ${pda}`, `DHSC laptop/lost-or-stolen ${p} = ${laptop}`];
    }),
  },
  {
    file: 'berr-pdas-2008-03-26.csv',
    records: [
      'BERR pda/lost-or-stolen 2007-01-01..2007-12-31 = missing', 'BERR pda/lost-or-stolen 2006-01-01..2006-12-31 = 1', 'BERR pda/lost-or-stolen 2005-01-01..2005-12-31 = 3',
      'BERR pda/lost-or-stolen 2004-01-01..2004-12-31 = 1', 'BERR pda/lost-or-stolen 2003-01-01..2003-12-31 = 1',
    ],
    accounting: [7, 5, 0, 2],
  },
  {
    file: 'cabinet-office-it-equipment-2010-11-to-2012-13.html', options: { metadata: { department: 'Cabinet Office' } },
    records: ['computer', 'phone', 'other'].flatMap((cat, i) => [[1, 9, 15], [5, 28, 59], [0, 2, 10]][i]!.map((n, k) => `CO ${cat}/lost-or-stolen ${2010 + k}-04-01..${2011 + k}-03-31 = ${n}`)),
  },
  {
    file: 'dfid-devices-past-12-months.html', options: { metadata: { department: 'DFID', period: '2008-01-01..2008-12-31' } },
    records: [
      'DFID laptop/lost-or-stolen 2008-01-01..2008-12-31 = 17', 'DFID phone[mobile-phone]/lost-or-stolen 2008-01-01..2008-12-31 = 3',
      'DFID phone[blackberry]/lost-or-stolen 2008-01-01..2008-12-31 = 1', 'DFID usb/lost-or-stolen 2008-01-01..2008-12-31 = 2',
    ],
    accounting: [5, 4, 0, 1],
  },
  {
    file: 'dluhc-2023-11-21-1663.html', options: { metadata: { department: 'DLUHC', answered: '2023-11-21' }, textFigures: true },
    records: ['MHCLG laptop/lost-or-stolen 2022-01-01..2022-12-31 = 10', 'MHCLG phone/lost-or-stolen 2022-01-01..2022-12-31 = 8'],
  },
  {
    file: 'ho-olney-2023-11-1669073.html', options: { metadata: { department: 'Home Office', answered: '2023-11-20' }, textFigures: true },
    records: [
      'HO laptop/lost-or-stolen 2023-01-01..2023-11-20~ = 69', 'HO phone/lost-or-stolen 2023-01-01..2023-11-20~ = 115',
      'HO usb/lost-or-stolen 2023-01-01..2023-11-20~ = 3', 'HO hard-drive/lost-or-stolen 2023-01-01..2023-11-20~ = 0',
    ],
  },
];

describe('real answers, read as published', () => {
  it.each(CASES)('$file', async (c) => {
    const d = await read(c.file, c.options as never);
    const input = d.inputs[0]!;
    expect(input.rejects, JSON.stringify(input.rejects)).toEqual([]);
    expect(d.records.map(line)).toEqual(c.records);
    const s = input.stats;
    expect(s.rows_read).toBe(s.rows_accepted + s.rows_rejected + s.rows_skipped);
    if (c.accounting) expect([s.rows_read, s.rows_accepted, s.rows_rejected, s.rows_skipped]).toEqual(c.accounting);
    if (c.notes) expect(input.notes.map((n) => n.code)).toEqual(c.notes);
    // Provenance: every record names its file, position and the words it was read from.
    for (const r of d.records) {
      expect(r.provenance.file).toContain(c.file);
      expect(r.provenance.raw).not.toBe('');
    }
  });

  it('Total rows are checked, not summed: MoJ "Total devices" matches its Lost and Stolen rows; "-" over zeros is no mismatch', async () => {
    const d = await read('moj-olney-2023-11-1669074.html', { metadata: { department: 'MoJ', period: '2023' } } as never);
    const checks = d.inputs[0]!.totalChecks.map((t) => [t.label, t.stated, t.status]);
    expect(checks).toEqual([['Laptops', '225', 'match'], ['Mobile Phones', '51', 'match'], ['Memory sticks', '-', 'unchecked'], ['External hard drives', '-', 'unchecked']]);
    expect(d.inputs[0]!.notes.find((n) => n.code === 'IGNORED_ROW')?.message).toMatch(/Total cost of replacing.*costs/);
  });

  it('the DH Totals row (83, 42, 100) matches the sum of its items, Mobile telephones and Blackberrys apart', async () => {
    const d = await read('dh-2009-10-14-290438.csv');
    expect(d.inputs[0]!.totalChecks.map((t) => [t.label, t.stated, t.status])).toEqual([['Mobile telephones', '83', 'match'], ['Blackberrys', '42', 'match'], ['Laptops', '100', 'match']]);
  });

  it('a published Total that is not the sum is a warning, as printed: DH 2008 has none in its counts (its values are set aside)', async () => {
    const d = await read('dh-ict-2008-05-21-202440.csv');
    expect(d.inputs[0]!.totalChecks.filter((t) => t.status === 'mismatch')).toEqual([]);
    expect(d.inputs[0]!.notes.filter((n) => n.code === 'IGNORED_COLUMN')).toHaveLength(3);
  });
});

describe('real answers that need more than their own words', () => {
  it.each([
    ['dwp-olney-2023-11-1669069.html', /"in the last year" depends on the answer's date.*answered: YYYY-MM-DD/],
    ['moj-olney-2023-11-1669074.html', /no period in the table or its text: give one as "period:"/],
    ['co-olney-2023-11-1669075.html', /no period in the table or its text/],
    ['dfid-devices-past-12-months.html', /"within the past 12 months" depends on the answer's date/],
  ])('%s: rejected with the reason, no records', async (file, reason) => {
    const d = await read(file);
    expect(d.records).toEqual([]);
    expect(d.inputs[0]!.rejects.map((r) => r.code)).toEqual(['NO_PERIOD']);
    // The reason says how to give the period: the words are the contract.
    expect(d.inputs[0]!.rejects.map((r) => r.message).join('\n')).toMatch(reason);
  });

  it.each([
    ['ho-olney-2023-11-1669073.html', 4, /69 laptop \("69 Encrypted laptops have been reported lost or stolen in 2023\."\)/],
    ['dluhc-2023-11-21-1663.html', 2, /10 laptop .*8 phone/],
  ])('%s: figures in sentences are shown in the error, read only on request', async (file, n, shown) => {
    const d = await read(file);
    expect(d.records).toEqual([]);
    const reject = d.inputs[0]!.rejects[0]!;
    expect(reject.code).toBe('NO_TABLE');
    expect(reject.message).toContain(`its sentences give ${n} figure`);
    expect(reject.message).toMatch(shown);
    expect(reject.message).toContain('--text-figures');
  });

  it('the Wales Office answer of no losses names no device: no figure is guessed', async () => {
    const d = await read('wales-olney-2023-11-1669589.html', { textFigures: true } as never);
    expect(d.records).toEqual([]);
    expect(d.inputs[0]!.rejects[0]!.message).not.toContain('figures');
  });

  it('figures read from sentences are flagged and keep their sentence', async () => {
    const d = await read('ho-olney-2023-11-1669073.html', { metadata: { department: 'HO', answered: '2023-11-20' }, textFigures: true } as never);
    const r = d.records[0]!;
    expect(r.count.flags).toEqual(['from-text']);
    expect(r.provenance.row_label).toBe('69 Encrypted laptops have been reported lost or stolen in 2023.');
    expect(r.provenance.raw).toBe('69 Encrypted laptops');
    expect(r.provenance.period_from).toBe('text');
  });

  it('list previews and unanswered questions are refused, never read as data', async () => {
    for (const [file, code] of [['mod-17464-list-preview.json', 'TRUNCATED_PREVIEW'], ['mod-20116-list-unanswered.json', 'UNANSWERED']] as const) {
      const d = await read(file);
      expect(d.records).toEqual([]);
      expect(d.inputs[0]!.rejects.map((r) => r.code)).toEqual([code]);
    }
  });
});

describe('one reader whatever the table came in', () => {
  const same = (r: AssetRecord) => [line(r), r.provenance.row_label, r.provenance.column_label, r.provenance.raw, r.provenance.period_from ?? ''].join(' | ');
  it.each([
    ['cabinet-office-it-equipment-2010-11-to-2012-13', { department: 'Cabinet Office' }],
    ['dfid-devices-past-12-months', { department: 'Department for International Development', answered: '2009-06-30' }],
  ])('%s: the answer HTML and its CSV transcription give the same records', async (name, metadata) => {
    const html = await read(`${name}.html`, { metadata } as never);
    const csv = await read(`${name}.csv`, { metadata } as never);
    expect(html.records.length).toBeGreaterThan(0);
    expect(csv.records.map(same)).toEqual(html.records.map(same));
  });

  it('and the same errors: without its answer date, both refuse "within the past 12 months" alike', async () => {
    const html = await read('dfid-devices-past-12-months.html');
    await expect(read('dfid-devices-past-12-months.csv')).rejects.toThrow(html.inputs[0]!.rejects[0]!.message);
  });
});
