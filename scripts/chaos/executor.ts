import { keyInterval } from '../../lambdas/core/messages/ids.js';
import type { JobCompletion } from '../../lambdas/core/orchestrator/group/job-completion.js';
import type { JobSpec } from '../../lambdas/core/ports/job-runner.js';
import { giveBranchRoots } from './branch-roots.js';
import type { Prng } from './prng.js';
import type { World } from './world.js';

/** What the simulated executor does with one job. */
export type JobFate =
  | 'success'
  | 'prover-crash'
  | 'infrastructure'
  | 'garbage-output'
  | 'partial-output'
  | 'lost-event'
  | 'hang'
  | 'duplicate-event';

/** Faults counting toward a group's attempts (each one a failure the policy sees as the prover's). */
const PROVER_CLASS: ReadonlySet<JobFate> = new Set([
  'prover-crash',
  'garbage-output',
  'partial-output',
  'hang',
]);

export interface ExecutorOptions {
  /** Chance that a job's run is faulty at all. */
  readonly faultRate: number;
  /** Prover-class faults allowed per group id (top-level range groups get one more, to bisect sometimes). */
  readonly proverFaultsPerGroup: number;
  /** Infrastructure faults allowed per group id (well under the abandon limit). */
  readonly infraFaultsPerGroup: number;
}

/**
 * The executor's part: runs the jobs the orchestrator submitted, each once, and queues the
 * job-state events it would send. Faults are bounded per group id so the pipeline can finish.
 */
export class SimulatedExecutor {
  private readonly done = new Set<string>();
  private readonly proverFaults = new Map<string, number>();
  private readonly infraFaults = new Map<string, number>();
  /** Job-state events not yet handled (reordered by the caller; a crashed handler puts its event back). */
  readonly events: JobCompletion[] = [];
  readonly faults: Partial<Record<JobFate, number>> = {};

  constructor(
    private readonly world: World,
    private readonly rng: Prng,
    private readonly options: ExecutorOptions,
  ) {}

  /** Jobs submitted and not yet run. */
  unfinished(): JobSpec[] {
    return this.world.jobs.inner.submitted.filter((spec) => !this.done.has(spec.name));
  }

  /** Runs one job to its end and queues its event (unless the event is lost or the job hangs). */
  async run(spec: JobSpec, faultless: boolean): Promise<void> {
    this.done.add(spec.name);
    const fate = faultless ? 'success' : await this.fateOf(spec);
    if (fate !== 'success') this.faults[fate] = (this.faults[fate] ?? 0) + 1;
    if (PROVER_CLASS.has(fate)) this.proverFaults.set(spec.groupId, this.proverFaultsOf(spec.groupId) + 1);
    if (fate === 'infrastructure') this.infraFaults.set(spec.groupId, this.infraFaultsOf(spec.groupId) + 1);
    const runner = this.world.jobs.inner;
    const event = (status: JobCompletion['status'], extra: Partial<JobCompletion> = {}): JobCompletion => ({
      stage: spec.stage,
      groupId: spec.groupId,
      attempt: spec.attempt,
      jobName: spec.name,
      status,
      ...extra,
    });
    switch (fate) {
      case 'success':
      case 'lost-event':
      case 'duplicate-event':
        await this.writeValidResult(spec);
        runner.setState(spec.name, { state: 'succeeded' });
        if (fate !== 'lost-event') this.events.push(event('SUCCEEDED'));
        if (fate === 'duplicate-event') this.events.push(event('SUCCEEDED'));
        return;
      case 'prover-crash':
        runner.setState(spec.name, { state: 'failed', reason: 'exit code 1', failureClass: 'prover' });
        this.events.push(event('FAILED', { reason: 'exit code 1', failureClass: 'prover' }));
        return;
      case 'infrastructure':
        runner.setState(spec.name, {
          state: 'failed',
          reason: 'CannotPullContainerError',
          failureClass: 'infrastructure',
        });
        this.events.push(
          event('FAILED', { reason: 'CannotPullContainerError', failureClass: 'infrastructure' }),
        );
        return;
      case 'garbage-output':
        await this.world.blobs.putJson(spec.outputKey, {});
        runner.setState(spec.name, { state: 'succeeded' });
        this.events.push(event('SUCCEEDED'));
        return;
      case 'partial-output':
        await this.writePartialResult(spec);
        runner.setState(spec.name, { state: 'succeeded' });
        this.events.push(event('SUCCEEDED'));
        return;
      case 'hang':
        // Killed at its timeout; the event never comes, the sweep must find it.
        runner.setState(spec.name, { state: 'failed', reason: 'Job attempt duration exceeded timeout' });
        return;
    }
  }

  private async fateOf(spec: JobSpec): Promise<JobFate> {
    if (!this.rng.chance(this.options.faultRate)) return 'success';
    // One more for a splittable top-level range group: exhausting its attempts bisects it.
    const { start, end } = keyInterval(spec.groupId.slice(spec.groupId.indexOf('/') + 1), 'range');
    const bisectable = spec.stage === 'range' && end - start > 1n && !(await this.isChild(spec.groupId));
    const proverBudget = this.options.proverFaultsPerGroup + (bisectable ? 1 : 0);
    const proverOk = this.proverFaultsOf(spec.groupId) < proverBudget;
    const infraOk = this.infraFaultsOf(spec.groupId) < this.options.infraFaultsPerGroup;
    return this.rng.weighted<JobFate>({
      success: 0,
      'prover-crash': proverOk ? 3 : 0,
      infrastructure: infraOk ? 3 : 0,
      'garbage-output': proverOk ? 2 : 0,
      'partial-output': proverOk ? 2 : 0,
      'lost-event': 3,
      hang: proverOk ? 2 : 0,
      'duplicate-event': 2,
    });
  }

  private async isChild(groupId: string): Promise<boolean> {
    return (await this.world.store.get(groupId))?.data.parentGroupId !== undefined;
  }

  /** Prover-class faults injected on the jobs of a group so far. */
  proverFaultsOf(groupId: string): number {
    return this.proverFaults.get(groupId) ?? 0;
  }

  private infraFaultsOf(groupId: string): number {
    return this.infraFaults.get(groupId) ?? 0;
  }

  private async writeValidResult(spec: JobSpec): Promise<void> {
    await this.world.prover.submit(spec);
    await this.world.prover.settled();
    await giveBranchRoots(this.world.blobs, spec);
  }

  /** A schema-valid result covering only the first part of the group (or `{}` for a one-block group). */
  private async writePartialResult(spec: JobSpec): Promise<void> {
    await this.writeValidResult(spec);
    const result = (await this.world.blobs.getJson(spec.outputKey)) as { start: string; end: string };
    const start = BigInt(result.start);
    const span = BigInt(result.end) - start;
    const partial = span > 1n ? { ...result, end: (start + span / 2n).toString() } : {};
    await this.world.blobs.putJson(spec.outputKey, partial);
  }
}
