import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';
import { METRIC } from '../../lambdas/core/ports/telemetry.js';

/** One `metrics.gauge` / `metrics.count` call found in the source, with what it emits. */
export interface MetricEmission {
  readonly metricName: string;
  /** Dimension keys as CloudWatch receives them: the call's keys plus Powertools' `service`, sorted. */
  readonly dimensionNames: readonly string[];
  /** `path:line` of the call, relative to the scanned root's parent. */
  readonly at: string;
}

/** Powertools adds `service` (`POWERTOOLS_SERVICE_NAME`) to every metric, single metrics too. */
const DEFAULT_DIMENSIONS = ['service'];

const metricByKey: Readonly<Record<string, string>> = METRIC;

/**
 * Every metric emission under `root` (TypeScript sources) whose name and dimension keys can be read
 * from the code itself: the name as `METRIC.<key>` or as a property that the code only ever sets to
 * `METRIC.<key>` values (e.g. a plugin's `headMetric`), the dimensions as an object literal or a
 * `const` holding one in the same file. Calls whose name or dimensions are computed otherwise are
 * not evidence of anything and are left out.
 */
export function findMetricEmissions(root: string): MetricEmission[] {
  const files = sourceFiles(root).map((path) =>
    ts.createSourceFile(path, readFileSync(path, 'utf8'), ts.ScriptTarget.Latest, true),
  );
  const carriers = metricCarriers(files);
  const emissions: MetricEmission[] = [];
  for (const file of files) {
    const objectConsts = objectLiteralConsts(file);
    visit(file, (node) => {
      if (!ts.isCallExpression(node) || !ts.isPropertyAccessExpression(node.expression)) return;
      const method = node.expression.name.text;
      if (
        (method !== 'gauge' && method !== 'count') ||
        !/metrics$/i.test(node.expression.expression.getText())
      )
        return;
      const [nameArg, , dimensionsArg] = node.arguments;
      const names = nameArg === undefined ? [] : metricNamesOf(nameArg, carriers);
      const keys = dimensionsArg === undefined ? [] : dimensionKeysOf(dimensionsArg, objectConsts);
      if (keys === undefined) return;
      const line = file.getLineAndCharacterOfPosition(node.getStart()).line + 1;
      const at = `${relative(join(root, '..'), file.fileName)}:${line}`;
      const dimensionNames = [...new Set([...DEFAULT_DIMENSIONS, ...keys])].sort();
      for (const metricName of names) emissions.push({ metricName, dimensionNames, at });
    });
  }
  return emissions;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts') ? [path] : [];
  });
}

function visit(node: ts.Node, onNode: (node: ts.Node) => void): void {
  onNode(node);
  ts.forEachChild(node, (child) => visit(child, onNode));
}

/** `METRIC.<key>` → its metric name; anything else → undefined. */
function metricConstant(node: ts.Expression): string | undefined {
  if (!ts.isPropertyAccessExpression(node) || node.expression.getText() !== 'METRIC') return undefined;
  return metricByKey[node.name.text];
}

/** Property names that are only ever assigned `METRIC.<key>` values, with those names. */
function metricCarriers(files: readonly ts.SourceFile[]): Map<string, Set<string>> {
  const carriers = new Map<string, Set<string>>();
  const tainted = new Set<string>();
  for (const file of files) {
    visit(file, (node) => {
      if (!ts.isPropertyAssignment(node) || !ts.isIdentifier(node.name)) return;
      const property = node.name.text;
      const name = metricConstant(node.initializer);
      if (name === undefined) {
        tainted.add(property);
        return;
      }
      carriers.set(property, (carriers.get(property) ?? new Set()).add(name));
    });
  }
  for (const property of tainted) carriers.delete(property);
  return carriers;
}

function metricNamesOf(node: ts.Expression, carriers: Map<string, Set<string>>): string[] {
  const constant = metricConstant(node);
  if (constant !== undefined) return [constant];
  if (ts.isPropertyAccessExpression(node)) return [...(carriers.get(node.name.text) ?? [])];
  return [];
}

/** `const x = { … }` declarations of a file whose keys are all plain names. */
function objectLiteralConsts(file: ts.SourceFile): Map<string, string[]> {
  const found = new Map<string, string[]>();
  visit(file, (node) => {
    if (!ts.isVariableDeclaration(node) || !ts.isIdentifier(node.name) || node.initializer === undefined)
      return;
    if (!ts.isVariableDeclarationList(node.parent) || !(node.parent.flags & ts.NodeFlags.Const)) return;
    const keys = literalKeys(node.initializer);
    if (keys !== undefined) found.set(node.name.text, keys);
  });
  return found;
}

function literalKeys(node: ts.Expression): string[] | undefined {
  if (!ts.isObjectLiteralExpression(node)) return undefined;
  const keys: string[] = [];
  for (const property of node.properties) {
    if (!ts.isPropertyAssignment(property) && !ts.isShorthandPropertyAssignment(property)) return undefined;
    if (!ts.isIdentifier(property.name) && !ts.isStringLiteral(property.name)) return undefined;
    keys.push(property.name.text);
  }
  return keys;
}

function dimensionKeysOf(node: ts.Expression, objectConsts: Map<string, string[]>): string[] | undefined {
  if (ts.isIdentifier(node)) return objectConsts.get(node.text);
  return literalKeys(node);
}
