// An answer's HTML through a real parser (parse5, as browsers parse it: upper-case tags, missing
// end tags, entities), reduced to its tables as cell texts and the words around them.
import { defaultTreeAdapter, parseFragment } from 'parse5';
import type { DefaultTreeAdapterMap, TreeAdapter } from 'parse5';
import type { HtmlCell, HtmlTable } from '../read/html-grid.js';
import { InputError } from '../model/diagnostics.js';

type Node = DefaultTreeAdapterMap['node'];
type Element = DefaultTreeAdapterMap['element'];

export interface ParsedAnswer {
  tables: HtmlTable[];
  /** The text outside the tables, paragraphs separated by a space. */
  text: string;
  /** Any element at all: list previews are plain text, their tags stripped. */
  markup: boolean;
  /** For each table, the answer's words before it (all of them) and after it (up to the next table). */
  around: { before: string; after: string }[];
}

/** Elements whose content is not part of the answer's words. */
const HIDDEN = new Set(['script', 'style', 'head', 'title', 'template', 'noscript']);
/** Elements that break text: their content is set apart by a space from what surrounds it. */
const BLOCK = new Set([
  'p', 'div', 'br', 'li', 'ul', 'ol', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'blockquote', 'section', 'article',
  'table', 'tr', 'td', 'th', 'thead', 'tbody', 'tfoot', 'caption', 'hr', 'dd', 'dt', 'dl',
]);

function isElement(node: Node): node is Element {
  return 'tagName' in node;
}

function children(node: Node): Node[] {
  if ('content' in node && node.nodeName === 'template') return [];
  return 'childNodes' in node ? (node.childNodes as Node[]) : [];
}

/**
 * Deepest nesting of elements read. An answer nests a dozen deep; parse5 spends time in
 * proportion to the depth on every tag (6,000 unclosed `<div>` took seconds, 50,000 eighteen), and
 * the walks below recurse once per level.
 */
export const MAX_HTML_DEPTH = 500;

/** parse5's tree, refusing a node placed deeper than MAX_HTML_DEPTH (counted up its parents, at most that far). */
const boundedTree: TreeAdapter<DefaultTreeAdapterMap> = {
  ...defaultTreeAdapter,
  appendChild(parent, child) {
    checkDepth(parent);
    defaultTreeAdapter.appendChild(parent, child);
  },
  insertBefore(parent, child, reference) {
    checkDepth(parent);
    defaultTreeAdapter.insertBefore(parent, child, reference);
  },
};

function checkDepth(parent: DefaultTreeAdapterMap['parentNode']): void {
  let depth = 1;
  for (let n: DefaultTreeAdapterMap['parentNode'] | null = parent; n; n = 'parentNode' in n ? n.parentNode : null) {
    if (++depth > MAX_HTML_DEPTH) {
      throw new InputError('HTML_TOO_DEEP', `the answer's HTML nests elements more than ${MAX_HTML_DEPTH} deep (tags never closed?); an answer nests a few`, {}, `at most ${MAX_HTML_DEPTH} levels`);
    }
  }
}

export function parseAnswerHtml(html: string): ParsedAnswer {
  const root = parseFragment(html, { treeAdapter: boundedTree }) as unknown as Node;
  const tables: HtmlTable[] = [];
  const outside: string[] = [];
  const cuts: number[] = [];
  let markup = false;
  const walk = (node: Node) => {
    if (isElement(node)) {
      markup = true;
      if (HIDDEN.has(node.tagName)) return;
      if (node.tagName === 'table') {
        tables.push(readTable(node));
        cuts.push(outside.length);
        outside.push(' ');
        return;
      }
      if (BLOCK.has(node.tagName)) outside.push(' ');
      for (const child of children(node)) walk(child);
      if (BLOCK.has(node.tagName)) outside.push(' ');
      return;
    }
    if (node.nodeName === '#text') outside.push((node as DefaultTreeAdapterMap['textNode']).value);
    else for (const child of children(node)) walk(child);
  };
  walk(root);
  const around = cuts.map((at, i) => ({ before: squash(outside.slice(0, at).join('')), after: squash(outside.slice(at, cuts[i + 1] ?? outside.length).join('')) }));
  return { tables, text: squash(outside.join('')), markup, around };
}

/** Rows of a table in document order, from thead, tbody, tfoot or directly; nested tables stay cell text. */
function readTable(table: Element): HtmlTable {
  const rows: HtmlCell[][] = [];
  let caption: string | undefined;
  const visit = (node: Element) => {
    for (const child of children(node)) {
      if (!isElement(child)) continue;
      if (child.tagName === 'caption') caption = cellText(child);
      else if (child.tagName === 'thead' || child.tagName === 'tbody' || child.tagName === 'tfoot') visit(child);
      else if (child.tagName === 'tr') rows.push(readRow(child));
    }
  };
  visit(table);
  return caption ? { rows, caption } : { rows };
}

function readRow(tr: Element): HtmlCell[] {
  const cells: HtmlCell[] = [];
  for (const child of children(tr)) {
    if (!isElement(child) || (child.tagName !== 'td' && child.tagName !== 'th')) continue;
    cells.push({ text: cellText(child), colspan: span(child, 'colspan'), rowspan: span(child, 'rowspan') });
  }
  return cells;
}

function span(el: Element, name: string): number {
  const v = el.attrs.find((a) => a.name === name)?.value.trim() ?? '';
  const n = /^\d+$/.test(v) ? Number(v) : 1;
  return Math.min(Math.max(n, 1), 1000);
}

/**
 * A cell's words: `<br>` and paragraphs become spaces, `&nbsp;` (already decoded by the parser)
 * and runs of white space one space. Footnote digits in `<sup>` become "(1)", the marker form the
 * label and count readers know, so "12<sup>1</sup>" is 12 with footnote (1), never 121.
 */
function cellText(cell: Element): string {
  const parts: string[] = [];
  const walk = (node: Node) => {
    if (isElement(node)) {
      if (HIDDEN.has(node.tagName)) return;
      if (node.tagName === 'sup') {
        const t = squash(textOf(node));
        parts.push(/^\d{1,2}$/.test(t) ? `(${t})` : t);
        return;
      }
      const block = BLOCK.has(node.tagName);
      if (block) parts.push(' ');
      for (const child of children(node)) walk(child);
      if (block) parts.push(' ');
      return;
    }
    if (node.nodeName === '#text') parts.push((node as DefaultTreeAdapterMap['textNode']).value);
    else for (const child of children(node)) walk(child);
  };
  for (const child of children(cell)) walk(child);
  return squash(parts.join(''));
}

function textOf(node: Node): string {
  if (node.nodeName === '#text') return (node as DefaultTreeAdapterMap['textNode']).value;
  return children(node).map(textOf).join('');
}

/** White space as a reader sees it: no-break and other spaces are spaces; runs are one. */
function squash(text: string): string {
  return text.replace(/[\s\u00a0\u2007\u202f]+/g, ' ').trim();
}
