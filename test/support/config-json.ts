import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { expect } from 'vitest';
import { ConfigError } from '../../lambdas/core/errors.js';

/** The committed pipeline configs (`config/*.json`). */
export const CONFIG_DIR = resolve(import.meta.dirname, '../../config');

/** Raw JSON as read from a file, edited freely by the tests to break one rule at a time. */
// biome-ignore lint/suspicious/noExplicitAny: untyped JSON on purpose: each test writes an invalid shape
export type RawConfig = Record<string, any>;

/** A mutable copy of a committed config (`devnet.json`, `aws-example.json`, …) as raw JSON. */
export function committedConfigJson(file: string): RawConfig {
  return JSON.parse(readFileSync(resolve(CONFIG_DIR, file), 'utf8'));
}

/** The issue lines of the ConfigError `read` throws; fails the test when it throws none. */
export function configIssues(read: () => unknown): string[] {
  try {
    read();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return [...(error as ConfigError).issues];
  }
  throw new Error('expected the config to be refused');
}
