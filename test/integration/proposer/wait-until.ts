/**
 * Polls `probe` until it returns a value other than undefined. The cap only turns a hang into a
 * readable failure; nothing is asserted about how long it took.
 */
export async function waitUntil<T>(
  what: string,
  probe: () => Promise<T | undefined>,
  capMs = 20_000,
): Promise<T> {
  const giveUpAt = Date.now() + capMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > giveUpAt) throw new Error(`gave up waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
