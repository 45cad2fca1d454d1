import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { specifiersOf } from '../architecture/module-specifiers.js';

const ROOT = resolve(import.meta.dirname, '../../..');
const CORE = resolve(ROOT, 'lambdas/core');

/** Module specifiers the core must not load (house rule 1: the core talks to ports, adapters hold the SDKs). */
const FORBIDDEN = /^(viem(\/.*)?|@aws-sdk\/.+)$/;

function forbiddenImports(source: string): string[] {
  return specifiersOf(source).filter((specifier) => FORBIDDEN.test(specifier));
}

describe('house rule 1: lambdas/core imports neither viem nor the AWS SDK', () => {
  it('finds every form of import it must refuse (the scanner works)', () => {
    const source = [
      "import { createPublicClient } from 'viem';",
      "import type { Hex } from 'viem/utils';",
      'import {\n  DynamoDBClient,\n} from "@aws-sdk/client-dynamodb";',
      "export { SQSClient } from '@aws-sdk/client-sqs';",
      "import '@aws-sdk/client-s3';",
      "const kms = await import('@aws-sdk/client-kms');",
      "const v = require('viem');",
      "import { z } from 'zod';",
      "import { sha256 } from '@noble/hashes/sha2';",
      "import { viemLike } from './viem-like.js';",
    ].join('\n');
    expect(forbiddenImports(source)).toEqual([
      'viem',
      'viem/utils',
      '@aws-sdk/client-dynamodb',
      '@aws-sdk/client-sqs',
      '@aws-sdk/client-s3',
      '@aws-sdk/client-kms',
      'viem',
    ]);
  });

  it('no file under lambdas/core imports viem or @aws-sdk/*', () => {
    // Prepare
    const files = (readdirSync(CORE, { recursive: true }) as string[])
      .filter((file) => file.endsWith('.ts'))
      .map((file) => join(CORE, file));
    // Act
    const offenders = files.flatMap((file) =>
      forbiddenImports(readFileSync(file, 'utf8')).map(
        (specifier) => `${relative(ROOT, file)}: ${specifier}`,
      ),
    );
    // Assess
    expect(files.length).toBeGreaterThan(20);
    expect(offenders).toEqual([]);
  });
});
