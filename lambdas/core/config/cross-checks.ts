import type { PipelineConfig } from './schema.js';

/**
 * Runtime checks that need more than one field: topic wiring, cycles, group sizes against the
 * submission interval, endpoints and executors. Returns one line per problem, naming the path. The
 * deployment's checks (instance types, GPU facts, vCPU limits) run in the CDK app's reader.
 */
export function crossCheckPipelineConfig(config: PipelineConfig): string[] {
  return [
    ...checkEndpoints(config),
    ...checkTopics(config),
    ...checkCycles(config),
    ...checkCollectors(config),
    ...checkSubmissionInterval(config),
    ...checkExecutors(config),
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

/** Every topic has exactly one producer (the watcher or one stage) and every consumer reads a produced topic. */
function checkTopics(config: PipelineConfig): string[] {
  const problems: string[] = [];
  const producers = new Map<string, string>([[config.watcher.outputTopic, 'watcher']]);
  const names = new Set<string>();
  config.stages.forEach((stage, i) => {
    if (names.has(stage.name))
      problems.push(`stages[${i}].name: got "${stage.name}", expected a unique stage name`);
    names.add(stage.name);
    const existing = producers.get(stage.outputTopic);
    if (existing !== undefined) {
      problems.push(
        `stages[${i}].outputTopic: got "${stage.outputTopic}", already produced by ${existing}; expected one producer per topic`,
      );
    } else {
      producers.set(stage.outputTopic, `stage "${stage.name}"`);
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
      if (c.groupSize === undefined && c.minSpan === undefined) {
        problems.push(`${path}: got neither groupSize nor minSpan, expected at least one to bound a group`);
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

/** The oracle accepts a proposal only `submissionInterval` blocks past the last: groups must be able to reach it. */
function checkSubmissionInterval(config: PipelineConfig): string[] {
  const problems: string[] = [];
  const interval = config.proposer.submissionInterval;
  config.stages.forEach((stage, i) => {
    const c = stage.collector;
    if (c.strategy !== 'sequential') return;
    if (c.keyKind === 'block' && c.groupSize !== undefined && c.groupSize > interval) {
      problems.push(
        `stages[${i}].collector.groupSize: got ${c.groupSize} blocks per range, expected ≤ proposer.submissionInterval ${interval}`,
      );
    }
    if (stage.outputTopic === config.proposer.inputTopic && (c.minSpan ?? 0) < interval) {
      problems.push(
        `stages[${i}].collector.minSpan: got ${c.minSpan ?? 'nothing'}, expected ≥ proposer.submissionInterval ${interval} (the stage feeds the proposer)`,
      );
    }
  });
  return problems;
}

function checkExecutors(config: PipelineConfig): string[] {
  const problems: string[] = [];
  config.stages.forEach((stage, i) => {
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
  });
  return problems;
}
