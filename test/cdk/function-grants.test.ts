import { beforeAll, describe, expect, it } from 'vitest';
import { STATE_TABLE_ACTIONS } from '../../cdk/constructs/state-access.js';
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

  it('let exactly the dispatcher, job-state, watcher and proposer roles submit, list and terminate Batch jobs', () => {
    // Act
    const submitters = [...byRole].filter(([, actions]) => actions.has('batch:SubmitJob'));
    const listers = [...byRole].filter(([, actions]) => actions.has('batch:ListJobs'));
    const terminators = [...byRole].filter(([, actions]) => actions.has('batch:TerminateJob'));
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
    expect(terminators.map(([role]) => functionOf(role)).sort()).toEqual(
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
      expect(actions.has('s3:GetObject'), prefix).toBe(true);
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

/** Role logical id → action → the resources granted it (JSON, with bucket object ARNs shortened to their prefix). */
function grantsByRole(synth: SynthesizedPipeline): Map<string, Map<string, Set<string>>> {
  const byRole = new Map<string, Map<string, Set<string>>>();
  for (const policy of Object.values(synth.template.findResources('AWS::IAM::Policy')) as Json[]) {
    for (const statement of policy.Properties.PolicyDocument.Statement as Json[]) {
      const actions: string[] = Array.isArray(statement.Action) ? statement.Action : [statement.Action];
      const resources: Json[] = Array.isArray(statement.Resource) ? statement.Resource : [statement.Resource];
      for (const role of policy.Properties.Roles as Array<{ Ref: string }>) {
        const grants = byRole.get(role.Ref) ?? new Map<string, Set<string>>();
        for (const action of actions) {
          const set = grants.get(action) ?? new Set<string>();
          for (const resource of resources) {
            const text = JSON.stringify(resource);
            const object = /StateArtifactBucket[^"]*","Arn"\]\},"(\/[^"]*)"/.exec(text);
            set.add(object === null ? text : `bucket${object[1]}`);
          }
          grants.set(action, set);
        }
        byRole.set(role.Ref, grants);
      }
    }
  }
  return byRole;
}

describe('least privilege of the function roles', () => {
  let grants: Map<string, Map<string, Set<string>>>;
  const of = (fn: keyof typeof ROLE_PREFIXES) => {
    const role = [...grants.keys()].find((id) => id.startsWith(ROLE_PREFIXES[fn]));
    return grants.get(role as string) as Map<string, Set<string>>;
  };

  beforeAll(() => {
    // Prepare
    grants = grantsByRole(synthPipeline('config/aws-example.json'));
  });

  it.each([
    ['dispatcher', ['bucket/payloads/*'], ['bucket/jobs/*']],
    ['job-state', ['bucket/jobs/*', 'bucket/payloads/*'], ['bucket/jobs/*', 'bucket/payloads/*']],
    ['watcher', ['bucket/jobs/*', 'bucket/payloads/*'], ['bucket/jobs/*', 'bucket/payloads/*']],
    ['proposer', ['bucket/payloads/*'], ['bucket/jobs/*']],
  ] as const)(
    'gives the %s role object read on %j and write on %j of the artifact bucket only',
    (fn, reads, writes) => {
      // Act
      const role = of(fn);
      const s3Actions = [...role.keys()].filter((action) => action.startsWith('s3:')).sort();
      // Assess
      expect(s3Actions).toEqual(['s3:GetObject', 's3:ListBucket', 's3:PutObject']);
      expect([...(role.get('s3:GetObject') ?? [])].sort()).toEqual([...reads]);
      expect([...(role.get('s3:PutObject') ?? [])].sort()).toEqual([...writes]);
      expect([...(role.get('s3:ListBucket') ?? [])]).toEqual([
        expect.stringMatching(/^\{"Fn::GetAtt":\["StateArtifactBucket\w+","Arn"\]\}$/),
      ]);
    },
  );

  it.each(Object.keys(ROLE_PREFIXES) as Array<keyof typeof ROLE_PREFIXES>)(
    'gives the %s role only the state store item calls on the table and its index: no Scan, UpdateItem or streams',
    (fn) => {
      // Act
      const role = of(fn);
      const dynamoActions = [...role.keys()].filter((action) => action.startsWith('dynamodb:')).sort();
      // Assess
      expect(dynamoActions).toEqual([...STATE_TABLE_ACTIONS].sort());
      for (const action of STATE_TABLE_ACTIONS) {
        const resources = [...(role.get(action) ?? [])];
        expect(resources, action).toHaveLength(2);
        expect(
          resources.some((r) => r.includes('/index/byKindStatus')),
          action,
        ).toBe(true);
        expect(
          resources.some((r) => r.includes('*')),
          action,
        ).toBe(false);
      }
    },
  );
});
