import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { lambdaBuildOptions } from '../../../cdk/constructs/lambda-bundle-settings.js';
import { handWrittenSources } from './import-graph.js';

const ROOT = resolve(import.meta.dirname, '../../..');
/** The code that ships minified: the Lambda bundles and the Batch job bundles. */
const MINIFIED_FOLDERS = ['lambdas', 'batch-jobs'];
const ERROR_BASES = ['Error', 'PipelineError', 'BaseError', 'ExecutorFailure', 'RpcAnswerError'];

/** Every `class X extends <an error class>` in `source`, with the name its body declares (if any). */
function errorClassesIn(source: string): { className: string; declaredName: string | undefined }[] {
  const classes = [...source.matchAll(/^(?:export )?class (\w+) extends (\w+) \{\n?(.*)$/gm)];
  return classes
    .filter(([, , base]) => ERROR_BASES.includes(base!))
    .map(([, className, , firstLine]) => ({
      className: className!,
      declaredName: /override readonly name: string = '(\w+)';/.exec(firstLine ?? '')?.[1],
    }));
}

describe('error names survive minification', () => {
  it('every error class of the minified code declares its own name as a string', () => {
    // Prepare: the error classes of the Lambda and Batch job sources.
    const classes = handWrittenSources(ROOT, MINIFIED_FOLDERS).flatMap((file) =>
      errorClassesIn(readFileSync(resolve(ROOT, file), 'utf8')).map((found) => ({ file, ...found })),
    );

    // Assess: PipelineError names itself in its constructor; every other class declares its name.
    const others = classes.filter((found) => found.className !== 'PipelineError');
    expect(others.length).toBeGreaterThan(30);
    expect(others.filter((found) => found.declaredName !== found.className)).toEqual([]);
  });

  it('a minified Lambda bundle logs the class names of the errors it raises', async () => {
    // Prepare: a bundle with the Lambda settings (minified) that raises three pipeline errors.
    const entry = resolve(import.meta.dirname, 'fixtures/raise-errors.ts');
    const outfile = join(mkdtempSync(join(tmpdir(), 'error-names-')), 'raise-errors.mjs');
    await build(lambdaBuildOptions(entry, outfile));

    // Act: run it and read the names it reports.
    const { names } = (await import(pathToFileURL(outfile).href)) as { names: string[] };

    // Assess: the names are the classes' own, not the minifier's.
    expect(names).toEqual(['ProposerNotApprovedError', 'ExecutorTimeoutError', 'PipelineError']);
  });
});
