import { describe, expect, it } from 'vitest';
import { RedactedOutput } from '../../../../batch-jobs/executor/redacted-output.js';

describe('RedactedOutput', () => {
  it('holds back a URL cut by a chunk boundary until its end arrives', () => {
    // Prepare
    const output = new RedactedOutput();

    // Act
    const parts = [
      output.push(Buffer.from('GET https://rpc.exa')),
      output.push(Buffer.from('mple.com/v2/KEY done\nnext ')),
      output.end(),
    ];

    // Assess
    expect(parts).toEqual(['GET ', 'https://rpc.example.com/<redacted-url> done\nnext ', '']);
  });

  it('decodes a multi-byte character split across chunks whole', () => {
    // Prepare
    const output = new RedactedOutput();
    const bytes = Buffer.from('block ✓ ok\n');

    // Act
    const text = output.push(bytes.subarray(0, 7)) + output.push(bytes.subarray(7)) + output.end();

    // Assess
    expect(text).toBe('block ✓ ok\n');
  });

  it('lets out a long run without whitespace instead of holding it for ever', () => {
    // Prepare
    const output = new RedactedOutput();

    // Act
    const out = output.push(Buffer.from('x'.repeat(70_000)));

    // Assess
    expect(out).toHaveLength(70_000);
  });

  it('redacts what is left when the stream ends', () => {
    // Prepare
    const output = new RedactedOutput();

    // Act
    const text = output.push(Buffer.from('at https://rpc.example.com/v2/KEY')) + output.end();

    // Assess
    expect(text).toBe('at https://rpc.example.com/<redacted-url>');
  });
});
