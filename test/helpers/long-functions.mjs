// Lists the functions in src/ over LIMIT lines (declarations, methods, constructors, accessors,
// arrow functions and function expressions), with the reason their comment gives for the length.
// A reason is a comment line starting `Long:` just before the function (or before the statement
// or property that names it). `node test/helpers/long-functions.mjs` prints them; the test in
// test/architecture.test.ts fails on one without a reason.
// TypeScript 7 has no parser in JavaScript: its API asks the compiler (tsgo) for the syntax trees.
import { readdirSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { API } from 'typescript/unstable/sync';
import { SyntaxKind } from 'typescript/unstable/ast';

export const LIMIT = 60;
const ROOT = join(dirname(fileURLToPath(import.meta.url)), '../..');

const FUNCTION_KINDS = new Set([
  SyntaxKind.FunctionDeclaration, SyntaxKind.MethodDeclaration, SyntaxKind.Constructor,
  SyntaxKind.GetAccessor, SyntaxKind.SetAccessor, SyntaxKind.ArrowFunction, SyntaxKind.FunctionExpression,
]);
// The nodes that name a function expression and carry its comment: `const f = () => …`,
// `{ f: () => … }`, `export default function …`.
const NAMING_KINDS = new Set([
  SyntaxKind.VariableDeclaration, SyntaxKind.VariableDeclarationList, SyntaxKind.VariableStatement,
  SyntaxKind.PropertyAssignment, SyntaxKind.PropertyDeclaration, SyntaxKind.ExportAssignment,
]);

function sourceFiles(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? sourceFiles(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : []));
}

function nameOf(fn) {
  if (fn.kind === SyntaxKind.Constructor) return 'constructor';
  let node = fn;
  while (!node.name && NAMING_KINDS.has(node.parent?.kind)) node = node.parent;
  if (node.kind === SyntaxKind.VariableDeclarationList || node.kind === SyntaxKind.VariableStatement) node = fn.parent;
  return node.name?.getText() ?? null;
}

/** The node whose leading comment speaks for the function. */
function commentHolder(fn) {
  let node = fn;
  while (NAMING_KINDS.has(node.parent?.kind)) node = node.parent;
  return node;
}

/** Every function in src/ over LIMIT lines: { file, name, lines, reason } (reason null when none). */
export function longFunctions(root = ROOT) {
  const files = sourceFiles(join(root, 'src'));
  const api = new API({ cwd: root });
  try {
    const program = api.updateSnapshot({ openProjects: [join(root, 'tsconfig.json')] }).getProjects()[0].program;
    const found = [];
    for (const file of files) {
      const sf = program.getSourceFile(file);
      if (!sf) throw new Error(`tsconfig.json does not include ${file}`);
      const line = (pos) => sf.getLineAndCharacterOfPosition(pos).line;
      const visit = (node, outer) => {
        let name = outer;
        if (node.kind === SyntaxKind.ClassDeclaration && node.name) name = outer ? `${outer}.${node.name.getText()}` : node.name.getText();
        if (FUNCTION_KINDS.has(node.kind)) {
          const own = nameOf(node);
          name = own === null ? `${outer ?? ''}(anonymous@${line(node.getStart(sf)) + 1})` : outer ? `${outer}.${own}` : own;
          const lines = line(node.end) - line(node.getStart(sf)) + 1;
          if (lines > LIMIT) {
            const holder = commentHolder(node);
            const comment = sf.text.slice(holder.getFullStart(), holder.getStart(sf));
            const reason = /^\s*(?:\/\*\*|\/\/|\*)?\s*Long:\s*(.*)$/m.exec(comment)?.[1]?.trim() ?? null;
            found.push({ file: relative(root, file), name, lines, reason });
          }
        }
        node.forEachChild((child) => visit(child, name));
      };
      visit(sf, null);
    }
    return found;
  } finally {
    api.close();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  for (const f of longFunctions().sort((a, b) => b.lines - a.lines)) {
    console.log(`${String(f.lines).padStart(4)}  ${f.file}:${f.name}${f.reason ? `  — Long: ${f.reason}` : ''}`);
  }
}
