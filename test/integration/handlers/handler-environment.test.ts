import { fileURLToPath } from 'node:url';
import { GetPublicKeyCommand, KMSClient } from '@aws-sdk/client-kms';
import { GetParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { secp256k1 } from '@noble/curves/secp256k1';
import { mockClient } from 'aws-sdk-client-mock';
import { hexToBytes } from 'viem';
import { privateKeyToAddress } from 'viem/accounts';
import { describe, expect, it } from 'vitest';
import { createLocalAccount } from '../../../lambdas/chain/local-account.js';
import { parsePipelineConfig } from '../../../lambdas/core/config/parse-pipeline-config.js';
import { ConfigError } from '../../../lambdas/core/errors.js';
import { provingStageNamed } from '../../../lambdas/core/orchestrator/setup/pipeline-stages.js';
import { buildRuntime } from '../../../lambdas/handlers/composition-root.js';
import { readBatchJobTargets } from '../../../lambdas/handlers/handler-environment.js';
import { resolveRpcUrls } from '../../../lambdas/handlers/resolve-rpc-urls.js';
import { testPipelineConfig } from '../../support/aws-stand-ins/test-pipeline-config.js';

const complete = {
  PIPELINE_CONFIG_JSON: JSON.stringify(testPipelineConfig('env-test')),
  STATE_TABLE_NAME: 'env-test-state',
  ARTIFACT_BUCKET_NAME: 'env-test-artifacts',
  TOPIC_QUEUE_URLS: JSON.stringify({ blocks: 'http://127.0.0.1:1/000000000000/env-test-blocks' }),
  BATCH_JOB_TARGETS: JSON.stringify({ range: { jobQueue: 'q', jobDefinition: 'd' } }),
  ROLLUP_CONFIG_HASH: `0x${'AB'.repeat(32)}`,
};

describe('handler environment', () => {
  it('builds the runtime from a complete environment, from JSON or from a config file', () => {
    // Act
    const fromJson = buildRuntime(complete);
    const fromPath = buildRuntime({
      ...complete,
      PIPELINE_CONFIG_JSON: undefined,
      PIPELINE_CONFIG_PATH: fileURLToPath(new URL('../../../config/devnet.json', import.meta.url)),
    });

    // Assess
    expect(fromJson.config.name).toBe('env-test');
    const hash = `0x${'01'.repeat(32)}`;
    const rangeStage = provingStageNamed(fromJson.config, 'range');
    const request = fromJson.orchestrator().programs.range.buildRequest({
      stage: rangeStage,
      groupId: 'range/0-1',
      start: 0n,
      end: 1n,
      members: [{ messageId: 'blocks/1', payload: { number: '1', hash, parentHash: hash } }],
    });
    expect(request).toMatchObject({ rollupConfigHash: `0x${'ab'.repeat(32)}` });
    expect(fromPath.config.name).toBe('devnet');
  });

  it.each([
    [
      'PIPELINE_CONFIG_JSON',
      { PIPELINE_CONFIG_JSON: undefined },
      /PIPELINE_CONFIG_JSON.*PIPELINE_CONFIG_PATH/,
    ],
    [
      'PIPELINE_CONFIG_JSON (invalid)',
      { PIPELINE_CONFIG_JSON: '{"version":2}' },
      /PIPELINE_CONFIG_JSON[\s\S]*version/,
    ],
    ['STATE_TABLE_NAME', { STATE_TABLE_NAME: '' }, /STATE_TABLE_NAME: expected to be set/],
    ['ARTIFACT_BUCKET_NAME', { ARTIFACT_BUCKET_NAME: undefined }, /ARTIFACT_BUCKET_NAME/],
    ['TOPIC_QUEUE_URLS', { TOPIC_QUEUE_URLS: '{blocks:' }, /TOPIC_QUEUE_URLS: expected JSON/],
    ['TOPIC_QUEUE_URLS (shape)', { TOPIC_QUEUE_URLS: '{"blocks":"nope"}' }, /TOPIC_QUEUE_URLS\.blocks/],
    [
      'BATCH_JOB_TARGETS',
      { BATCH_JOB_TARGETS: '{"range":{"jobQueue":"q"}}' },
      /BATCH_JOB_TARGETS\.range\.jobDefinition/,
    ],
    [
      'ROLLUP_CONFIG_HASH',
      { ROLLUP_CONFIG_HASH: '0x12' },
      /ROLLUP_CONFIG_HASH: expected a 0x-prefixed 32-byte/,
    ],
  ])('fails naming %s when it is missing or invalid', (_name, change, message) => {
    // Act
    const build = () => buildRuntime({ ...complete, ...change }).orchestrator();

    // Assess
    expect(build).toThrow(ConfigError);
    expect(build).toThrow(message);
  });

  it('reads RPC URLs from the SSM SecureString parameter, decrypted, once', async () => {
    // Prepare
    const client = new SSMClient({});
    const ssm = mockClient(client);
    ssm
      .on(GetParameterCommand)
      .resolves({ Parameter: { Value: 'https://a.example/key1, https://b.example/key2' } });
    const raw = testPipelineConfig('ssm-test');
    raw.chains.l2.rpcUrls = undefined;
    raw.chains.l2.rpcUrlsParameter = '/ssm-test/l2-rpc-urls';
    const config = parsePipelineConfig(raw);

    // Act
    const urls = await resolveRpcUrls(config, 'l2', () => client);

    // Assess
    expect(urls).toEqual(['https://a.example/key1', 'https://b.example/key2']);
    expect(ssm.commandCalls(GetParameterCommand).map((c) => c.args[0].input)).toEqual([
      { Name: '/ssm-test/l2-rpc-urls', WithDecryption: true },
    ]);
  });

  it('refuses an SSM value that is not a URL list without echoing it', async () => {
    // Prepare
    const client = new SSMClient({});
    mockClient(client)
      .on(GetParameterCommand)
      .resolves({ Parameter: { Value: 'secret-token-not-a-url' } });
    const raw = testPipelineConfig('ssm-test');
    raw.chains.l1.rpcUrls = undefined;
    raw.chains.l1.rpcUrlsParameter = '/ssm-test/l1-rpc-urls';

    // Act
    const resolving = resolveRpcUrls(parsePipelineConfig(raw), 'l1', () => client);

    // Assess
    await expect(resolving).rejects.toThrow(/SSM parameter \/ssm-test\/l1-rpc-urls/);
    await expect(resolving).rejects.not.toThrow(/secret-token/);
  });

  it('signs with the KMS key named by PROPOSER_KMS_KEY_ID when the signer kind is kms', async () => {
    // Prepare
    const privateKey = `0x${'42'.repeat(32)}` as const;
    const spkiPrefix = hexToBytes('0x3056301006072a8648ce3d020106052b8104000a034200');
    const spki = new Uint8Array([...spkiPrefix, ...secp256k1.getPublicKey(hexToBytes(privateKey), false)]);
    const kms = mockClient(KMSClient);
    kms.on(GetPublicKeyCommand).resolves({ PublicKey: spki, KeySpec: 'ECC_SECG_P256K1' });
    const raw = testPipelineConfig('kms-test');
    raw.proposer.signer = { kind: 'kms' };

    try {
      // Act
      const missingKey = buildRuntime({
        ...complete,
        PIPELINE_CONFIG_JSON: JSON.stringify(raw),
      }).proposerAccount();
      const account = await buildRuntime({
        ...complete,
        PIPELINE_CONFIG_JSON: JSON.stringify(raw),
        PROPOSER_KMS_KEY_ID: 'alias/proposer',
      }).proposerAccount();

      // Assess
      await expect(missingKey).rejects.toThrow(/PROPOSER_KMS_KEY_ID/);
      expect(account.address).toBe(privateKeyToAddress(privateKey));
      expect(kms.commandCalls(GetPublicKeyCommand).map((c) => c.args[0].input)).toEqual([
        { KeyId: 'alias/proposer' },
      ]);
    } finally {
      kms.restore();
    }
  });

  it('signs with the anvil dev account when the signer kind is anvil-dev', async () => {
    // Act
    const account = await buildRuntime(complete).proposerAccount();

    // Assess
    expect(account.address).toBe(createLocalAccount(1).address);
  });

  it('reads the on-demand-only job queue of a stage from BATCH_JOB_TARGETS', () => {
    // Prepare
    const target = { jobQueue: 'q', jobDefinition: 'd', onDemandJobQueue: 'q-on-demand' };
    // Act
    const targets = readBatchJobTargets({ BATCH_JOB_TARGETS: JSON.stringify({ range: target }) });
    // Assess
    expect(targets).toEqual({ range: target });
  });
});
