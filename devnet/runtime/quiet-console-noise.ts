/** Lines the libraries print on every invocation that say nothing to a person watching `npm start`. */
const NOISE = [/^No application metrics to publish\./];

/**
 * Drops known per-invocation library notices (Powertools Metrics warns on every invocation that
 * records no metric, even with metrics disabled) from this process's stdout and stderr, so the
 * progress lines stay readable. `--verbose` leaves the streams untouched.
 */
export function quietConsoleNoise(): void {
  for (const stream of [process.stdout, process.stderr]) {
    const write = stream.write.bind(stream) as (chunk: unknown, ...rest: unknown[]) => boolean;
    stream.write = ((chunk: unknown, ...rest: unknown[]): boolean => {
      const text = typeof chunk === 'string' ? chunk : Buffer.isBuffer(chunk) ? chunk.toString('utf8') : '';
      if (NOISE.some((pattern) => pattern.test(text))) return true;
      return write(chunk, ...rest);
    }) as typeof stream.write;
  }
}
