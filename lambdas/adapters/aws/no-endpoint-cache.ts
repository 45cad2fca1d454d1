/**
 * What the Lambda bundles put in place of `@aws-sdk/endpoint-cache` (`LAMBDA_BUNDLE_SETTINGS.alias`):
 * the cache of DynamoDB endpoint discovery, which this pipeline never enables (the SDK's default for
 * DynamoDB; no client sets `endpointDiscoveryEnabled` and no function gets
 * `AWS_ENABLE_ENDPOINT_DISCOVERY`). The SDK still builds one per DynamoDB client and asks it for a
 * discovered endpoint on every request, so it answers "none" and the request goes to the regional
 * endpoint; the real cache (an LRU from `mnemonist`, ~5 kB of a bundle) is not shipped. Should
 * discovery be switched on, storing a discovered endpoint fails naming the cause instead of being
 * silently ignored.
 */
export class EndpointCache {
  /** The SDK passes the cache size; there is nothing to size. */
  constructor(_capacity?: number) {}

  /** No endpoint was ever discovered: the request keeps its regional endpoint. */
  getEndpoint(_key: string): string | undefined {
    return undefined;
  }

  get(_key: string): undefined {
    return undefined;
  }

  has(_key: string): boolean {
    return false;
  }

  /** @throws Error: only endpoint discovery stores endpoints, and it is not bundled. */
  set(key: string, _endpoints: readonly unknown[]): never {
    throw new Error(
      `DynamoDB endpoint discovery is not bundled (lambdas/adapters/aws/no-endpoint-cache.ts); cannot store endpoints for "${key}": leave endpointDiscoveryEnabled unset`,
    );
  }

  delete(_key: string): void {}

  clear(): void {}
}
