import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { Script } from 'node:vm';

/** The V8 code cache of a bundle: beside it, in the bundle folder named by the sources' content hash. */
export function codeCachePath(bundlePath: string): string {
  return `${bundlePath}.v8-cache`;
}

/**
 * Runs a CommonJS bundle as Node's loader would, compiled from the V8 code cache beside it: a job
 * process then skips parsing and compiling the bundle (the AWS SDK, viem), about half of what it
 * spent on start-up before its first line ran. When there is no cache yet, or V8 refuses it (another
 * Node version or other V8 flags), the process writes one when it exits, holding every function the
 * run compiled, for the next job. Parallel jobs write the same cache; each writes a file of its own
 * and renames it into place, so a job never reads a half-written cache.
 */
export function runCodeCachedBundle(bundlePath: string): void {
  const cachePath = codeCachePath(bundlePath);
  const cachedData = readCache(cachePath);
  const script = new Script(
    `(function (exports, require, module, __filename, __dirname) {${readFileSync(bundlePath, 'utf8')}\n})`,
    { filename: bundlePath, cachedData },
  );
  if (cachedData === undefined || script.cachedDataRejected === true) {
    process.once('exit', () => writeCache(cachePath, script.createCachedData()));
  }
  const module = { exports: {} };
  const wrapper = script.runInThisContext() as (...args: unknown[]) => void;
  wrapper.call(
    module.exports,
    module.exports,
    createRequire(bundlePath),
    module,
    bundlePath,
    dirname(bundlePath),
  );
}

function readCache(cachePath: string): Buffer | undefined {
  try {
    return readFileSync(cachePath);
  } catch {
    return undefined; // No cache yet: this run compiles the bundle and writes one.
  }
}

function writeCache(cachePath: string, data: Buffer): void {
  const temp = `${cachePath}.${process.pid}`;
  try {
    writeFileSync(temp, data);
    renameSync(temp, cachePath);
  } catch (error) {
    // The job has done its work; without a cache the next job compiles the bundle again.
    process.stderr.write(`could not write the code cache ${cachePath}: ${(error as Error).message}\n`);
  }
}
