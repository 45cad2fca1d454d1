/** What a join did with a collected group: handed one result on, waits for more, or halted the span. */
export type JoinOutcome =
  | { readonly status: 'succeeded'; readonly forwarded: string; readonly cancelled: readonly string[] }
  | { readonly status: 'waiting'; readonly reason: string }
  | { readonly status: 'abandoned'; readonly reason: string };
