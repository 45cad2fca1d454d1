import { expect } from 'vitest';
import { parsePipelineConfig } from '../../../lambdas/core/config/parse-pipeline-config.js';
import { committedConfigJson, configIssues, type RawConfig } from '../../support/config-json.js';

/** A mutable copy of the committed devnet config as raw JSON. */
export const devnetJson = (): RawConfig => committedConfigJson('devnet.json');
/** A mutable copy of the committed AWS example config as raw JSON. */
export const awsJson = (): RawConfig => committedConfigJson('aws-example.json');
/** The issue lines `parsePipelineConfig` refuses `raw` with. */
export const issuesOf = (raw: unknown): string[] => configIssues(() => parsePipelineConfig(raw, 'test'));

/** A match collector with the given count fields. */
export function matchCollector(extra: RawConfig): RawConfig {
  return { strategy: 'match', field: 'end', timeoutSeconds: 60, onTimeout: 'fail', ...extra };
}

/** One committed config broken by one change, and the issue line it must be refused with. */
export interface CrossCheckCase {
  readonly check: string;
  readonly base: () => RawConfig;
  readonly change: (raw: RawConfig) => void;
  /** The config path the issue must start with. */
  readonly path: string;
  /** The offending value the issue must name. */
  readonly value: string;
  /** The whole issue line. */
  readonly issue: string;
}

/** Breaks the base with the case's change and expects its issue line, starting with the path and naming the value. */
export function expectRefused({ base, change, path, value, issue }: CrossCheckCase): void {
  // Prepare
  const raw = base();
  change(raw);
  // Act
  const issues = issuesOf(raw);
  // Assess
  expect(issues).toContain(issue);
  expect(issue.startsWith(`${path}: `)).toBe(true);
  expect(issue.slice(path.length)).toContain(value);
}
