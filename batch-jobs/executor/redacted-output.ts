import { StringDecoder } from 'node:string_decoder';
import { redactUrlsInText } from '../../lambdas/chain/redact-rpc-urls.js';

/** Text held back waiting for a whitespace is let out (redacted) past this many characters. */
const MAX_HELD_CHARS = 65_536;

/**
 * Redacts RPC URLs from a child's output stream before it is written anywhere. A URL may be split
 * across chunks, so text after the last whitespace of a chunk (a URL holds none) is held back until
 * more arrives or the stream ends; multi-byte characters split across chunks are decoded whole.
 *
 * @example
 * const output = new RedactedOutput();
 * child.stderr.on('data', (chunk) => process.stderr.write(output.push(chunk)));
 * child.on('close', () => process.stderr.write(output.end()));
 */
export class RedactedOutput {
  private readonly decoder = new StringDecoder('utf8');
  private held = '';

  /** The redacted text that can be let out after `chunk` (possibly empty). */
  push(chunk: Buffer): string {
    const text = this.held + this.decoder.write(chunk);
    const cut = lastWhitespaceEnd(text);
    if (cut === 0 && text.length <= MAX_HELD_CHARS) {
      this.held = text;
      return '';
    }
    const out = cut === 0 ? text.length : cut;
    this.held = text.slice(out);
    return redactUrlsInText(text.slice(0, out));
  }

  /** The rest, redacted: call once when the stream has ended. */
  end(): string {
    const text = this.held + this.decoder.end();
    this.held = '';
    return redactUrlsInText(text);
  }
}

/** Index just after the last whitespace character of `text`, 0 when there is none. */
function lastWhitespaceEnd(text: string): number {
  for (let i = text.length - 1; i >= 0; i -= 1) {
    if (/\s/.test(text[i] as string)) return i + 1;
  }
  return 0;
}
