import { GetParameterCommand, type SSMClient } from '@aws-sdk/client-ssm';
import type { PipelineConfig } from '../core/config/schema.js';
import { ConfigError } from '../core/errors.js';
import { rpcUrl } from '../core/schema/primitives.js';

/**
 * The RPC URLs of a chain: listed in the config, or read once from the SSM SecureString parameter
 * named by `rpcUrlsParameter` (decrypted; comma-separated URLs). Proxyd URLs often carry
 * credentials, so they never appear in the template or in logs.
 * @throws ConfigError naming the parameter when it is missing or holds no valid URL.
 */
export async function resolveRpcUrls(
  config: PipelineConfig,
  chain: 'l1' | 'l2',
  ssm: () => Pick<SSMClient, 'send'>,
): Promise<string[]> {
  const endpoints = config.chains[chain];
  if (endpoints.rpcUrls !== undefined) return [...endpoints.rpcUrls];
  const name = endpoints.rpcUrlsParameter;
  if (name === undefined)
    throw new ConfigError('pipeline config', [`chains.${chain}: no rpcUrls and no rpcUrlsParameter`]);
  const result = await ssm().send(new GetParameterCommand({ Name: name, WithDecryption: true }));
  const urls = (result.Parameter?.Value ?? '')
    .split(',')
    .map((url) => url.trim())
    .filter((url) => url !== '');
  const invalid = urls.findIndex((url) => !rpcUrl.safeParse(url).success);
  if (urls.length === 0 || invalid >= 0) {
    throw new ConfigError(`SSM parameter ${name}`, [
      urls.length === 0
        ? `(value): expected comma-separated RPC URLs (got nothing)`
        : `(value)[${invalid}]: expected an http(s):// or ws(s):// URL (value withheld: it may carry credentials)`,
    ]);
  }
  return urls;
}
