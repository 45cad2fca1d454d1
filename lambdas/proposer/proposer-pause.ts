import { honourPause } from '../core/control/honour-pause.js';
import type { ProposerDeps, ProposerRunReport } from './proposer-deps.js';

/**
 * The proposer's pause check, made once per run before the signer lease (in the run's batch read): while
 * `pause/proposer` is set the run sends no transaction at all — no checkpoint, no proposal, and no
 * re-broadcast or fee bump of a transaction an earlier run left open (that too is a send) — and
 * reads nothing from L1. Open `tx/<signer>/<nonce>` records stay as they are; the first run after
 * the resume settles them (a transaction mined meanwhile is recognised then). Proofs and
 * checkpoint requests wait where they are; nothing is lost.
 *
 * @returns the run's report (outcome `paused`, with the switch) when paused, else undefined.
 */
export async function pausedProposerReport(deps: ProposerDeps): Promise<ProposerRunReport | undefined> {
  const paused = await honourPause(deps, { kind: 'proposer' });
  if (paused === undefined) return undefined;
  return {
    outcome: 'paused',
    paused,
    groupsSubmitted: [],
    proposed: [],
    skipped: [],
    waiting: [],
    refused: [],
  };
}
