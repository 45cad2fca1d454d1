import { beforeAll, describe, expect, it } from 'vitest';
import { type SynthesizedPipeline, synthPipeline } from './synth-pipeline.js';

// biome-ignore lint/suspicious/noExplicitAny: synthesized CloudFormation JSON is untyped; the assertions check its shape.
type Json = any;

/** The function (or other) role each IAM policy is attached to, by construct-path prefix of its logical id. */
const ROLE_PREFIXES = {
  watcher: 'WatcherFunctionRole',
  dispatcher: 'OrchestratorDispatcherRole',
  'job-state': 'OrchestratorJobStateRole',
  proposer: 'ProposerFunctionRole',
} as const;

/** Role logical id → the actions its policies allow. */
function actionsByRole(synth: SynthesizedPipeline): Map<string, Set<string>> {
  const byRole = new Map<string, Set<string>>();
  for (const [, policy] of Object.entries(synth.template.findResources('AWS::IAM::Policy')) as Array<
    [string, Json]
  >) {
    const actions = (policy.Properties.PolicyDocument.Statement as Json[]).flatMap((statement) =>
      Array.isArray(statement.Action) ? statement.Action : [statement.Action],
    );
    for (const role of policy.Properties.Roles as Array<{ Ref: string }>) {
      const set = byRole.get(role.Ref) ?? new Set<string>();
      for (const action of actions) set.add(action);
      byRole.set(role.Ref, set);
    }
  }
  return byRole;
}

function functionOf(roleId: string): string {
  const found = Object.entries(ROLE_PREFIXES).find(([, prefix]) => roleId.startsWith(prefix));
  return found?.[0] ?? roleId;
}

describe.each(['config/aws-example.json'])('function grants of %s', (config) => {
  let byRole: Map<string, Set<string>>;

  beforeAll(() => {
    // Prepare
    byRole = actionsByRole(synthPipeline(config));
  });

  it('let exactly the dispatcher, job-state, watcher and proposer roles submit and list Batch jobs', () => {
    // Act
    const submitters = [...byRole].filter(([, actions]) => actions.has('batch:SubmitJob'));
    const listers = [...byRole].filter(([, actions]) => actions.has('batch:ListJobs'));
    // Assess
    expect(submitters.map(([role]) => functionOf(role)).sort()).toEqual([
      'dispatcher',
      'job-state',
      'proposer',
      'watcher',
    ]);
    expect(listers.map(([role]) => functionOf(role)).sort()).toEqual(
      submitters.map(([role]) => functionOf(role)).sort(),
    );
  });

  it('let only the watcher and the job-state function publish on the topic queues', () => {
    const publishers = [...byRole].filter(([, actions]) => actions.has('sqs:SendMessage'));
    expect(publishers.map(([role]) => functionOf(role)).sort()).toEqual(['job-state', 'watcher']);
  });

  it('let no role delete S3 objects, and keep DynamoDB DeleteItem for the functions', () => {
    for (const [role, actions] of byRole) {
      expect(
        [...actions].filter((action) => action.startsWith('s3:Delete')),
        role,
      ).toEqual([]);
    }
    for (const prefix of Object.values(ROLE_PREFIXES)) {
      const role = [...byRole.keys()].find((id) => id.startsWith(prefix));
      expect(role, prefix).toBeDefined();
      const actions = byRole.get(role as string) as Set<string>;
      expect(actions.has('dynamodb:DeleteItem'), prefix).toBe(true);
      expect(actions.has('s3:PutObject'), prefix).toBe(true);
      expect(actions.has('s3:GetObject*'), prefix).toBe(true);
    }
  });
});

describe('result publishing grants', () => {
  it('let the watcher send to every queue the job-state function publishes results on (lost completion events are completed by its sweeps)', () => {
    // Prepare
    const { template } = synthPipeline('config/aws-example.json');
    const sendTargets = (prefix: string): string[] => {
      const targets = new Set<string>();
      for (const policy of Object.values(template.findResources('AWS::IAM::Policy')) as Json[]) {
        const roles = (policy.Properties.Roles as Array<{ Ref: string }>).map((r) => r.Ref);
        if (!roles.some((role) => role.startsWith(prefix))) continue;
        for (const statement of policy.Properties.PolicyDocument.Statement as Json[]) {
          const actions = Array.isArray(statement.Action) ? statement.Action : [statement.Action];
          if (!actions.includes('sqs:SendMessage')) continue;
          const resources = Array.isArray(statement.Resource) ? statement.Resource : [statement.Resource];
          for (const resource of resources) targets.add(JSON.stringify(resource));
        }
      }
      return [...targets];
    };
    // Act
    // The topic queues (the job-state function also sends to its own dead-letter queue).
    const jobState = sendTargets(ROLE_PREFIXES['job-state']).filter((arn) => arn.includes('MessageBus'));
    const watcher = sendTargets(ROLE_PREFIXES.watcher);
    // Assess
    expect(jobState.length).toBeGreaterThan(0);
    for (const target of jobState) expect(watcher, target).toContain(target);
  });
});
