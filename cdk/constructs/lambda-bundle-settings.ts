import { fileURLToPath } from 'node:url';
import type { BuildOptions } from 'esbuild';

/**
 * The esbuild settings of every Lambda bundle, in one place: `PipelineFunction` hands them to the
 * CDK's `NodejsFunction` (the deployed code) and `scripts/bundle-lambdas.ts` to esbuild itself
 * (`npm run bundle`, `npm run bench:lambdas`, the bundle size tests), so what is measured is what is
 * deployed. Plain data (no aws-cdk-lib import; paths absolute), so the bundler script loads fast.
 */
export const LAMBDA_BUNDLE_SETTINGS = {
  /** Node.js 22, the functions' runtime. */
  target: 'node22',
  format: 'esm',
  minify: true,
  /** A linked source map beside the bundle (`NODE_OPTIONS=--enable-source-maps`). */
  sourceMap: true,
  /** Licence comments are not shipped (they are in the dependencies' packages). */
  legalComments: 'none',
  /** ES modules first: the AWS SDK's and viem's `module` builds tree-shake, their CommonJS builds do not. */
  mainFields: ['module', 'main'],
  /**
   * Nothing external: the pinned AWS SDK v3 clients are bundled instead of the runtime's copy (a
   * different version), so the code runs what it was tested with.
   */
  externalModules: [],
  /**
   * Packages replaced in the bundle. The SDK's default credential chain becomes its first link, the
   * environment, which Lambda always fills with the function role's credentials: the rest of the chain
   * (~110 kB with its nested STS/SSO clients) is never reached on Lambda
   * (`lambdas/adapters/aws/lambda-environment-credentials.ts`).
   */
  alias: {
    '@aws-sdk/credential-provider-node': fileURLToPath(
      new URL('../../lambdas/adapters/aws/lambda-environment-credentials.ts', import.meta.url),
    ),
    /** DynamoDB endpoint discovery's cache, never used: discovery stays off (`no-endpoint-cache.ts`). */
    '@aws-sdk/endpoint-cache': fileURLToPath(
      new URL('../../lambdas/adapters/aws/no-endpoint-cache.ts', import.meta.url),
    ),
  },
  /** CommonJS dependencies that call `require()` need one inside an ESM bundle. */
  banner: "import{createRequire as __cr}from'node:module';const require=__cr(import.meta.url);",
} as const;

/** The esbuild `build` options of one handler bundle with `LAMBDA_BUNDLE_SETTINGS`. */
export function lambdaBuildOptions(entry: string, outfile: string): BuildOptions {
  const settings = LAMBDA_BUNDLE_SETTINGS;
  return {
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform: 'node',
    target: settings.target,
    format: settings.format,
    minify: settings.minify,
    sourcemap: settings.sourceMap ? 'linked' : false,
    legalComments: settings.legalComments,
    mainFields: [...settings.mainFields],
    external: [...settings.externalModules],
    alias: { ...settings.alias },
    banner: { js: settings.banner },
    logLevel: 'warning',
  };
}
