// The answer-table reader's small steps, table-driven from the wordings of real answers: what a
// label says (facets), periods in words, figures in sentences, and the rules of each step;
// property tests that the readers never throw, stay linear and agree with the period parser.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { defaultAliases } from '../src/engine/aliases.js';
import { parseCount } from '../src/engine/count.js';
import { parsePeriodLabel } from '../src/engine/period.js';
import { readFacets, stripListMarker } from '../src/read/labels.js';
import { periodInSentence, periodInWords } from '../src/read/words.js';
import { figuresInText } from '../src/read/prose.js';
import { itemKey } from '../src/read/axes.js';
import { readAnswerTable } from '../src/read/answer-table.js';
import type { GridRow } from '../src/read/grid.js';
import { duplicateChecker } from '../src/read/table.js';
import type { AssetRecord, Series } from '../src/model/model.js';
import { runInProcess } from './helpers/run.js';
import { tempDir } from './helpers/files.js';
import { diagnostics } from './helpers/output.js';

const aliases = defaultAliases();
const env = { aliases, labelCtx: {} };
const facets = (label: string) => {
  const f = readFacets(label, env);
  return { period: f.period ? `${f.period.start}..${f.period.end}` : undefined, category: f.category?.known ? f.category.value : undefined, status: f.status, measure: f.measure, total: f.total || undefined, glued: f.glued };
};
const strip = (o: Record<string, unknown>) => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));

describe('what a label says, as real answers print them', () => {
  it.each([
    // the question's list markers
    ['(A) Lost', { status: 'lost' }],
    ['(B) Stolen', { status: 'stolen' }],
    ['a) Number lost/stolen', { status: 'lost-or-stolen', measure: 'count' }],
    ['b) Cost', { measure: 'cost' }],
    ['(i) Laptop', { category: 'laptop' }],
    ['(ii) Mobile Phone', { category: 'phone' }],
    ['iv) External hard drives', { category: 'hard-drive' }],
    ['1. Lost', { status: 'lost' }],
    // status on an axis or inside a label
    ['Lost', { status: 'lost' }],
    ['Recovered', { status: 'recovered' }],
    ['Stole', { status: 'stolen' }],
    ['Stolen Laptops', { category: 'laptop', status: 'stolen' }],
    ['Lost Mobile phones', { category: 'phone', status: 'lost' }],
    ['Number Lost', { status: 'lost', measure: 'count' }],
    ['Number Stolen', { status: 'stolen', measure: 'count' }],
    ['PDAs reported missing', { category: 'pda', status: 'lost-or-stolen' }],
    ['Itemslost or stolen from theDepartment', { status: 'lost-or-stolen' }],
    // counts beside costs, staff and Totals
    ['Cost of Lost Replacement', { status: 'lost', measure: 'cost' }],
    ['Replacement Cost (ex-VAT)', { measure: 'cost' }],
    ['Unit Replacement Cost', { measure: 'cost' }],
    ['Total Replacement Cost', { measure: 'cost', total: true }],
    ['Value (£)', { measure: 'cost' }],
    ['Approximate cumulative value1', { measure: 'cost' }],
    ['Estimated current replacement cost (£)', { measure: 'cost' }],
    ['Total number of staff', { measure: 'staff' }],
    ['Total devices', { measure: 'count', total: true }],
    ['Total cost of replacing', { measure: 'cost', total: true }],
    ['TOTAL', { total: true }],
    ['Totals', { total: true }],
    // items the vocabulary knows now
    ['Mac’s', { category: 'computer' }],
    ['Blackberrys', { category: 'phone' }],
    ['PDAs', { category: 'pda' }],
    ['Personal digital assistants including Blackberry and palm top devices', { category: 'pda' }],
    ['Computers/laptops', { category: 'computer' }],
    ['Mobile phones/BlackBerrys', { category: 'phone' }],
    ['Other IT equipment', { category: 'other' }],
    ['External Data Drives', { category: 'hard-drive' }],
    ['Other assets (memory sticks and other external storage)', { category: 'removable-media' }],
    ['Pagers', { category: 'pager' }],
    ['Projectors', { category: 'other' }],
    // counts glued into labels
    ['12laptopcomputers', { category: 'laptop', glued: '12' }],
    ['1mobilephone', { category: 'phone', glued: '1' }],
    ['11other pieces of ITequipment', { category: 'other', glued: '11' }],
    ['17 laptops', { category: 'laptop', glued: '17' }],
    ['Three mobile phones', { category: 'phone', glued: 'Three' }],
    ['One Blackberry', { category: 'phone', glued: 'One' }],
    // periods as web pages print them
    ['2004-051', { period: '2004-04-01..2005-03-31' }],
    ['1 Nov 2022 to 31 Oct 2023', { period: '2022-11-01..2023-10-31' }],
    ['2010-11', { period: '2010-04-01..2011-03-31' }],
    ['2015', { period: '2015-01-01..2015-12-31' }],
  ])('%s', (label, expected) => {
    expect(strip(facets(label))).toEqual(expected);
  });

  it('"(1)" alone is a footnote, not a list marker', () => {
    expect(stripListMarker('(1)')).toBe('(1)');
    expect(stripListMarker('(iv) External hard drives')).toBe('External hard drives');
  });

  it('"2007-08 (to date1)" runs to the answer date, approximate, with footnote 1; without a date it says so', () => {
    const p = parsePeriodLabel('2007-08 (to date1)', { answered: '2008-03-06', financialYearContext: true });
    expect(p.ok && [p.period.start, p.period.end, p.period.approximate, p.footnotes]).toEqual(['2007-04-01', '2008-03-06', true, ['1']]);
    const q = parsePeriodLabel('2007-08 (to date)');
    expect(q.ok ? '' : q.reason).toMatch(/runs to the date of the answer, which is not known/);
  });

  it('items of one category key the same across tables: singular, slugged', () => {
    expect(['Mobile telephones', 'mobilephones', 'mobilephone', 'BlackBerrys', 'Blackberry'].map(itemKey)).toEqual(['mobile-telephone', 'mobilephone', 'mobilephone', 'blackberry', 'blackberry']);
  });
});

describe('counts as departments write them', () => {
  const value = (cell: string) => {
    const c = parseCount(cell);
    if (!c.ok) return `error: ${c.reason}`;
    return c.count.kind === 'exact' ? c.count.value : `${c.count.kind}${c.count.flags.length ? ` ${c.count.flags[0]}` : ''}`;
  };
  it.each([
    ['94 items', 94], ['6 items', 6], ['Zero items', 0], ['Nil', 0], ['nil', 0], ['None', 0], ['Three', 3], ['twenty-one', 21],
    ['1,234', 1234], ['-', 'missing nil-or-not-applicable'], ['–', 'missing nil-or-not-applicable'], ['—', 'missing nil-or-not-applicable'],
    ['N/A', 'missing not-available'], ['n/a', 'missing not-available'], ['<5', 'suppressed'],
    ['ninety-nine items', 99], ['hundred', 'error: not a count: "hundred"'], ['items', 'error: not a count: "items"'],
  ])('%s', (cell, expected) => {
    expect(value(cell)).toEqual(expected);
  });
});

describe('periods in the answer\'s words (the November 2023 series and others)', () => {
  const at = (text: string, answered?: string) => {
    const w = periodInWords(text, answered, { anySentence: true });
    if (!w) return undefined;
    return w.ok ? `${w.found.period.start}..${w.found.period.end}${w.found.approximate ? '~' : ''}` : `error: ${w.reason}`;
  };
  it.each([
    ['The figures for the Department for Business and Trade from 1 April 2023 to 10 November 2023 for phones and laptops are below.', undefined, '2023-04-01..2023-11-10'],
    ['Between 7th February 2023, when the Department for Science, Innovation and Technology (DSIT) was formed, to 10th November 2023, our records show the following devices were reported lost or stolen.', undefined, '2023-02-07..2023-11-10'],
    ['The following table includes the number of lost/stolen devices in the Department for Culture, Media & Sport (DCMS) from 1 January 2023 to 31 October 2023.', undefined, '2023-01-01..2023-10-31'],
    ['Number lost / stolen 9 Nov 2022 - 9 Nov 2023', undefined, '2022-11-09..2023-11-09'],
    ['The devices lost (October 2022 to October 2023) are below.', undefined, '2022-10-01..2023-10-31'],
    ['The following table includes the number of lost or stolen devices in DWP in the last year.', '2023-11-20', '2022-11-21..2023-11-20~'],
    ['The Wales Office has reported no lost or stolen items listed in the question over the last 12 months.', '2023-11-21', '2022-11-22..2023-11-21~'],
    ['reported lost or stolen within the past 12 months.', '2024-02-29', '2023-03-01..2024-02-29~'],
    ['Devices reported as Lost or Stolen in 2023:', '2023-11-20', '2023-01-01..2023-11-20~'],
    ['In 2022, this department recorded ten lost/stolen laptops and eight lost/stolen phones', '2023-11-21', '2022-01-01..2022-12-31'],
    ['No External Hard Drives have been reported lost or stolen so far in 2023.', '2023-11-20', '2023-01-01..2023-11-20~'],
    ['lost or stolen so far this year', '2024-06-30', '2024-01-01..2024-06-30~'],
    ['lost or stolen from the Department in the financial year 2010-11, 2011-12 and 2012-13:', undefined, undefined],
    ['lost in the financial year 2012-13', '2014-01-01', '2012-04-01..2013-03-31'],
    ['lost or stolen in the last year', undefined, /error: "in the last year" depends on the answer's date/],
    ['Devices lost in 2023', undefined, /error: "in 2023" depends on the answer's date/],
    ['The Cabinet Office provides laptops and mobile phones to over 10,000 users in 2023-24.', '2023-11-21', '2023-04-01..2023-11-21~'],
  ])('%s', (text, answered, expected) => {
    const got = at(text, answered);
    if (expected instanceof RegExp) expect(got).toMatch(expected);
    else expect(got).toEqual(expected);
  });

  it('a sentence not about the figures gives no period (the Cabinet Office\'s "users in 2023-24")', () => {
    expect(periodInWords('The Cabinet Office provides laptops and mobile phones to over 10,000 users in 2023-24.', '2023-11-21')).toBeUndefined();
  });

  it('"from D1 to D2" gives exactly [D1, D2] for any two days (property)', () => {
    const months = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
    fc.assert(fc.property(fc.date({ min: new Date('1990-01-01'), max: new Date('2030-12-31'), noInvalidDate: true }), fc.integer({ min: 0, max: 800 }), (d, len) => {
      const a = d.toISOString().slice(0, 10);
      const b = new Date(d.getTime() + len * 86400000).toISOString().slice(0, 10);
      const say = (iso: string) => `${Number(iso.slice(8))} ${months[Number(iso.slice(5, 7)) - 1]} ${iso.slice(0, 4)}`;
      const w = periodInSentence(`The figures from ${say(a)} to ${say(b)} are below.`, undefined);
      expect(w?.ok && [w.found.period.start, w.found.period.end]).toEqual([a, b]);
    }), { numRuns: 300 });
  });

  it('"in the last N months" ends at the answer date and covers N months (property)', () => {
    fc.assert(fc.property(fc.date({ min: new Date('2000-01-01'), max: new Date('2030-12-31'), noInvalidDate: true }), fc.integer({ min: 1, max: 24 }), (d, n) => {
      const answered = d.toISOString().slice(0, 10);
      const w = periodInSentence(`lost in the last ${n} months`, answered);
      expect(w?.ok).toBe(true);
      if (!w?.ok) return;
      expect(w.found.period.end).toBe(answered);
      expect(w.found.approximate).toBe(true);
      const days = (Date.parse(w.found.period.end) - Date.parse(w.found.period.start)) / 86400000 + 1;
      expect(days).toBeGreaterThanOrEqual(n * 28 - 3);
      expect(days).toBeLessThanOrEqual(n * 31 + 1);
    }), { numRuns: 300 });
  });
});

describe('figures in sentences: only a number next to a device word', () => {
  const figs = (text: string) => figuresInText(text, aliases).map((f) => `${f.count} ${f.category}${f.status ? `/${f.status}` : ''}`);
  it.each([
    ['69 Encrypted laptops have been reported lost or stolen in 2023. The total value to replace these (based on purchase price) is £50,889.', ['69 laptop/lost-or-stolen']],
    ['In 2022, this department recorded ten lost/stolen laptops and eight lost/stolen phones – which is a very small proportion of total devices.', ['10 laptop/lost-or-stolen', '8 phone/lost-or-stolen']],
    ['The number of lost laptops was 30.', ['30 laptop/lost']],
    ['No External Hard Drives have been reported lost or stolen so far in 2023.', ['0 hard-drive/lost-or-stolen']],
    ['This department has over 3,500 staff and almost all have access to devices to enable them to work effectively.', []],
    ['The Wales Office has reported no lost or stolen items listed in the question over the last 12 months.', []],
    ['The Cabinet Office provides laptops and mobile phones to over 10,000 users in 2023-24.', []],
    ['In 2023 laptops were lost.', []],
    ['It cost £50,889 to replace 12 laptops.', ['12 laptop']],
    ['In 2023, fewer than 5 laptops were lost.', []],
    ['More than 20 mobile phones were stolen in 2023.', []],
    ['Around 30 laptops were lost or stolen in 2023.', []],
    ['69 laptops were lost in 2023 and 12 mobile phones were stolen in the last year.', ['69 laptop/lost', '12 phone/stolen']],
    ['In 2023 there were 7 lost laptops and 2 stolen phones.', ['7 laptop/lost', '2 phone/stolen']],
  ])('%s', (text, expected) => {
    expect(figs(text)).toEqual(expected);
  });

  it('never throws and stays fast on any text (property)', () => {
    fc.assert(fc.property(fc.string({ maxLength: 400 }), (t) => {
      const started = performance.now();
      figuresInText(t, aliases);
      periodInWords(t, '2024-01-01', { anySentence: true });
      expect(performance.now() - started).toBeLessThan(200);
    }), { numRuns: 300 });
  });
});

describe('the reader on generated tables (property)', () => {
  const row = (fields: string[], line: number): GridRow => ({ fields, line, columns: fields.map((_, i) => i + 1), blank: fields.every((f) => f.trim() === '') });
  const cats = ['Laptops', 'Mobile phones', 'Memory sticks', 'Tablets'];
  const ctx = { sourceId: 's', file: 'f', aliases, metadata: { department: 'MOD' } };

  it('a wide table and its transpose give the same records; accounting always adds up', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 4 }), fc.array(fc.array(fc.nat({ max: 500 }), { minLength: 4, maxLength: 4 }), { minLength: 1, maxLength: 12 }), (ncat, grid) => {
      const years = grid.map((_, i) => String(2000 + i));
      const wide = [row(['Year', ...cats.slice(0, ncat)], 1), ...grid.map((g, i) => row([years[i]!, ...g.slice(0, ncat).map(String)], i + 2))];
      const tall = [row(['', ...years], 1), ...cats.slice(0, ncat).map((c, k) => row([c, ...grid.map((g) => String(g[k]))], k + 2))];
      const key = (r: { series: { category: string }; period: { start: string }; count: unknown }) => `${r.series.category}|${r.period.start}|${JSON.stringify(r.count)}`;
      const a = readAnswerTable({ rows: wide }, ctx);
      const b = readAnswerTable({ rows: tall }, ctx);
      expect(a.fatal).toBeUndefined();
      expect(b.fatal).toBeUndefined();
      expect(a.records.map(key).sort()).toEqual(b.records.map(key).sort());
      expect(a.records).toHaveLength(ncat * grid.length);
      for (const r of [a, b]) expect(r.stats.rows_read).toBe(r.stats.rows_accepted + r.stats.rows_rejected + r.stats.rows_skipped);
    }), { numRuns: 200 });
  });

  it('any grid of text: never throws, and read = accepted + rejected + skipped', () => {
    const cell = fc.oneof(fc.constantFrom('', 'Lost', 'Stolen', 'Total', 'Laptops', '2023', 'Jan-24', '<5', '-', 'n/a', '£300', 'Cost', '12laptops', 'Note: x'), fc.nat({ max: 99 }).map(String), fc.string({ maxLength: 12 }));
    fc.assert(fc.property(fc.array(fc.array(cell, { minLength: 1, maxLength: 5 }), { minLength: 1, maxLength: 8 }), fc.boolean(), (cells, pad) => {
      const rows = cells.map((c, i) => row(c, i + 1));
      const r = readAnswerTable({ rows, padShortRows: pad }, ctx);
      expect(r.stats.rows_read).toBe(r.stats.rows_accepted + r.stats.rows_rejected + r.stats.rows_skipped);
      if (r.fatal) expect(r.records).toEqual([]);
    }), { numRuns: 500 });
  });
});

describe('departments by their names and common abbreviations', () => {
  it.each([
    ['DWP', 'DWP'], ['HMRC', 'HMRC'], ['DfE', 'DFE'], ['DHSC', 'DHSC'], ['MoJ', 'MOJ'], ['MOD', 'MOD'], ['DSIT', 'DSIT'], ['DESNZ', 'DESNZ'],
    ['Defra', 'DEFRA'], ['DBT', 'DBT'], ['DCMS', 'DCMS'], ['FCDO', 'FCDO'], ['NIO', 'NIO'], ['HMT', 'HMT'], ['CO', 'CO'], ['HO', 'HO'], ['DfT', 'DFT'],
    ['Department for Culture, Media & Sport', 'DCMS'], ['Department for Science, Innovation and Technology', 'DSIT'], ['Cabinet Office', 'CO'],
    ['Department for Levelling Up, Housing and Communities', 'MHCLG'], ['Scottish Government', 'SG'], ['Wales Office', 'WO'],
    ['Department for Business, Enterprise and Regulatory Reform', 'BERR'], ['HM Treasury', 'HMT'], ['Ministry of Justice', 'MOJ'],
  ])('%s → %s', async (name, code) => {
    const { resolveDepartment } = await import('../src/engine/aliases.js');
    expect(resolveDepartment(aliases, name)).toMatchObject({ value: code, known: true });
  });
});

describe('an answer with a table of counts and a table of costs', () => {
  it('reads the counts and notes the costs table; a costs table alone is refused with its cause', async () => {
    const { readWrittenAnswerHtml } = await import('../src/io/pq-read.js');
    const counts = '<p>Devices lost or stolen from 1 January 2024 to 31 December 2024:</p><table><tr><td></td><td>Lost</td></tr><tr><td>Laptops</td><td>4</td></tr></table>';
    const costs = '<p>Their cost from 1 January 2024 to 31 December 2024:</p><table><tr><td></td><td>Cost</td></tr><tr><td>Laptops</td><td>£4,000</td></tr></table>';
    const ctx = { file: 'a.html', id: 'a', position: 0, aliases, metadata: { department: 'HO' } };
    const both = readWrittenAnswerHtml(counts + costs, ctx);
    expect(both.records.map((r) => [r.series.category, r.series.status, r.count])).toEqual([['laptop', 'lost', { kind: 'exact', value: 4, flags: [] }]]);
    expect(both.report.rejects).toEqual([]);
    expect(both.report.notes.map((n) => n.code)).toContain('NO_COUNTS');
    const alone = readWrittenAnswerHtml(costs, ctx);
    expect(alone.records).toEqual([]);
    expect(alone.report.rejects.map((r) => [r.code, r.message])).toEqual([['NO_COUNTS', 'no column of counts: "Cost" is a column of costs, not counts']]);
  });
});

describe('synthetic layouts (made up here to pin one rule each; the real ones are in real-answers.test.ts)', () => {
  const row = (fields: string[], line: number): GridRow => ({ fields, line, columns: fields.map((_, i) => i + 1), blank: fields.every((f) => f.trim() === '') });
  const read = (grid: string[][], pad = true) => readAnswerTable({ rows: grid.map((g, i) => row(g, i + 1)), padShortRows: pad }, { sourceId: 's', file: 'f', aliases, metadata: { department: 'MOD' } });
  const short = (r: ReturnType<typeof read>) => r.records.map((x) => `${x.series.category} ${x.period.label} ${x.count.kind === 'exact' ? x.count.value : x.count.kind}`);

  it('the corner cell printed last', () => {
    expect(short(read([['Laptops', 'Phones', ''], ['2023', '5', '3']]))).toEqual(['laptop 2023 5', 'phone 2023 3']);
  });

  it('the corner cell left out (the header one cell short of the rows)', () => {
    expect(short(read([['Laptops', 'Phones'], ['2023', '5', '3'], ['2024', '6', '4']]))).toEqual(['laptop 2023 5', 'phone 2023 3', 'laptop 2024 6', 'phone 2024 4']);
  });

  it('a last row run together into one cell is rejected, not taken for a note', () => {
    const r = read([['Month', 'Computers', 'USBs', 'Phones', 'Laptops'], ['January 2025', '0', '5', '124', '7'], ['Up to 27 Feb 25;0;2;145;4']], false);
    expect(r.stats.rows_rejected).toBe(1);
    expect(r.stats.skipped_notes).toBe(0);
    expect(r.rejects[0]).toMatchObject({ code: 'REJECTED_ROW', line: 3 });
  });

  it('the same column twice is an error naming both', () => {
    const r = read([['Month', 'Laptops', 'Laptops'], ['January 2024', '1', '2']]);
    expect(r.fatal?.code).toBe('BAD_HEADER');
    expect(r.fatal?.message).toMatch(/duplicate column: "Laptops" \(column 2\) and "Laptops" \(column 3\)/);
  });

  it('devices down with no period anywhere: the reason is the period, never "cannot read "Laptops" as a period"', () => {
    const r = read([['', 'Number'], ['Laptops', '4'], ['Mobile phones', '2']]);
    expect(r.fatal?.code).toBe('NO_PERIOD');
    expect(r.rejects).toEqual([]);
  });

  describe('months without a year take the one year given, and must run one way in it', () => {
    const withYear = (grid: string[][]) => readAnswerTable({ rows: grid.map((g, i) => row(g, i + 1)) }, { sourceId: 's', file: 'f', aliases, metadata: { department: 'MOD', year: '2024' } });
    it.each([
      ['forwards', ['January', 'February', 'March'], undefined],
      ['backwards (newest first)', ['December', 'November', 'October'], undefined],
      ['turning back: November, December, January under one year', ['November', 'December', 'January'], { code: 'MONTHS_OUT_OF_ORDER', line: 4 }],
      ['turning forward after going back', ['March', 'February', 'April'], { code: 'MONTHS_OUT_OF_ORDER', line: 4 }],
    ])('%s', (_, months, fatal) => {
      const r = withYear([['Month', 'Phones'], ...months.map((m, i) => [m, String(i + 1)])]);
      if (fatal) {
        expect(r.fatal).toMatchObject(fatal);
        expect(r.fatal?.message).toMatch(/within 2024, the one year given/);
      } else {
        expect(r.fatal).toBeUndefined();
        expect(r.records.map((x) => x.period.start.slice(0, 7))).toEqual(months.map((m) => `2024-${String(new Date(`${m} 1, 2024`).getMonth() + 1).padStart(2, '0')}`));
      }
    });
    it('on the command line: exit 2, the file and line of the month that turns back, what was expected, nothing on stdout', async () => {
      const tmp = tempDir();
      try {
        const file = tmp.write('wrap.csv', '# year: 2024\n# department: Ministry of Defence\nMonth,Phones\nNovember,3\nDecember,4\nJanuary,5\n');
        const r = await runInProcess(['records', '-i', file, '-f', 'csv', '--debug']);
        expect(r.code).toBe(2);
        expect(r.stdout).toBe('');
        expect(diagnostics(r.stderr)).toEqual([{ kind: 'error', at: `${file}:6`, code: 'MONTHS_OUT_OF_ORDER' }]);
        expect(r.stderr).toMatch(/"January" after "December".*expected each month with its year/);
      } finally {
        tmp.cleanup();
      }
    });
    it('months that name their year may come in any order', () => {
      const r = withYear([['Month', 'Phones'], ['November 2024', '1'], ['December 2024', '2'], ['January 2025', '3']]);
      expect(r.fatal).toBeUndefined();
      expect(r.records.map((x) => x.period.start)).toEqual(['2024-11-01', '2024-12-01', '2025-01-01']);
    });
  });

  it('a Total column is checked against its row, never summed; one that is not the sum is a warning', () => {
    const r = read([['Month', 'Laptops', 'Phones', 'Total'], ['January 2024', '1', '2', '3'], ['February 2024', '1', '2', '4']]);
    expect(r.records).toHaveLength(4);
    expect(r.totalChecks.map((t) => [t.label, t.stated, t.status])).toEqual([['January 2024', '3', 'match'], ['February 2024', '4', 'mismatch']]);
    expect(r.warnings.map((w) => w.code)).toContain('TOTAL_MISMATCH');
  });
});

describe('linear time on long cells', () => {
  it('a 70 KB label ending in digits, a long run of letters in a sentence, a long label before "(to date)": each read in well under a second', async () => {
    const { splitGluedCount } = await import('../src/read/answer-table.js');
    const cases: (() => unknown)[] = [
      () => splitGluedCount(`Phones${'1'.repeat(70000)}x`, () => false),
      () => splitGluedCount(`Phones${'1'.repeat(70000)}`, () => false),
      () => figuresInText(`12 ${'a'.repeat(20000)}`, aliases),
      () => parsePeriodLabel(`${'a '.repeat(90)}(to date)`, { answered: '2024-01-01' }),
    ];
    for (const run of cases) {
      const started = performance.now();
      run();
      expect(performance.now() - started).toBeLessThan(300);
    }
  });
});

describe('synthetic tables from review: totals worded otherwise, years, recovered, Totals under each year', () => {
  const row = (fields: string[], line: number): GridRow => ({ fields, line, columns: fields.map((_, i) => i + 1), blank: fields.every((f) => f.trim() === '') });
  const read = (grid: string[][], metadata: Record<string, string> = {}) => readAnswerTable({ rows: grid.map((g, i) => row(g, i + 1)) }, { sourceId: 's', file: 'f', aliases, metadata: { department: 'HO', ...metadata } });

  it.each(['All devices', 'All', 'Overall total', 'Sub-total', 'Devices total'])('a "%s" row is a Total: checked, never summed', (label) => {
    const r = read([['Device', '2022', '2023'], ['Laptops', '1', '3'], ['Mobile phones', '5', '7'], [label, '6', '10']]);
    expect(r.records.map((x) => x.series.category)).toEqual(['laptop', 'laptop', 'phone', 'phone']);
    expect(r.totalChecks.map((t) => t.status)).toEqual(['match', 'match']);
  });

  it('a sentence naming several calendar years gives no period', () => {
    for (const caption of ['Devices lost or stolen in 2021, 2022 and 2023', 'Devices lost in 2021 compared with 2022', 'Devices lost or stolen in 2021 and 2022']) {
      const r = read([[caption], ['Device', 'Number'], ['Laptops', '10']], { answered: '2024-03-01' });
      expect(r.fatal?.code, caption).toBe('NO_PERIOD');
    }
  });

  it('a Total beside Lost, Stolen and Recovered is the lost and stolen: recovered items are among them', () => {
    const r = read([['Device', 'Lost', 'Stolen', 'Recovered', 'Total'], ['Laptops', '4', '2', '1', '6']], { period: '2023' });
    expect(r.totalChecks.map((t) => [t.stated, t.status])).toEqual([['6', 'match']]);
  });

  it('a Total under each year of a two-level header totals that year', () => {
    const r = read([['Item', '2022', '', '', '2023', '', ''], ['', 'Lost', 'Stolen', 'Total', 'Lost', 'Stolen', 'Total'], ['Laptops', '1', '2', '3', '3', '4', '7']]);
    expect(r.fatal).toBeUndefined();
    expect(r.records.map((x) => `${x.series.status} ${x.period.label}`)).toEqual(['lost 2022', 'stolen 2022', 'lost 2023', 'stolen 2023']);
    expect(r.totalChecks.map((t) => [t.stated, t.status])).toEqual([['3', 'match'], ['7', 'match']]);
  });
});

describe('duplicate rows: the same series and period twice in one input', () => {
  const record = (series: Series, start: string, end: string, source = 'a'): AssetRecord => ({
    series, period: { start, end, label: `${start}..${end}`, kind: 'custom' }, count: { kind: 'exact', value: 1, flags: [] },
    provenance: { source_id: source, file: 'f.csv', line: 0, column: 0, raw: '1', row_label: '', column_label: '' },
  });
  const day = (n: number) => new Date(Date.UTC(2000, 0, 1) + n * 86400000).toISOString().slice(0, 10);

  it('names the first line of a period a series had past its array, once the array has grown over it', () => {
    const series: Series = { department: 'HO', category: 'phone', status: 'lost', unit: null };
    const other: Series = { ...series, category: 'laptop' };
    const isDuplicate = duplicateChecker('f.csv');
    // 70 periods of another series first: ids 0–69.
    for (let d = 0; d < 70; d++) expect(isDuplicate(record(other, day(d), day(d)), d + 2, 1, 'row')).toBeUndefined();
    expect(isDuplicate(record(series, day(69), day(69)), 72, 1, 'row')).toBeUndefined();
    expect(isDuplicate(record(series, day(70), day(70)), 73, 1, 'row')).toBeUndefined();
    expect(isDuplicate(record(series, day(69), day(69)), 74, 1, 'row')?.message).toMatch(/^duplicate of line 72:/);
  });

  it('names the first line of each, however many periods come before it (property against a plain map)', () => {
    fc.assert(
      // Days of the first series' periods (ids 0–299) and new ones: periods repeat across series.
      fc.property(fc.array(fc.tuple(fc.nat({ max: 3 }), fc.nat({ max: 3000 }).map((d) => 3001 + (d % 120)), fc.nat({ max: 1 })), { minLength: 100, maxLength: 400 }), (rows) => {
        const series: Series[] = [0, 1, 2, 3].map((i) => ({ department: 'HO', category: 'laptop', status: 'lost', unit: `u${i}` }));
        const isDuplicate = duplicateChecker('f.csv');
        const first = new Map<string, number>();
        // One series alone first, over 300 periods: the others' first ids are far past their figures.
        const all: [number, number, number][] = [...Array.from({ length: 300 }, (_, d): [number, number, number] => [0, 3001 + d, 0]), ...rows];
        all.forEach(([s, d, source], i) => {
          const line = i + 1;
          const key = `${s}|${d}|${source}`;
          const dup = isDuplicate(record(series[s]!, day(d), day(d), source ? 'b' : 'a'), line, 1, 'row');
          if (first.has(key)) expect(dup?.message).toMatch(new RegExp(`^duplicate of line ${first.get(key)}:`));
          else {
            expect(dup).toBeUndefined();
            first.set(key, line);
          }
        });
      }),
      { numRuns: 200 },
    );
  });
});

describe('long rows: a cell is read trimmed of any white space at its ends', () => {
  it('spaces, tabs, no-break spaces and a byte-order mark around a cell change nothing (property)', async () => {
    const tmp = tempDir();
    try {
      const plain = tmp.write('plain.csv', 'department,period,category,count\nHome Office,2024-01,Laptop,3\nHome Office,2024-02,Mobile phone,4\n');
      // What a record says, not where it is (padding moves columns; the file names the source).
      const read = async (file: string) => {
        const r = await runInProcess(['records', '-i', file, '-f', 'json', '-q']);
        expect(r.code).toBe(0);
        return (JSON.parse(r.stdout) as { records: Record<string, unknown>[] }).records.map(({ source_id: _s, file: _f, column: _c, ...rest }) => rest);
      };
      const want = await read(plain);
      expect(want).toHaveLength(2);
      const pad = fc.constantFrom('', ' ', '\t', '\u00a0', '\ufeff', '\u2003 ');
      let n = 0;
      await fc.assert(
        fc.asyncProperty(fc.array(pad, { minLength: 12, maxLength: 12 }), async (p) => {
          const cell = (k: number, text: string) => `${p[k]}${text}${p[k + 6]}`;
          const rows = [['Home Office', '2024-01', 'Laptop'], ['Home Office', '2024-02', 'Mobile phone']];
          const body = rows.map((r, i) => `${cell(i * 3, r[0]!)},${cell(i * 3 + 1, r[1]!)},${cell(i * 3 + 2, r[2]!)},${3 + i}`).join('\n');
          const file = tmp.write(`padded-${n++}.csv`, `department,period,category,count\n${body}\n`);
          expect(await read(file)).toEqual(want);
        }),
        { numRuns: 40 },
      );
    } finally {
      tmp.cleanup();
    }
  });
});

describe('count cells of a long file, each kept as written (synthetic)', () => {
  // Plain whole numbers are found by their value, any other text by the text: a count written
  // "07" or " 7" is read as 7 but keeps its own text, and never takes another cell's.
  it('reads each count and keeps its text, whatever came before', async () => {
    const { loadSources } = await import('../src/index.js');
    const cells = ['7', '07', '7', '0', '00', '9999', '10000', '<5', '12', '012', '1,200', '7'];
    const tmp = tempDir();
    const months = cells.map((_, i) => `2024-${String(i + 1).padStart(2, '0')}`);
    const file = tmp.write('synthetic-counts.csv', `department,period,category,count\n${cells.map((c, i) => `MOD,${months[i]},phone,${c.includes(",") ? `"${c}"` : c}`).join('\n')}\n`);
    const ds = await loadSources([file]);
    tmp.cleanup();
    expect(ds.records.map((r) => r.provenance.raw)).toEqual(cells);
    expect(ds.records.map((r) => (r.count.kind === 'exact' ? r.count.value : r.count.kind))).toEqual([7, 7, 7, 0, 0, 9999, 10000, 'suppressed', 12, 12, 1200, 7]);
  });
});
