import { describe, expect, it } from 'vitest';
import { parsePipelineConfig } from '../../../../lambdas/core/config/parse-pipeline-config.js';
import {
  messageKind,
  settleMessage,
} from '../../../../lambdas/core/orchestrator/messages/message-records.js';
import { proposerGateway } from '../../../../lambdas/core/orchestrator/proposer-gateway.js';
import type { MessageStatus } from '../../../../lambdas/core/status.js';
import { committedConfigJson, configIssues } from '../../../support/config-json.js';
import { devnetConfig, makeDeps, type TestDeps } from './orchestrator-fixture.js';

const DAY_SECONDS = 86_400;

async function pendingMessage(t: TestDeps, topic: string, key: string): Promise<string> {
  const id = `${topic}/${key}`;
  await t.store.create({ id, kind: messageKind(topic), status: 'pending', sortKey: key, data: {} });
  return id;
}

describe('message expiry (DynamoDB TTL)', () => {
  it('gives a proof the proposer settles an expiresAt stateRetentionDays (default 30) after the move', async () => {
    // Prepare
    const t = makeDeps();
    const proposed = await pendingMessage(t, 'aggregate-proofs', '0-10');
    const skipped = await pendingMessage(t, 'aggregate-proofs', '10-20');
    const nowSeconds = t.clock.now().getTime() / 1000;
    // Act
    await proposerGateway(t.deps).settleProof(proposed, 'proposed');
    await proposerGateway(t.deps).settleProof(skipped, 'skipped');
    // Assess
    expect(t.deps.config.storage.stateRetentionDays).toBe(30);
    expect((await t.store.get(proposed))?.expiresAt).toBe(nowSeconds + 30 * DAY_SECONDS);
    expect((await t.store.get(skipped))?.expiresAt).toBe(nowSeconds + 30 * DAY_SECONDS);
  });

  it.each([
    ['proposed', true],
    ['skipped', true],
    ['expired', true],
    // The group reads its members again to retry, bisect or reopen until its blocks are proposed.
    ['collected', false],
    // Goes back to pending when the reproved result arrives.
    ['superseded', false],
  ] as const)('a message moved to %s expires: %s', async (to: MessageStatus, expires: boolean) => {
    // Prepare
    const config = devnetConfig();
    const t = makeDeps({ ...config, storage: { ...config.storage, stateRetentionDays: 20 } });
    const id = await pendingMessage(t, 'blocks', '7');
    // Act
    const status = await settleMessage(t.deps, id, to);
    // Assess
    expect(status).toBe(to);
    const item = await t.store.get(id);
    if (expires) expect(item?.expiresAt).toBe(t.clock.now().getTime() / 1000 + 20 * DAY_SECONDS);
    else expect(item).not.toHaveProperty('expiresAt');
  });
});

describe('storage.stateRetentionDays', () => {
  it('refuses fewer days than SQS may keep a message for redelivery, naming the field', () => {
    // Prepare
    const raw = committedConfigJson('devnet.json');
    raw.storage.stateRetentionDays = 14;
    // Act
    const issues = configIssues(() => parsePipelineConfig(raw, 'test'));
    // Assess
    expect(issues.join('\n')).toMatch(/storage\.stateRetentionDays: .*at least 15/);
  });
});
