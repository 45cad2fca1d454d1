import { type ChainClient, withChainActions } from '../chain/chain-client.js';
import { type BaseRuntime, buildBaseRuntime, type RuntimeOverrides } from './base-runtime.js';
import { type ChainRuntime, chainRuntime } from './chain-runtime.js';
import { once } from './memoize.js';
import { noMessageBus } from './no-message-bus.js';
import {
  type OrchestratorParts,
  type OrchestratorRuntime,
  orchestratorRuntime,
} from './orchestrator-runtime.js';
import { type ProposerSignerRuntime, proposerSignerRuntime } from './proposer-signer-runtime.js';

/** What the proposer uses: the orchestrator's ports, L1 and L2 RPC and the signer. */
export type ProposerRuntime = BaseRuntime &
  OrchestratorRuntime &
  ChainRuntime<ChainClient> &
  ProposerSignerRuntime;

/**
 * The proposer's composition root: the only one that builds the signer (KMS or the anvil dev account).
 * The proposer publishes no message, so its bus is `noMessageBus` (no SQS client in its bundle)
 * unless `parts.bus` gives one (`buildRuntime`, which drives every handler from this runtime).
 * @throws ConfigError naming the variable or config field that is missing or invalid.
 */
export function buildProposerRuntime(
  env: NodeJS.ProcessEnv,
  overrides: RuntimeOverrides = {},
  parts: Partial<Pick<OrchestratorParts, 'bus'>> = {},
): ProposerRuntime {
  const base = buildBaseRuntime(env, overrides);
  return {
    ...base,
    ...orchestratorRuntime(env, base, { bus: parts.bus ?? (() => noMessageBus('proposer')) }),
    ...chainRuntime(base.config, withChainActions),
    ...proposerSignerRuntime(env, base.config),
  };
}

/** The proposer runtime of this Lambda container, built from `process.env` on the first invocation. */
export const coldStartProposerRuntime: () => ProposerRuntime = once(() => buildProposerRuntime(process.env));
