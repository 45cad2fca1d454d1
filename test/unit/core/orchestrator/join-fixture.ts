import { resolve } from 'node:path';
import { loadPipelineConfig } from '../../../../lambdas/core/config/parse-pipeline-config.js';
import type { PipelineConfig } from '../../../../lambdas/core/config/schema.js';
import { isJoinStage } from '../../../../lambdas/core/config/stage-schema.js';
import type { RangeResult } from '../../../../lambdas/core/executor/range-contract.js';
import { makeEnvelope } from '../../../../lambdas/core/messages/make-envelope.js';
import { rangeResult, type TestDeps } from './orchestrator-fixture.js';

/** The shipped two-prover devnet config, with the join's policy as given. */
export function twoProvers(policy: 'all' | 'first' = 'all'): PipelineConfig {
  const config = loadPipelineConfig(
    resolve(import.meta.dirname, '../../../../config/devnet-two-provers.json'),
  );
  return {
    ...config,
    stages: config.stages.map((s) => (isJoinStage(s) ? { ...s, join: { ...s.join, policy } } : s)),
  };
}

/** A prover's range result for blocks 0–5 on `topic`, its BootInfo changed as given. */
export function joinResult(t: TestDeps, topic: string, change: Partial<RangeResult['bootInfo']> = {}) {
  const document = rangeResult(0n, 5n);
  return makeEnvelope(
    topic,
    '0-5',
    { ...document, bootInfo: { ...document.bootInfo, ...change } },
    t.clock.now(),
  );
}

/** A result the range plug-in refuses (its proof is not hex). */
export function invalidJoinResult(t: TestDeps, topic: string) {
  return makeEnvelope(topic, '0-5', { ...rangeResult(0n, 5n), proof: 'nope' }, t.clock.now());
}

/** What the join stage handed on to the aggregate stage. */
export const forwarded = (t: TestDeps) => t.bus.published.filter((e) => e.topic === 'range-proofs');
