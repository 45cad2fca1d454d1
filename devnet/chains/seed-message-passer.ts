import { createTestClient, http, publicActions } from 'viem';
import { l2ToL1MessagePasserDeployedBytecode } from '../../lambdas/chain/abi/L2ToL1MessagePasser.generated.js';
import { messagePasserAddress } from '../../lambdas/chain/l2-state/message-passer.js';
import { DevChainError } from './errors.js';

/**
 * Puts the project's `L2ToL1MessagePasser` runtime code at the predeploy address
 * `0x4200000000000000000000000000000000000016` of an anvil L2 (`anvil_setCode`), and checks it landed.
 * The code shows in the state of the next mined block.
 */
export async function seedMessagePasser(l2RpcUrl: string): Promise<void> {
  const client = createTestClient({ mode: 'anvil', transport: http(l2RpcUrl) }).extend(publicActions);
  await client.setCode({ address: messagePasserAddress, bytecode: l2ToL1MessagePasserDeployedBytecode });
  const code = await client.getCode({ address: messagePasserAddress });
  if (code?.toLowerCase() !== l2ToL1MessagePasserDeployedBytecode.toLowerCase()) {
    throw new DevChainError(`seeding the message passer on ${l2RpcUrl} failed`, {
      details: `eth_getCode(${messagePasserAddress}) returned ${code === undefined ? 'no code' : `${code.length} hex chars`}`,
    });
  }
}
