import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { folderCycles } from './folder-cycles.js';
import { handWrittenSources, type ImportEdge, importGraph, resolveImport } from './import-graph.js';
import { type LayerRules, layerViolations, unitOf } from './layer-check.js';
import { specifiersOf } from './module-specifiers.js';

const ROOT = resolve(import.meta.dirname, '../../..');
const FOLDERS = ['lambdas', 'batch-jobs', 'cdk', 'devnet', 'scripts', 'ops'];

/** The layers of the repository, bottom to top. */
const PIPELINE_LAYERS: LayerRules = {
  ranks: [
    ['lambdas/core'],
    ['lambdas/chain'],
    ['lambdas/adapters'],
    ['lambdas/watcher', 'lambdas/proposer'],
    ['lambdas/handlers'],
    ['batch-jobs'],
    ['cdk', 'devnet', 'scripts', 'ops'],
  ],
  onlyImports: {
    // A Batch job runs the provers, not the Lambda functions: it shares the core, the chain code and the adapters.
    'batch-jobs': ['lambdas/core', 'lambdas/chain', 'lambdas/adapters'],
    // The stack reads the config (runtime layer and shared names) and bundles the handlers by path.
    cdk: ['lambdas/core'],
    // The operator CLI reaches the pipeline as the handlers do (their composition root, ports and
    // adapters) and the local run through its manifest; nothing imports the CLI.
    ops: [
      'lambdas/core',
      'lambdas/chain',
      'lambdas/adapters',
      'lambdas/watcher',
      'lambdas/proposer',
      'lambdas/handlers',
      'devnet',
    ],
  },
  // The benchmarks run the devnet's stand-ins and runtime; the devnet imports no script. The bundler
  // script bundles the handlers with the stack's esbuild settings (cdk/constructs/lambda-bundle-settings.ts).
  sameRankImports: [
    ['scripts', 'devnet'],
    ['scripts', 'cdk'],
  ],
};

/** The sub-layers of `lambdas/core`, bottom to top. */
const CORE_LAYERS: LayerRules = {
  ranks: [
    // json/ (the bigint replacer) imports nothing and sits at the bottom beside the errors and schemas.
    ['lambdas/core/errors.ts', 'lambdas/core/schema', 'lambdas/core/json'],
    ['lambdas/core/messages'],
    ['lambdas/core/executor'],
    ['lambdas/core/config'],
    ['lambdas/core/ports'],
    ['lambdas/core/status.ts'],
    // Stored switches a person (or the pipeline) sets to hold work back: pause/resume.
    ['lambdas/core/control'],
    // The orchestrator bottom to top: its setup (deps, stages, the program plug-in interface), message
    // records, the group lifecycle, the collectors, then the dispatcher and the proposer gateway.
    ['lambdas/core/orchestrator/setup'],
    ['lambdas/core/orchestrator/messages'],
    // The cost guard: a stage's day spend, the budget check before a submission, the cycle limit.
    ['lambdas/core/orchestrator/budget'],
    // Proof hedging's pieces the group lifecycle reads: observed durations and their p90, the hedge
    // record, the race between two jobs of one attempt, the spend cap over the day's spend.
    ['lambdas/core/orchestrator/hedge'],
    ['lambdas/core/orchestrator/group'],
    ['lambdas/core/orchestrator/collector'],
    ['lambdas/core/orchestrator'],
    // The programs that plug in (range, aggregate): only the composition roots import them.
    ['lambdas/core/programs'],
  ],
  // Item parsing reports bad items as InvalidInputError.
  sameRankImports: [['lambdas/core/schema', 'lambdas/core/errors.ts']],
};

const edges = importGraph(ROOT, FOLDERS);
const inCore = (path: string | undefined): boolean => path?.startsWith('lambdas/core/') === true;

describe('import layers: the scanner', () => {
  it('finds every form of import', () => {
    const source = [
      "import { a } from './static.js';",
      "import type { B } from '../types.js';",
      'import {\n  c,\n  d,\n} from "./multi-line.js";',
      "import e, { f } from './default-and-named.js';",
      "import * as g from './namespace.js';",
      "export { h } from './re-export.js';",
      "export type { I } from './type-re-export.js';",
      "export * from './star.js';",
      "import './side-effect.js';",
      "const j = await import('./dynamic.js');",
      "const k = await import(\n  '../dynamic-multi-line.js'\n);",
      "import { z } from 'zod';",
      'const l = 1; // no specifier here',
    ].join('\n');
    expect(new Set(specifiersOf(source))).toEqual(
      new Set([
        './static.js',
        '../types.js',
        './multi-line.js',
        './default-and-named.js',
        './namespace.js',
        './re-export.js',
        './type-re-export.js',
        './star.js',
        './side-effect.js',
        './dynamic.js',
        '../dynamic-multi-line.js',
        'zod',
      ]),
    );
  });

  it('resolves a .js specifier to the .ts file beside it, and a package to no file', () => {
    expect(resolveImport(ROOT, 'lambdas/handlers/dispatcher.ts', '../core/errors.js')).toBe(
      'lambdas/core/errors.ts',
    );
    expect(resolveImport(ROOT, 'lambdas/handlers/dispatcher.ts', './no-such-file.js')).toBeUndefined();
    expect(resolveImport(ROOT, 'lambdas/handlers/dispatcher.ts', 'aws-lambda')).toBeUndefined();
  });

  it('reads the whole tree and resolves every relative import to a file', () => {
    expect(handWrittenSources(ROOT, FOLDERS).length).toBeGreaterThan(200);
    expect(edges.length).toBeGreaterThan(500);
    expect(edges.filter((edge) => edge.target === undefined).map((edge) => edge.specifier)).toEqual([]);
  });
});

describe('import layers: the checks', () => {
  const edge = (file: string, target: string): ImportEdge => ({ file, specifier: target, target });

  it('finds an import up the layers, between same-rank units and outside an only-imports list', () => {
    const violations = layerViolations(
      [
        edge('lambdas/core/errors.ts', 'lambdas/chain/abi.ts'),
        edge('lambdas/watcher/a.ts', 'lambdas/proposer/b.ts'),
        edge('batch-jobs/c.ts', 'lambdas/handlers/d.ts'),
        edge('lambdas/handlers/e.ts', 'lambdas/core/f.ts'),
        edge('scripts/g.ts', 'devnet/h.ts'),
      ],
      PIPELINE_LAYERS,
    );
    expect(violations).toEqual([
      'lambdas/core/errors.ts → lambdas/chain/abi.ts (lambdas/core may not import lambdas/chain)',
      'lambdas/watcher/a.ts → lambdas/proposer/b.ts (lambdas/watcher may not import lambdas/proposer)',
      'batch-jobs/c.ts → lambdas/handlers/d.ts (batch-jobs may not import lambdas/handlers)',
    ]);
  });

  it('finds folders that import each other directly and round about', () => {
    const cycles = folderCycles([
      edge('a/one.ts', 'b/two.ts'),
      edge('b/two.ts', 'a/three.ts'),
      edge('c/four.ts', 'd/five.ts'),
      edge('d/five.ts', 'e/six.ts'),
      edge('e/six.ts', 'c/seven.ts'),
      edge('f/eight.ts', 'a/one.ts'),
    ]);
    expect(cycles.map((cycle) => cycle.folders)).toEqual([
      ['a', 'b'],
      ['c', 'd', 'e'],
    ]);
    expect(cycles[0]?.imports).toEqual(['a/one.ts → b/two.ts', 'b/two.ts → a/three.ts']);
  });
});

describe('import layers of the tree', () => {
  it('places every file in a layer (a new folder needs a place in the rules)', () => {
    const files = handWrittenSources(ROOT, FOLDERS);
    expect(files.filter((file) => unitOf(PIPELINE_LAYERS, file) === undefined)).toEqual([]);
    expect(files.filter((file) => inCore(file) && unitOf(CORE_LAYERS, file) === undefined)).toEqual([]);
  });

  it('has no import up the layers, nor up the sub-layers of lambdas/core', () => {
    const violations = [
      ...layerViolations(edges, PIPELINE_LAYERS),
      ...layerViolations(
        edges.filter((e) => inCore(e.file) && inCore(e.target)),
        CORE_LAYERS,
      ),
    ];
    expect(violations.sort()).toEqual([]);
  });

  it('has no folders that import each other, anywhere (orchestrator subfolders included)', () => {
    const cycles = folderCycles(edges);
    const described = cycles.map((cycle) => `${cycle.folders.join(' ⇄ ')}`);
    // On a failure the message names each cycle's folders and the imports that close it.
    expect(described, JSON.stringify(cycles, null, 2)).toEqual([]);
  });
});
