import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadDevnetConfig, parseDevnetConfig } from '../../../devnet/runtime/devnet-config.js';
import { CONFIG_DIR, committedConfigJson, configIssues } from '../../support/config-json.js';

describe('devnet config reader', () => {
  it('reads config/devnet.json: the runtime layer and its local section', () => {
    // Act
    const config = loadDevnetConfig(resolve(CONFIG_DIR, 'devnet.json'));
    // Assess
    expect(config.stages.map((stage) => stage.name)).toEqual(['range', 'aggregate']);
    expect(config.local).toEqual({
      maxParallelJobs: 2,
      l2BlockTimeSeconds: 1,
      l1BlockTimeSeconds: 1,
      sqsVisibilityTimeoutSeconds: 10,
      sqsMaxReceiveCount: 5,
    });
  });

  it('reads config/devnet-reorgs.json: config/devnet.json with the watcher following the L2 safe head', () => {
    // Act
    const reorgs = loadDevnetConfig(resolve(CONFIG_DIR, 'devnet-reorgs.json'));
    const devnet = loadDevnetConfig(resolve(CONFIG_DIR, 'devnet.json'));
    // Assess
    expect(reorgs.chains.l2.finality).toBe('safe');
    expect({
      ...reorgs,
      chains: { ...reorgs.chains, l2: { ...reorgs.chains.l2, finality: 'finalized' } },
    }).toEqual(devnet);
  });

  it('fills in the local defaults when the section is left out, and ignores the deployment layer', () => {
    // Prepare
    const raw = committedConfigJson('aws-example.json');
    raw.aws = { notAnAwsField: true };
    // Act
    const config = parseDevnetConfig(raw, 'aws-example.json');
    // Assess
    expect(config.local.sqsVisibilityTimeoutSeconds).toBe(30);
    expect(config).not.toHaveProperty('aws');
  });

  it('refuses an unknown or invalid local field, naming its path', () => {
    // Prepare
    const raw = committedConfigJson('devnet.json');
    raw.local.maxParalelJobs = 3;
    raw.local.l2BlockTimeSeconds = 0;
    // Act
    const issues = configIssues(() => parseDevnetConfig(raw, 'test'));
    // Assess
    expect(issues).toEqual([
      'local.l2BlockTimeSeconds: an integer ≥ 1 (got 0)',
      expect.stringMatching(/^local: Unrecognized key: "maxParalelJobs" \(got /),
    ]);
  });
});
