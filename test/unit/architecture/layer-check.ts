import { describeEdge, type ImportEdge } from './import-graph.js';

/**
 * A layering: units bottom to top. A unit is a repository path, a folder (`lambdas/core/config`,
 * with its subfolders) or a file (`lambdas/core/errors.ts`); a file belongs to the longest unit
 * that contains it.
 */
export interface LayerRules {
  /** Bottom to top; the units of one entry share a rank. A unit may import units of lower rank. */
  readonly ranks: readonly (readonly string[])[];
  /** Units that may import only the units listed (narrower than their rank allows). */
  readonly onlyImports?: Readonly<Record<string, readonly string[]>>;
  /** Imports between two units of one rank that are allowed: `[importer, imported]`. */
  readonly sameRankImports?: readonly (readonly [string, string])[];
}

/** The unit of `rules` that contains `path`, or undefined when none does. */
export function unitOf(rules: LayerRules, path: string): string | undefined {
  return rules.ranks
    .flat()
    .filter((unit) => path === unit || path.startsWith(`${unit}/`))
    .sort((a, b) => b.length - a.length)[0];
}

/** Whether a unit may import another under `rules` (a unit may always import itself). */
export function mayImport(rules: LayerRules, importer: string, imported: string): boolean {
  if (importer === imported) return true;
  const only = rules.onlyImports?.[importer];
  if (only !== undefined) return only.includes(imported);
  const rank = (unit: string): number => rules.ranks.findIndex((units) => units.includes(unit));
  if (rank(imported) < rank(importer)) return true;
  return (rules.sameRankImports ?? []).some(([from, to]) => from === importer && to === imported);
}

/**
 * The imports that break `rules`, as `file → specifier (importer unit may not import imported unit)`.
 * Only imports from a file inside the rules' units are judged; one to a file outside them (or to no
 * file) is a break, as the layering does not know it.
 */
export function layerViolations(edges: readonly ImportEdge[], rules: LayerRules): string[] {
  return edges.flatMap((edge) => {
    const importer = unitOf(rules, edge.file);
    if (importer === undefined) return [];
    const imported = edge.target === undefined ? undefined : unitOf(rules, edge.target);
    if (imported === undefined) return [`${describeEdge(edge)} (${importer} imports outside the layers)`];
    return mayImport(rules, importer, imported)
      ? []
      : [`${describeEdge(edge)} (${importer} may not import ${imported})`];
  });
}
