// `check` results in five formats: text (people), json (scripts), junit (CI test reports),
// tap (version 14) and github (workflow-command annotations on the claims file's lines).
import { Chalk } from 'chalk';
import type { ClaimResult, CheckSummary, Figure } from '../engine/claims.js';
import { type ClaimChange, describeChange } from '../engine/check-state.js';
import { describeCaveat } from './caveats.js';
import { type Diagnostic, describeDiagnostic } from '../model/diagnostics.js';
import { formatNumber } from './report.js';
import { escapeControls } from '../model/diagnostics.js';

import type { CheckFormat } from './check-formats.js';

export interface CheckView {
  file: string;
  results: ClaimResult[];
  summary: CheckSummary;
  color: boolean;
  /** With --state: what changed since the last run (empty: nothing; undefined: not asked). */
  changes?: ClaimChange[];
  /** With --state: this is the first run (no results remembered before). */
  first?: boolean;
}

function num(n: number | null): string {
  return n === null ? '∞' : formatNumber(Number(n.toFixed(4)));
}

export function figureText(f: Figure): string {
  if (f.min === null) return 'no data';
  const v = f.value !== null ? num(f.value) : f.min === f.max ? num(f.min) : `${num(f.min)}–${num(f.max)}`;
  return f.estimate ? `${v} (estimate)` : v;
}

export function expectedText(r: ClaimResult): string {
  const e = r.expected;
  switch (e.op) {
    case 'equals': return `= ${num(e.value)}`;
    case 'at-least': return `≥ ${num(e.value)}`;
    case 'at-most': return `≤ ${num(e.value)}`;
    case 'between': return `between ${num(e.low)} and ${num(e.high)}`;
    case 'approx': return `≈ ${num(e.value)} (±${num(e.tolerance * 100)}%)`;
    case 'greater-than':
    case 'less-than': {
      const sign = e.op === 'greater-than' ? '>' : '<';
      return 'query' in e ? `${sign} ${figureText(e.figure!)} (${e.query.period.label})` : `${sign} ${num(e.value)}`;
    }
  }
}

/** One sentence on the outcome, the same in every format. */
export function outcomeText(r: ClaimResult): string {
  const actual = figureText(r.actual);
  switch (r.reason) {
    case 'NO_DATA': return `no data for this claim (not zero); expected ${expectedText(r)}`;
    case 'ZERO_DENOMINATOR': return `the second figure (b) is 0, so there is no ratio; expected ${expectedText(r)}`;
    case 'STRADDLES': return `a record crosses the period boundary: ${r.caveats.filter((c) => c.severity === 'error').map(describeCaveat).join('; ')}`;
    case 'MISMATCH': return `actual ${actual}, expected ${expectedText(r)}`;
    case 'UNDETERMINED': return `actual ${actual} (suppressed cells): the expectation ${expectedText(r)} holds for some values and not others`;
    case 'APPROXIMATE_PERIOD': return `actual ${actual}, but the answer gives its period only roughly (such as "in the last year"), so a claim about these days cannot be settled; expected ${expectedText(r)}`;
    case 'STRICT_CAVEATS': return `actual ${actual} meets ${expectedText(r)}, but caveats fail it under --strict`;
    default: return `actual ${actual}, expected ${expectedText(r)}`;
  }
}

/** Caveats worth a line: warnings and revisions (errors are already the outcome's words). */
function notable(r: ClaimResult): string[] {
  return r.caveats.filter((c) => c.severity === 'warning' || c.code === 'REVISION').map(describeCaveat);
}

function* text(v: CheckView): Generator<string> {
  const chalk = new Chalk({ level: v.color ? 1 : 0 });
  const mark = { pass: chalk.green('✓'), fail: chalk.red('✗'), undetermined: chalk.yellow('?') };
  const e = escapeControls;
  for (const r of v.results) {
    yield `${mark[r.status]} ${e(r.id)}: ${e(outcomeText(r))}\n`;
    yield chalk.dim(`    says: "${e(r.says)}"${r.source ? ` (${e(r.source)})` : ''} — ${e(v.file)}:${r.line}\n`);
    for (const c of notable(r)) yield chalk.dim(`    caveat: ${e(c)}\n`);
  }
  const s = v.summary;
  yield `\n${s.pass} passed, ${s.fail} failed, ${s.undetermined} undetermined\n`;
  if (v.changes) {
    yield v.first ? '\nfirst run: the results are remembered for the next\n'
      : v.changes.length ? `\nsince the last run:\n${v.changes.map((c) => `  ${e(describeChange(c))}\n`).join('')}` : '\nnothing changed since the last run\n';
  }
}

function* json(v: CheckView): Generator<string> {
  const doc = {
    file: v.file,
    claims: v.results.map((r) => ({
      id: r.id, status: r.status, says: r.says, source: r.source ?? null, line: r.line,
      actual: r.actual, expected: expectedJson(r), message: outcomeText(r),
      caveats: r.caveats.map((c) => ({ ...c, message: describeCaveat(c) })),
    })),
    summary: v.summary,
    ...(v.changes ? { changes: v.changes.map((c) => ({ ...c, message: describeChange(c) })) } : {}),
  };
  yield `${JSON.stringify(doc, null, 2)}\n`;
}

function expectedJson(r: ClaimResult): unknown {
  const e = r.expected;
  if ('query' in e) return { op: e.op, period: e.query.period.label, figure: e.figure };
  return e;
}

function xml(text: string): string {
  return text.replace(/[<>&"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c]!)
    // Characters XML 1.0 cannot hold at all, lone surrogates included.
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '');
}

/** An attribute value: parsers normalise raw tabs and line breaks in attributes to spaces. */
function xmlAttr(text: string): string {
  return xml(text).replace(/[\t\n\r]/g, (c) => `&#${c.charCodeAt(0)};`);
}

function* junit(v: CheckView, allowUndetermined: boolean): Generator<string> {
  const failures = v.summary.fail + (allowUndetermined ? 0 : v.summary.undetermined);
  const skipped = allowUndetermined ? v.summary.undetermined : 0;
  yield '<?xml version="1.0" encoding="UTF-8"?>\n';
  yield `<testsuites name="assetloss check" tests="${v.results.length}" failures="${failures}">\n`;
  yield `  <testsuite name="${xmlAttr(v.file)}" tests="${v.results.length}" failures="${failures}" skipped="${skipped}" errors="0">\n`;
  if (v.changes?.length) {
    yield '    <properties>\n';
    for (const c of v.changes) yield `      <property name="changed:${xmlAttr(c.id)}" value="${xmlAttr(describeChange(c))}"/>\n`;
    yield '    </properties>\n';
  }
  for (const r of v.results) {
    yield `    <testcase name="${xmlAttr(r.id)}" classname="${xmlAttr(v.file)}" file="${xmlAttr(v.file)}" line="${r.line}">\n`;
    const body = [`says: ${r.says}`, ...(r.source ? [`source: ${r.source}`] : []), ...notable(r).map((c) => `caveat: ${c}`)].join('\n');
    if (r.status === 'fail' || (r.status === 'undetermined' && !allowUndetermined)) {
      yield `      <failure message="${xmlAttr(outcomeText(r))}" type="${r.status}">${xml(body)}</failure>\n`;
    } else if (r.status === 'undetermined') {
      yield `      <skipped message="${xmlAttr(outcomeText(r))}"/>\n`;
    }
    yield `      <system-out>${xml(`${outcomeText(r)}\n${body}`)}</system-out>\n`;
    yield '    </testcase>\n';
  }
  yield '  </testsuite>\n</testsuites>\n';
}

/** A YAML double-quoted string; JSON leaves C1 controls and bidi overrides raw, so they are escaped too (YAML reads \uXXXX back). */
function yamlString(text: string): string {
  return escapeControls(JSON.stringify(text));
}

function* tap(v: CheckView, allowUndetermined: boolean): Generator<string> {
  yield 'TAP version 14\n';
  yield `1..${v.results.length}\n`;
  for (const c of v.changes ?? []) yield `# changed: ${escapeControls(describeChange(c))}\n`;
  for (const [i, r] of v.results.entries()) {
    const ok = r.status === 'pass' || (r.status === 'undetermined' && allowUndetermined);
    const directive = r.status === 'undetermined' && allowUndetermined ? ' # SKIP undetermined' : '';
    yield `${ok ? 'ok' : 'not ok'} ${i + 1} - ${escapeControls(r.id).replace(/#/g, '\\#')}${directive}\n`;
    if (!ok || r.status !== 'pass') {
      yield '  ---\n';
      yield `  message: ${yamlString(outcomeText(r))}\n`;
      yield `  says: ${yamlString(r.says)}\n`;
      yield `  at: ${yamlString(`${v.file}:${r.line}`)}\n`;
      yield `  status: ${r.status}\n`;
      const caveats = notable(r);
      if (caveats.length) yield `  caveats:\n${caveats.map((c) => `    - ${yamlString(c)}\n`).join('')}`;
      yield '  ...\n';
    }
  }
}

/** Workflow-command escaping: data escapes %, CR, LF; properties also `:` and `,`. */
export function escapeData(text: string): string {
  return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

export function escapeProperty(text: string): string {
  return escapeData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

function* github(v: CheckView, allowUndetermined: boolean): Generator<string> {
  for (const r of v.results) {
    if (r.status === 'pass') continue;
    const level = r.status === 'fail' || !allowUndetermined ? 'error' : 'warning';
    const title = `claim ${r.id} ${r.status === 'fail' ? 'failed' : 'undetermined'}`;
    const message = [`${outcomeText(r)}`, `says: "${r.says}"${r.source ? ` (${r.source})` : ''}`, ...notable(r).map((c) => `caveat: ${c}`)].join('\n');
    // Workflow-command escapes first (%0A for a line break), then no other control reaches the log.
    yield `::${level} file=${escapeControls(escapeProperty(v.file))},line=${r.line},title=${escapeControls(escapeProperty(title))}::${escapeControls(escapeData(message))}\n`;
  }
  for (const c of v.changes ?? []) {
    yield `::warning file=${escapeControls(escapeProperty(v.file))},line=${c.line},title=${escapeControls(escapeProperty(`claim ${c.id} changed`))}::${escapeControls(escapeData(describeChange(c)))}\n`;
  }
  const s = v.summary;
  yield `${s.pass} passed, ${s.fail} failed, ${s.undetermined} undetermined\n`;
}

export function renderCheck(format: CheckFormat, view: CheckView, allowUndetermined: boolean): Iterable<string> {
  switch (format) {
    case 'text': return text(view);
    case 'json': return json(view);
    case 'junit': return junit(view, allowUndetermined);
    case 'tap': return tap(view, allowUndetermined);
    case 'github': return github(view, allowUndetermined);
  }
}

/**
 * A claims file that cannot be read, in the CI formats: a JUnit document with one errored test
 * case, a TAP bail-out, a GitHub error annotation on the line — so the CI reporter shows why the
 * job broke (the run still exits 2 with the error on stderr).
 */
export function* renderCheckError(format: 'junit' | 'tap' | 'github', file: string, d: Diagnostic): Generator<string> {
  const message = describeDiagnostic(d);
  switch (format) {
    case 'junit':
      yield '<?xml version="1.0" encoding="UTF-8"?>\n';
      yield '<testsuites name="assetloss check" tests="1" failures="0" errors="1">\n';
      yield `  <testsuite name="${xmlAttr(file)}" tests="1" failures="0" skipped="0" errors="1">\n`;
      yield `    <testcase name="claims file" classname="${xmlAttr(file)}" file="${xmlAttr(file)}"${d.line ? ` line="${d.line}"` : ''}>\n`;
      yield `      <error message="${xmlAttr(message)}" type="${xmlAttr(d.code)}">${xml(message)}</error>\n`;
      yield '    </testcase>\n  </testsuite>\n</testsuites>\n';
      return;
    case 'tap':
      yield 'TAP version 14\n';
      yield `Bail out! ${message.replace(/[\r\n]+/g, ' ')}\n`;
      return;
    case 'github':
      yield `::error file=${escapeProperty(d.file ?? file)}${d.line ? `,line=${d.line}` : ''},title=${escapeProperty('claims file cannot be read')}::${escapeData(message)}\n`;
  }
}
