import { type Chain, defineChain } from 'viem';

/**
 * A viem chain description for a local anvil node, for wallet and public clients.
 *
 * @example
 * const client = createPublicClient({ chain: localChain(901, l2.rpcUrl), transport: http(l2.rpcUrl) });
 */
export function localChain(chainId: number, rpcUrl: string): Chain {
  return defineChain({
    id: chainId,
    name: `local-${chainId}`,
    nativeCurrency: { name: 'Ether', symbol: 'ETH', decimals: 18 },
    rpcUrls: { default: { http: [rpcUrl] } },
  });
}
