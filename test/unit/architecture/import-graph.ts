import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { specifiersOf } from './module-specifiers.js';

/** One relative import: the importing file, the specifier as written, and the file it names. */
export interface ImportEdge {
  /** Repository-relative path with `/` separators, e.g. `lambdas/handlers/dispatcher.ts`. */
  readonly file: string;
  readonly specifier: string;
  /** Repository-relative path of the imported file; undefined when the specifier names no file. */
  readonly target: string | undefined;
}

const toPosix = (path: string): string => path.split(sep).join('/');

/**
 * The hand-written TypeScript files under `folders` (repository-relative, sorted); generated
 * files (`*.generated.ts`, written by scripts/compile-contracts.ts) are left out, as nobody edits
 * their imports.
 */
export function handWrittenSources(root: string, folders: readonly string[]): string[] {
  return folders
    .flatMap((folder) =>
      (readdirSync(join(root, folder), { recursive: true }) as string[])
        .filter((entry) => entry.endsWith('.ts') && !entry.endsWith('.generated.ts'))
        .map((entry) => toPosix(join(folder, entry))),
    )
    .sort();
}

/**
 * The file a relative specifier names, as TypeScript's NodeNext resolution finds it: a `.js`
 * specifier names the `.ts` file beside it; an extensionless one a `.ts` file or a folder's
 * `index.ts`. Undefined for a package specifier or a name that is not there.
 */
export function resolveImport(root: string, file: string, specifier: string): string | undefined {
  if (!specifier.startsWith('.')) return undefined;
  const base = resolve(root, dirname(file), specifier);
  const candidates = [
    ...(base.endsWith('.js') ? [`${base.slice(0, -3)}.ts`] : []),
    ...(base.endsWith('.mjs') ? [`${base.slice(0, -4)}.mts`] : []),
    base,
    `${base}.ts`,
    join(base, 'index.ts'),
  ];
  const found = candidates.find((candidate) => existsSync(candidate) && statSync(candidate).isFile());
  return found === undefined ? undefined : toPosix(relative(root, found));
}

/** The relative imports of every hand-written file under `folders` (package imports are not edges). */
export function importGraph(root: string, folders: readonly string[]): ImportEdge[] {
  return handWrittenSources(root, folders).flatMap((file) =>
    specifiersOf(readFileSync(join(root, file), 'utf8'))
      .filter((specifier) => specifier.startsWith('.'))
      .map((specifier) => ({ file, specifier, target: resolveImport(root, file, specifier) })),
  );
}

/** How an edge is named in a failure: `file → specifier`. */
export function describeEdge(edge: ImportEdge): string {
  return `${edge.file} → ${edge.specifier}`;
}
