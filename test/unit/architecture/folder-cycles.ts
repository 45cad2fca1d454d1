import { dirname } from 'node:path/posix';
import { describeEdge, type ImportEdge } from './import-graph.js';

/** Folders that import each other, directly or round about, with the imports that close the loop. */
export interface FolderCycle {
  /** The folders of one strongly connected component, sorted. */
  readonly folders: readonly string[];
  /** Every import between two of those folders, as `file → specifier`. */
  readonly imports: readonly string[];
}

/**
 * The cycles of the folder graph (a folder is a file's directory; an import between two files of one
 * folder is no edge): its strongly connected components of more than one folder (Tarjan).
 */
export function folderCycles(edges: readonly ImportEdge[]): FolderCycle[] {
  const between = edges.filter(
    (edge): edge is ImportEdge & { target: string } =>
      edge.target !== undefined && dirname(edge.file) !== dirname(edge.target),
  );
  const graph = new Map<string, Set<string>>();
  for (const edge of between) {
    const from = dirname(edge.file);
    graph.set(from, (graph.get(from) ?? new Set()).add(dirname(edge.target)));
  }
  const components = stronglyConnected(graph).filter((component) => component.length > 1);
  return components.map((component) => {
    const members = new Set(component);
    const imports = between
      .filter((edge) => members.has(dirname(edge.file)) && members.has(dirname(edge.target)))
      .map(describeEdge);
    return { folders: [...component].sort(), imports };
  });
}

function stronglyConnected(graph: ReadonlyMap<string, ReadonlySet<string>>): string[][] {
  const nodes = new Set([...graph.keys(), ...[...graph.values()].flatMap((targets) => [...targets])]);
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const components: string[][] = [];
  const visit = (node: string): void => {
    index.set(node, index.size);
    low.set(node, index.get(node) as number);
    stack.push(node);
    onStack.add(node);
    for (const next of graph.get(node) ?? []) {
      if (!index.has(next)) {
        visit(next);
        low.set(node, Math.min(low.get(node) as number, low.get(next) as number));
      } else if (onStack.has(next)) {
        low.set(node, Math.min(low.get(node) as number, index.get(next) as number));
      }
    }
    if (low.get(node) !== index.get(node)) return;
    const component: string[] = [];
    let member: string;
    do {
      member = stack.pop() as string;
      onStack.delete(member);
      component.push(member);
    } while (member !== node);
    components.push(component);
  };
  for (const node of [...nodes].sort()) if (!index.has(node)) visit(node);
  return components;
}
