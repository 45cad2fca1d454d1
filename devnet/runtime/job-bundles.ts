import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type BuildOptions, build } from 'esbuild';
import type { ProgramName } from '../../lambdas/core/executor/program-name.js';
import { LauncherPathError, launcherScripts, writeLaunchers } from './job-launchers.js';

/**
 * The local Batch job's programs as plain Node scripts (the entrypoint, each prover, the mock zkVM
 * prover) and the launchers that name them on the jobs' PATH (`job-launchers.ts`).
 */
export interface JobBundles {
  /** `batch-jobs/entrypoint.ts`, bundled. */
  readonly entrypoint: string;
  /** `batch-jobs/provers/<program>.ts`, bundled, per program. */
  readonly provers: Readonly<Record<ProgramName, string>>;
  /** `batch-jobs/provers/mock-zkvm-prover.ts`, bundled: the binary backend's external prover. */
  readonly zkvmProver: string;
  /** Folder of the launchers (`mock-range-prover`, `binary-range-prover`, …), first on the jobs' PATH. */
  readonly bin: string;
  /** False when the bundles of an earlier build were reused (no input changed). */
  readonly built: boolean;
}

const PROGRAMS: readonly ProgramName[] = ['range', 'aggregate'];
const ZKVM_PROVER = 'mock-zkvm-prover';
/** `<name>.cjs` starts `<name>.bundle.cjs` through the loader `code-cached-bundle.cjs`. */
const BUNDLE_SUFFIX = '.bundle';
const LOADER = 'code-cached-bundle';

/** The esbuild settings of every job bundle (all but the entry points and folders). */
const BUNDLE_OPTIONS = {
  outExtension: { '.js': '.cjs' },
  bundle: true,
  platform: 'node',
  // CommonJS, because Node 20 keeps no code cache for ES modules; the dependencies' ES module
  // builds first, because their CommonJS builds (the AWS SDK's) do not tree-shake.
  format: 'cjs',
  mainFields: ['module', 'main'],
  // `import('node:http')` becomes a require(): a script compiled by `node:vm` has no ES module loader.
  supported: { 'dynamic-import': false },
  target: `node${process.versions.node.split('.')[0]}`,
  // What `import.meta` gives an ES module, from the bundle's CommonJS `__filename` and `require`.
  define: { 'import.meta.url': '__importMetaUrl', 'import.meta.resolve': '__importMetaResolve' },
  banner: {
    js: "const{pathToFileURL:__toUrl}=require('node:url');const __importMetaUrl=__toUrl(__filename).href;const __importMetaResolve=(s)=>__toUrl(require.resolve(s)).href;",
  },
  logLevel: 'warning',
} as const satisfies BuildOptions;

/** What the last build read, to tell whether its bundles are still those of the sources. */
interface BuildStamp {
  readonly inputs: readonly string[];
  readonly hash: string;
}

/**
 * Bundles the Batch job entrypoint, the provers and the mock zkVM prover with esbuild, so the local
 * job runner spawns `node <bundle>` instead of transpiling through tsx on every job and prover start,
 * and writes the launchers naming them into the bundle folder's `bin/`. Each program is a CommonJS
 * bundle `<name>.bundle.cjs` (ES module builds of the dependencies first, so the AWS SDK and viem
 * tree-shake) started by `<name>.cjs`, which compiles it from the V8 code cache beside it
 * (`code-cached-bundle.ts`): a job's two processes skip compiling the SDK and viem. A build goes to
 * `cacheDir/<hash>/`, named by a hash of this builder's source and of every input esbuild read;
 * `cacheDir/stamp.json` lists those inputs, so the next run reuses the bundles when no input changed
 * (also after `--fresh`). Runs that build at once each build into their own folder and rename it
 * into place, so a job never starts from a half-written bundle.
 */
export async function buildJobBundles(
  repoRoot: string,
  cacheDir = join(repoRoot, 'dist', 'job-bundles'),
): Promise<JobBundles> {
  const stampPath = join(cacheDir, 'stamp.json');
  const stamp = readStamp(stampPath);
  if (stamp !== undefined && hashInputs(repoRoot, stamp.inputs) === stamp.hash) {
    const cached = bundlesIn(join(cacheDir, stamp.hash), false);
    if ([cached.entrypoint, cached.zkvmProver, ...Object.values(cached.provers)].every(existsSync)) {
      writeLaunchers(cached.bin, launcherScripts(cached));
      return cached;
    }
  }
  mkdirSync(cacheDir, { recursive: true });
  const buildDir = mkdtempSync(join(cacheDir, 'building-'));
  const result = await build({
    entryPoints: {
      [LOADER]: join(repoRoot, 'devnet', 'runtime', 'code-cached-bundle.ts'),
      [`entrypoint${BUNDLE_SUFFIX}`]: join(repoRoot, 'batch-jobs', 'entrypoint.ts'),
      ...Object.fromEntries(
        [...PROGRAMS, ZKVM_PROVER].map((name) => [
          `${name}${BUNDLE_SUFFIX}`,
          join(repoRoot, 'batch-jobs', 'provers', `${name}.ts`),
        ]),
      ),
    },
    outdir: buildDir,
    ...BUNDLE_OPTIONS,
    absWorkingDir: repoRoot,
    metafile: true,
  });
  const inputs = Object.keys(result.metafile.inputs).sort();
  const hash = hashInputs(repoRoot, inputs);
  const finalDir = join(cacheDir, hash);
  const bundles = bundlesIn(finalDir, true);
  try {
    // Written before the rename, naming the final paths: a folder in place always has its launchers.
    writeStarters(buildDir);
    writeLaunchers(join(buildDir, 'bin'), launcherScripts(bundles));
    renameSync(buildDir, finalDir);
  } catch (error) {
    rmSync(buildDir, { recursive: true, force: true });
    // Another run built the same inputs first: its folder holds the same bundles and launchers.
    if (error instanceof LauncherPathError || !existsSync(finalDir)) throw error;
  }
  const stampTemp = `${stampPath}.${process.pid}`;
  writeFileSync(stampTemp, JSON.stringify({ inputs, hash } satisfies BuildStamp));
  renameSync(stampTemp, stampPath);
  return bundles;
}

function bundlesIn(dir: string, built: boolean): JobBundles {
  return {
    entrypoint: join(dir, 'entrypoint.cjs'),
    provers: Object.fromEntries(PROGRAMS.map((program) => [program, join(dir, `${program}.cjs`)])) as Record<
      ProgramName,
      string
    >,
    zkvmProver: join(dir, `${ZKVM_PROVER}.cjs`),
    bin: join(dir, 'bin'),
    built,
  };
}

/** Writes `<name>.cjs` for each program: a script that runs `<name>.bundle.cjs` from its code cache. */
function writeStarters(dir: string): void {
  // Quoted by JSON.stringify, so the architecture test's import scanner does not take the generated
  // line for an import of this file.
  const loader = JSON.stringify(`./${LOADER}.cjs`);
  for (const name of ['entrypoint', ...PROGRAMS, ZKVM_PROVER]) {
    const bundle = JSON.stringify(`${name}${BUNDLE_SUFFIX}.cjs`);
    writeFileSync(
      join(dir, `${name}.cjs`),
      `require(${loader}).runCodeCachedBundle(require("node:path").join(__dirname, ${bundle}));\n`,
    );
  }
}

function readStamp(path: string): BuildStamp | undefined {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as BuildStamp;
  } catch {
    return undefined;
  }
}

/**
 * sha256 over this builder's source (the bundle settings, the starters) and every input's path and
 * content (esbuild names inputs relative to `absWorkingDir`): a change of either rebuilds the bundles.
 */
function hashInputs(repoRoot: string, inputs: readonly string[]): string {
  const hash = createHash('sha256');
  hash.update(readFileSync(fileURLToPath(import.meta.url)));
  hash.update('\0');
  for (const input of inputs) {
    const path = resolve(repoRoot, input);
    hash.update(`${input}\0`);
    hash.update(existsSync(path) ? readFileSync(path) : 'missing');
  }
  return hash.digest('hex');
}
