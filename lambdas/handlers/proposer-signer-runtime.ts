import { KMSClient } from '@aws-sdk/client-kms';
import type { LocalAccount } from 'viem';
import { createKmsAccount } from '../chain/kms-account.js';
import { createLocalAccount } from '../chain/local-account.js';
import { HANDLER_ENV } from '../core/config/environment-names.js';
import type { PipelineConfig } from '../core/config/schema.js';
import { requireEnv } from './handler-environment.js';
import { memoizeByKey } from './memoize.js';

/** The proposer's signer: only the proposer's bundle carries the KMS client. */
export interface ProposerSignerRuntime {
  /** The proposer's signer: the KMS key (`PROPOSER_KMS_KEY_ID`) or the anvil dev account. */
  proposerAccount(): Promise<LocalAccount>;
}

/** The signer of `config.proposer.signer`, built on first use (retried after a failed KMS read). */
export function proposerSignerRuntime(env: NodeJS.ProcessEnv, config: PipelineConfig): ProposerSignerRuntime {
  const signer = memoizeByKey(async (_key: 'proposer'): Promise<LocalAccount> => {
    const { signer } = config.proposer;
    if (signer.kind === 'anvil-dev') return createLocalAccount(signer.accountIndex);
    return createKmsAccount({ kms: new KMSClient({}), keyId: requireEnv(env, HANDLER_ENV.proposerKmsKeyId) });
  });
  return { proposerAccount: () => signer('proposer') };
}
