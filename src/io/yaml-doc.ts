// YAML documents with positions: the node at a path, the line and column of a node, and a zod
// issue turned into a positioned message. Shared by the files people write by hand (inputs files).
import { isMap, isScalar, isSeq, type LineCounter, type Document, type Node } from 'yaml';

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
