import { describe, expect, it } from 'vitest';
import { parseDeploymentLayer } from '../../cdk/deploy/deployment-config.js';
import {
  DEFAULT_SP1_INSTANCE_TYPES,
  GPU_INSTANCE_FACTS,
  jobFitRefusal,
} from '../../cdk/deploy/gpu-instances.js';
import { parsePipelineConfig } from '../../lambdas/core/config/parse-pipeline-config.js';
import { committedConfigJson, type RawConfig } from '../support/config-json.js';

const awsJson = (): RawConfig => committedConfigJson('aws-example.json');

/** The deployment reader's problems for a config file's JSON (its runtime layer must be valid). */
function deploymentIssues(raw: RawConfig): string[] {
  return parseDeploymentLayer(raw, parsePipelineConfig(raw, 'test')).problems;
}

interface DeploymentCheckCase {
  readonly check: string;
  readonly change: (raw: RawConfig) => void;
  /** The config path the issue must start with. */
  readonly path: string;
  /** The offending value the issue must name. */
  readonly value: string;
  /** The whole issue line (a pattern when it quotes a long value). */
  readonly issue: string | RegExp;
}

const DEPLOYMENT_CHECKS: DeploymentCheckCase[] = [
  {
    check: 'sp1 on p4d (A100, compute capability 8.0)',
    change: (raw) => {
      raw.stages[0].executor.instanceTypes = ['g6.4xlarge', 'p4d.24xlarge'];
    },
    path: 'stages[0].executor.instanceTypes[1]',
    value: '"p4d.24xlarge"',
    issue:
      'stages[0].executor.instanceTypes[1]: got "p4d.24xlarge": A100 has compute capability 8, SP1 needs ≥ 8.6',
  },
  {
    check: 'sp1 on g6.xlarge (16 GiB host RAM)',
    change: (raw) => {
      raw.stages[0].executor.instanceTypes = ['g6.xlarge'];
    },
    path: 'stages[0].executor.instanceTypes[0]',
    value: '"g6.xlarge"',
    issue:
      'stages[0].executor.instanceTypes[0]: got "g6.xlarge": g6.xlarge has 16 GiB host RAM, SP1 needs about 64 GiB',
  },
  {
    check: 'sp1 on an unknown instance type',
    change: (raw) => {
      raw.stages[0].executor.instanceTypes = ['p4d'];
    },
    path: 'stages[0].executor.instanceTypes[0]',
    value: '"p4d"',
    issue: `stages[0].executor.instanceTypes[0]: got "p4d": unknown GPU instance type; known: ${Object.keys(GPU_INSTANCE_FACTS).join(', ')}`,
  },
  {
    check: 'a 16-vCPU job on g6e.2xlarge (8 vCPUs)',
    change: (raw) => {
      raw.stages[0].executor.instanceTypes = ['g6.4xlarge', 'g6e.2xlarge'];
    },
    path: 'stages[0].executor.instanceTypes[1]',
    value: '"g6e.2xlarge"',
    issue:
      'stages[0].executor.instanceTypes[1]: got "g6e.2xlarge" for 16 vCPUs / 58982 MiB / 1 GPU, expected a type the job fits: g6e.2xlarge (8 vCPUs, 1 GPU, 64 GiB) cannot run the job: 16 vCPUs > 8',
  },
  {
    check: 'more memory than the host RAM less max(2 GiB, 10 %) for the OS',
    change: (raw) => {
      raw.stages[1].executor.resources.memoryMiB = 60_000;
    },
    path: 'stages[1].executor.instanceTypes[0]',
    value: '"g6.4xlarge"',
    issue:
      'stages[1].executor.instanceTypes[0]: got "g6.4xlarge" for 16 vCPUs / 60000 MiB / 1 GPU, expected a type the job fits: g6.4xlarge (16 vCPUs, 1 GPU, 64 GiB) cannot run the job: 60000 MiB > 58982 MiB (64 GiB less 6554 MiB for the OS and ECS agent)',
  },
  {
    check: 'two GPUs on a one-GPU type',
    change: (raw) => {
      raw.stages[0].executor.resources.gpus = 2;
      raw.stages[0].executor.instanceTypes = ['g5.4xlarge'];
    },
    path: 'stages[0].executor.instanceTypes[0]',
    value: '"g5.4xlarge"',
    issue:
      'stages[0].executor.instanceTypes[0]: got "g5.4xlarge" for 16 vCPUs / 58982 MiB / 2 GPUs, expected a type the job fits: g5.4xlarge (16 vCPUs, 1 GPU, 64 GiB) cannot run the job: 2 GPUs > 1',
  },
  {
    check: 'a GPU job too big for the default instance types',
    change: (raw) => {
      delete raw.stages[0].executor.instanceTypes;
      raw.stages[0].executor.resources.vcpus = 32;
    },
    path: 'stages[0].executor.resources',
    value: '32 vCPUs',
    issue:
      'stages[0].executor.resources: got 32 vCPUs / 58982 MiB / 1 GPU, expected a job every default instance type can run: g6.4xlarge (16 vCPUs, 1 GPU, 64 GiB) cannot run the job: 32 vCPUs > 16; list instanceTypes that fit',
  },
  {
    check: 'vcpus above aws.maxVcpus',
    change: (raw) => {
      raw.stages[0].executor.resources.vcpus = 2048;
    },
    path: 'stages[0].executor.resources.vcpus',
    value: '2048',
    issue:
      'stages[0].executor.resources.vcpus: got 2048, expected ≤ 1920, the share of each of the 2 compute environments in aws.maxVcpus 3840 (the total across them)',
  },
  {
    check: 'vcpus above the share of one compute environment in aws.maxVcpus',
    change: (raw) => {
      raw.aws.maxVcpus = 24;
    },
    path: 'stages[0].executor.resources.vcpus',
    value: '16',
    issue:
      'stages[0].executor.resources.vcpus: got 16, expected ≤ 12, the share of each of the 2 compute environments in aws.maxVcpus 24 (the total across them)',
  },
  {
    check: 'a hedge on Spot without the on-demand fallback (no on-demand capacity for it)',
    change: (raw) => {
      raw.stages[0].executor.hedge = { afterP90Multiple: 1, maxShare: 0.15 };
      raw.aws.spot = true;
      raw.aws.onDemandFallback = false;
    },
    path: 'stages[0].executor.hedge',
    value: 'aws.onDemandFallback false',
    issue:
      'stages[0].executor.hedge: got a hedge on queue "on-demand" with aws.spot true and aws.onDemandFallback false, expected an on-demand environment for it: set aws.onDemandFallback true (the stack then builds the stage\'s on-demand-only queue) or drop the hedge',
  },
  {
    check: 'an unknown field in the aws section (schema)',
    change: (raw) => {
      raw.aws.maxVcpu = 8;
    },
    path: 'aws',
    value: '"maxVcpu"',
    issue: /^aws: Unrecognized key: "maxVcpu" \(got \{"maxVcpus":3840,/,
  },
  {
    check: 'a monitoring threshold that is not positive (schema)',
    change: (raw) => {
      raw.monitoring.proposerMinBalanceEth = 0;
    },
    path: 'monitoring.proposerMinBalanceEth',
    value: '0',
    issue: 'monitoring.proposerMinBalanceEth: Too small: expected number to be >0 (got 0)',
  },
];

describe('deployment reader checks', () => {
  it.each(DEPLOYMENT_CHECKS)(
    'refuses $check, naming the path and the value',
    ({ change, issue, path, value }) => {
      // Prepare
      const raw = awsJson();
      change(raw);
      // Act
      const issues = deploymentIssues(raw);
      // Assess
      expect(issues).toContainEqual(typeof issue === 'string' ? issue : expect.stringMatching(issue));
      const line = issues.find((candidate) => candidate.startsWith(`${path}: `));
      expect(line?.slice(path.length)).toContain(value);
    },
  );

  it('leaves GPU facts to the deployment reader: the runtime reader accepts an SP1 stage on p4d', () => {
    // Prepare
    const raw = awsJson();
    raw.stages[0].executor.instanceTypes = ['p4d.24xlarge'];
    // Act + Assess
    expect(() => parsePipelineConfig(raw, 'test')).not.toThrow();
    expect(deploymentIssues(raw)).toHaveLength(1);
  });

  it('accepts the committed AWS config: every GPU job fits each of its instance types', () => {
    expect(deploymentIssues(awsJson())).toEqual([]);
  });

  it.each([
    { spot: false, onDemandFallback: false, runsOn: 'the only queue, all on-demand' },
    { spot: true, onDemandFallback: true, runsOn: 'the on-demand-only queue' },
  ])('accepts a hedge with spot $spot and onDemandFallback $onDemandFallback ($runsOn)', (aws) => {
    // Prepare
    const raw = awsJson();
    raw.stages[0].executor.hedge = { afterP90Multiple: 1, maxShare: 0.15 };
    raw.aws.spot = aws.spot;
    raw.aws.onDemandFallback = aws.onDemandFallback;
    // Act
    const issues = deploymentIssues(raw);
    // Assess
    expect(issues).toEqual([]);
  });

  it('ships SP1 default instance types that fit the 16 vCPU / 58982 MiB / 1 GPU example jobs', () => {
    for (const type of DEFAULT_SP1_INSTANCE_TYPES) {
      expect(jobFitRefusal(type, { vcpus: 16, memoryMiB: 58_982, gpus: 1 })).toBeUndefined();
    }
    expect(jobFitRefusal('g6e.2xlarge', { vcpus: 16, memoryMiB: 58_982, gpus: 1 })).toContain('16 vCPUs > 8');
  });
});
