// YAML documents with positions: the node at a path, the line and column of a node, and a zod
// issue turned into a positioned message. Shared by the files people write by hand (inputs files).
import { type Alias, isMap, isScalar, isSeq, type LineCounter, type Document, type Node, visit } from 'yaml';

export type Path = (string | number)[];

/** The node at a path, or the nearest ancestor that exists. */
export function nodeAt(doc: Document, path: Path): Node | undefined {
  let node: unknown = doc.contents;
  for (const key of path) {
    let next: unknown;
    if (isMap(node)) {
      const pair = node.items.find((p) => isScalar(p.key) && p.key.value === key);
      next = pair ? (pair.value ?? pair.key) : undefined;
    } else if (isSeq(node)) {
      next = node.items[key as number];
    }
    if (next === undefined || next === null) return node as Node | undefined;
    node = next;
  }
  return node as Node | undefined;
}

/** The key node of `key` in the mapping at `path` (where an unknown key is reported). */
export function keyNode(doc: Document, path: Path, key: string): Node | undefined {
  const parent = nodeAt(doc, path);
  if (isMap(parent)) {
    const pair = parent.items.find((p) => isScalar(p.key) && p.key.value === key);
    if (pair && isScalar(pair.key)) return pair.key as Node;
  }
  return parent;
}

export function lineOf(node: Node | undefined, lines: LineCounter): { line?: number; column?: number } {
  const offset = node?.range?.[0];
  if (offset === undefined) return {};
  const pos = lines.linePos(offset);
  return { line: pos.line, column: pos.col };
}

/**
 * The document as plain data. An alias to an anchor not set before it, or aliases that multiply
 * (a "billion laughs" bomb: each level repeats the one before), are positioned errors at the
 * alias, not the YAML library's exceptions.
 */
export function toData(doc: Document, lines: LineCounter, fail: (message: string, at: { line?: number; column?: number }, expected?: string, got?: string) => never): unknown {
  const aliases: Alias[] = [];
  visit(doc, { Alias: (_key, node) => { aliases.push(node); } });
  for (const alias of aliases) {
    if (alias.resolve(doc) === undefined) {
      const pos = lines.linePos(alias.range?.[0] ?? 0);
      fail(`not valid YAML: alias *${alias.source} has no anchor &${alias.source} before it`, { line: pos.line, column: pos.col }, `an anchor &${alias.source} set before the alias`, `*${alias.source}`);
    }
  }
  try {
    return doc.toJS({ maxAliasCount: 100 });
  } catch (err) {
    const at = aliases[0]?.range ? lines.linePos(aliases[0].range[0]) : { line: 1, col: 1 };
    const why = /alias count/i.test((err as Error).message)
      ? 'aliases expand too far (each repeats aliases of its own: a YAML alias bomb?); a hand-written file needs no more than a few plain aliases'
      : (err as Error).message.split('\n')[0]!;
    return fail(`not valid YAML: ${why}`, { line: at.line, column: at.col });
  }
}

