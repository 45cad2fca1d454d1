/**
 * The pipeline state table's key design, shared by the DynamoDB adapter, the CDK app and the devnet
 * so all three create and query the same table.
 *
 * - partition key `id` (S): the item's deterministic id (`blocks/123`, `range/100-130`, `cursor/watcher`);
 * - GSI `byKindStatus`: partition `kindStatus` (S) = `<kind>|<status>`, sort `sortKey` (S), projection ALL,
 *   so "pending messages of topic X in block order" is one Query.
 *
 * - TTL attribute `expiresAt` (N, epoch seconds): set only on items in a terminal status nothing reads
 *   again; DynamoDB deletes them some time after (dynalite never does).
 *
 * Every write is a single-item conditional write on `attribute_not_exists(id)` or `version = :expected`.
 */
export const STATE_TABLE = {
  partitionKey: 'id',
  kindStatusIndex: 'byKindStatus',
  kindStatusKey: 'kindStatus',
  sortKey: 'sortKey',
  timeToLiveAttribute: 'expiresAt',
} as const;

/** The `kindStatus` attribute value of an item. */
export function kindStatusOf(kind: string, status: string): string {
  return `${kind}|${status}`;
}
