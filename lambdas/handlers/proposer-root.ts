import { type ChainClient, withChainActions } from '../chain/chain-client.js';
import { type BaseRuntime, buildBaseRuntime, type RuntimeOverrides } from './base-runtime.js';
import { type ChainRuntime, chainRuntime } from './chain-runtime.js';
import { once } from './memoize.js';
import { type OrchestratorRuntime, orchestratorRuntime } from './orchestrator-runtime.js';
import { type ProposerSignerRuntime, proposerSignerRuntime } from './proposer-signer-runtime.js';

/** What the proposer uses: the orchestrator's ports, L1 and L2 RPC and the signer. */
export type ProposerRuntime = BaseRuntime &
  OrchestratorRuntime &
  ChainRuntime<ChainClient> &
  ProposerSignerRuntime;

/**
 * The proposer's composition root: the only one that builds the signer (KMS or the anvil dev account).
 * @throws ConfigError naming the variable or config field that is missing or invalid.
 */
export function buildProposerRuntime(
  env: NodeJS.ProcessEnv,
  overrides: RuntimeOverrides = {},
): ProposerRuntime {
  const base = buildBaseRuntime(env, overrides);
  return {
    ...base,
    ...orchestratorRuntime(env, base),
    ...chainRuntime(base.config, withChainActions),
    ...proposerSignerRuntime(env, base.config),
  };
}

/** The proposer runtime of this Lambda container, built from `process.env` on the first invocation. */
export const coldStartProposerRuntime: () => ProposerRuntime = once(() => buildProposerRuntime(process.env));
