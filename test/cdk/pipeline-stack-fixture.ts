import { beforeAll } from 'vitest';
import { type SynthesizedPipeline, type SynthOptions, synthPipeline } from './synth-pipeline.js';

// biome-ignore lint/suspicious/noExplicitAny: synthesized CloudFormation JSON is untyped; the assertions check its shape.
export type Json = any;
export type Resource = {
  Properties: Record<string, Json>;
  DeletionPolicy?: string;
  UpdateReplacePolicy?: string;
};

/** The pipeline stack for config/aws-example.json, synthesized once per file, with lookups into it. */
export interface ExampleStack {
  readonly synth: () => SynthesizedPipeline;
  readonly resources: () => Record<string, Resource>;
  /** The resources of one CloudFormation type, as [logical id, resource] pairs. */
  readonly ofType: (type: string) => Array<[string, Resource]>;
  /** The logical id of the one function at a construct path (`Proposer/Function`). */
  readonly functionId: (path: string) => string;
}

/**
 * Registers a `beforeAll` in the calling file that synthesizes `configPath` (config/aws-example.json,
 * or a variant of it such as `spotExampleConfig()`) with `options`; returns getters for the result
 * (use inside it/test).
 *
 * Without bundling the template differs only in the functions' code `S3Key`s (asset hashes).
 */
export function useExampleStack(options: SynthOptions, configPath = 'config/aws-example.json'): ExampleStack {
  let synthesized: SynthesizedPipeline | undefined;
  let all: Record<string, Resource> | undefined;

  beforeAll(() => {
    synthesized = synthPipeline(configPath, options);
    all = synthesized.template.toJSON().Resources as Record<string, Resource>;
  });

  const synth = () => {
    if (synthesized === undefined) throw new Error('the stack is not synthesized yet (use inside it/test)');
    return synthesized;
  };
  const resources = () => {
    synth();
    return all as Record<string, Resource>;
  };
  const ofType = (type: string) =>
    Object.entries(resources()).filter(([, r]) => (r as unknown as { Type: string }).Type === type) as Array<
      [string, Resource]
    >;
  /** Logical ids start with the construct path without separators (`Proposer/Function` → `ProposerFunctionHandler…`). */
  const functionId = (path: string) => {
    const prefix = `${path.replaceAll('/', '')}Handler`;
    const ids = ofType('AWS::Lambda::Function')
      .map(([id]) => id)
      .filter((id) => id.startsWith(prefix));
    if (ids.length !== 1)
      throw new Error(`expected one function at ${path}, got ${ids.join(', ') || 'none'}`);
    return ids[0] as string;
  };
  return { synth, resources, ofType, functionId };
}
