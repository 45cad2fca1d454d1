import { checkAdaptiveSizes } from './adaptive-size-checks.js';
import { checkJoinStages } from './join-checks.js';
import { checkProposerFeed } from './proposer-feed-checks.js';
import { checkProposerL1Timing } from './proposer-timing-checks.js';
import type { PipelineConfig } from './schema.js';
import { isProvingStage } from './stage-schema.js';
import { describeProducer, emittedKeyKind, topicProducers } from './topic-producers.js';

/**
 * Runtime checks that need more than one field: topic wiring, cycles, key kinds, group sizes against
 * the submission interval, the stage feeding the proposer, the proposer's L1 checkpoint and lease,
 * endpoints and executors; among them every wiring found that could never make a proposal the
 * oracle accepts. Returns one line per problem, naming the path, the value and what would work. The deployment's checks (instance types,
 * GPU facts, vCPU limits) run in the CDK app's reader.
 */
export function crossCheckPipelineConfig(config: PipelineConfig): string[] {
  return [
    ...checkEndpoints(config),
    ...checkTopics(config),
    ...checkCycles(config),
    ...checkCollectors(config),
    ...checkStageInputs(config),
    ...checkProposerFeed(config),
    ...checkProposerL1Timing(config),
    ...checkExecutors(config),
    ...checkJoinStages(config),
    ...checkAdaptiveSizes(config),
  ];
}

function checkEndpoints(config: PipelineConfig): string[] {
  const problems: string[] = [];
  for (const chain of ['l1', 'l2'] as const) {
    const { rpcUrls, rpcUrlsParameter } = config.chains[chain];
    if ((rpcUrls === undefined) === (rpcUrlsParameter === undefined)) {
      problems.push(
        `chains.${chain}: got ${rpcUrls === undefined ? 'neither' : 'both'} of rpcUrls and rpcUrlsParameter, expected exactly one`,
      );
    }
  }
  if (config.chains.l1.chainId === config.chains.l2.chainId) {
    problems.push(
      `chains.l2.chainId: got ${config.chains.l2.chainId}, expected a chain id different from L1's`,
    );
  }
  return problems;
}

/**
 * Every topic has exactly one producer (the watcher or one stage), every consumer reads a produced
 * topic, and a stage reads each of its topics once.
 */
function checkTopics(config: PipelineConfig): string[] {
  const problems: string[] = [];
  const producers = topicProducers(config);
  const names = new Set<string>();
  config.stages.forEach((stage, i) => {
    if (names.has(stage.name))
      problems.push(`stages[${i}].name: got "${stage.name}", expected a unique stage name`);
    names.add(stage.name);
    const first = producers.get(stage.outputTopic);
    if (first !== undefined && !(first.kind === 'stage' && first.index === i)) {
      problems.push(
        `stages[${i}].outputTopic: got "${stage.outputTopic}", already produced by ${describeProducer(first)}; expected one producer per topic`,
      );
    }
  });
  const known = [...producers.keys()].join(', ');
  config.stages.forEach((stage, i) => {
    stage.inputTopics.forEach((topic, j) => {
      if (!producers.has(topic)) {
        problems.push(
          `stages[${i}].inputTopics[${j}]: got unknown topic "${topic}", expected one of: ${known}`,
        );
      }
      const earlier = stage.inputTopics.indexOf(topic);
      if (earlier < j) {
        problems.push(
          `stages[${i}].inputTopics[${j}]: got "${topic}" again (also inputTopics[${earlier}]), expected each topic once: the collector reads the topic's inbox once per listing, so each message would count twice and match itself`,
        );
      }
    });
  });
  if (!producers.has(config.proposer.inputTopic)) {
    problems.push(
      `proposer.inputTopic: got unknown topic "${config.proposer.inputTopic}", expected one of: ${known}`,
    );
  }
  return problems;
}

function checkCycles(config: PipelineConfig): string[] {
  const consumersOf = new Map<string, PipelineConfig['stages']>();
  for (const stage of config.stages) {
    for (const topic of stage.inputTopics) consumersOf.set(topic, [...(consumersOf.get(topic) ?? []), stage]);
  }
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (stageName: string, outputTopic: string, trail: string[]): string | undefined => {
    if (state.get(stageName) === 'done') return undefined;
    // Name only the cycle itself, not the stages leading into it.
    if (state.get(stageName) === 'visiting')
      return [...trail.slice(trail.indexOf(stageName)), stageName].join(' → ');
    state.set(stageName, 'visiting');
    for (const next of consumersOf.get(outputTopic) ?? []) {
      const cycle = visit(next.name, next.outputTopic, [...trail, stageName]);
      if (cycle !== undefined) return cycle;
    }
    state.set(stageName, 'done');
    return undefined;
  };
  for (const stage of config.stages) {
    const cycle = visit(stage.name, stage.outputTopic, []);
    if (cycle !== undefined)
      return [`stages: got a cycle ${cycle}, expected stages to form a DAG from the watcher`];
  }
  return [];
}

function checkCollectors(config: PipelineConfig): string[] {
  const problems: string[] = [];
  config.stages.forEach((stage, i) => {
    const c = stage.collector;
    const path = `stages[${i}].collector`;
    if (c.strategy === 'sequential') {
      if (c.groupSize === undefined && c.minSpan === undefined && c.adaptiveSize === undefined) {
        problems.push(
          `${path}: got neither groupSize, minSpan nor adaptiveSize, expected at least one to bound a group`,
        );
      }
      if (
        c.keyKind === 'block' &&
        c.minSpan !== undefined &&
        c.groupSize !== undefined &&
        c.minSpan > c.groupSize
      ) {
        problems.push(
          `${path}.minSpan: got ${c.minSpan}, expected ≤ groupSize ${c.groupSize} for block keys`,
        );
      }
      if (c.keyKind === 'range' && c.maxGasPerRange !== undefined) {
        problems.push(
          `${path}.maxGasPerRange: got ${c.maxGasPerRange} on stage "${stage.name}" with range keys, expected it only with keyKind "block": a range message carries no gas (bound its group with groupSize or minSpan)`,
        );
      }
      if (stage.inputTopics.length !== 1) {
        problems.push(
          `stages[${i}].inputTopics: got ${stage.inputTopics.length} topics, expected 1 for a sequential collector`,
        );
      }
    } else if ((c.count === undefined) === (c.countField === undefined)) {
      problems.push(
        `${path}: got ${c.count === undefined ? 'neither' : 'both'} of count and countField, expected exactly one`,
      );
    }
  });
  return problems;
}

/**
 * A sequential collector reads the keys its input topic's producer emits (`block` from the watcher,
 * `range` from a stage), and an aggregate stage reads range proofs, not the watcher's blocks.
 */
function checkStageInputs(config: PipelineConfig): string[] {
  const problems: string[] = [];
  const producers = topicProducers(config);
  config.stages.forEach((stage, i) => {
    const c = stage.collector;
    stage.inputTopics.forEach((topic, j) => {
      const producer = producers.get(topic);
      if (producer === undefined) return;
      const emitted = emittedKeyKind(producer);
      if (c.strategy === 'sequential' && c.keyKind !== emitted) {
        problems.push(
          `stages[${i}].collector.keyKind: got "${c.keyKind}", expected "${emitted}": input topic "${topic}" is produced by ${describeProducer(producer)}, which emits ${emitted === 'block' ? 'block keys n' : 'range keys start-end'}`,
        );
      }
      if (isProvingStage(stage) && stage.executor.program === 'aggregate' && producer.kind === 'watcher') {
        problems.push(
          `stages[${i}].inputTopics[${j}]: got "${topic}", the watcher's blocks, for program "aggregate"; expected the outputTopic of a range stage: an aggregate job aggregates range proofs`,
        );
      }
    });
  });
  return problems;
}

function checkExecutors(config: PipelineConfig): string[] {
  const problems: string[] = [];
  config.stages.forEach((stage, i) => {
    if (!isProvingStage(stage)) return;
    const e = stage.executor;
    const path = `stages[${i}].executor`;
    if (e.backend === 'binary' && e.command === undefined) {
      problems.push(`${path}.command: got nothing, expected the prover command for backend "binary"`);
    }
    if (e.backend === 'sp1' && e.resources.gpus < 1) {
      problems.push(`${path}.resources.gpus: got ${e.resources.gpus}, expected ≥ 1 for backend "sp1"`);
    }
    if (e.l1Checkpoint && e.program !== 'aggregate') {
      problems.push(
        `${path}.l1Checkpoint: got true for program "${e.program}", expected it only on aggregate stages`,
      );
    }
    if (e.l1HeadDepth !== undefined && e.program !== 'range') {
      problems.push(
        `${path}.l1HeadDepth: got ${e.l1HeadDepth} for program "${e.program}", expected it only on range stages`,
      );
    }
    if (!e.l1Checkpoint && e.program === 'aggregate') {
      problems.push(
        `${path}.l1Checkpoint: got false for program "aggregate", expected true: an aggregate job cannot start without an L1 checkpoint, and the proposer grants one only to stages with l1Checkpoint`,
      );
    }
  });
  return problems;
}
