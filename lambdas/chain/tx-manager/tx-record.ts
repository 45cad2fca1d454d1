import type { Address, Hex } from 'viem';
import * as z from 'zod';
import { sortKeyOf } from '../../core/messages/ids.js';
import type { NewItem, StateStore, StoredItem } from '../../core/ports/state-store.js';
import { parseItemData } from '../../core/schema/parse-item-data.js';
import { addressString, bytes32Hex, decimalString, hexBytes } from '../../core/schema/primitives.js';
import type { TxAttempt, TxFinalOutcome, TxRecord, TxRecordStatus } from './types.js';

export const TX_KIND = 'tx';

const attemptSchema = z.strictObject({
  hash: bytes32Hex,
  raw: hexBytes,
  maxFeePerGas: decimalString,
  maxPriorityFeePerGas: decimalString,
  sentAt: z.string(),
});

const outcomeSchema = z.record(z.string(), z.unknown());

const recordDataSchema = z.strictObject({
  signer: addressString,
  nonce: z.number().int().min(0),
  intentId: z.string().min(1),
  to: addressString,
  data: hexBytes,
  value: decimalString,
  gas: decimalString,
  attempts: z.array(attemptSchema).min(1),
  outcome: outcomeSchema.optional(),
});

/** `tx/<signer>/<nonce>`: one item per nonce, so two writers can never record the same nonce. */
export function txRecordId(signer: Address, nonce: number): string {
  return `tx/${signer.toLowerCase()}/${nonce}`;
}

function outcomeToJson(outcome: TxFinalOutcome): Record<string, unknown> {
  return JSON.parse(
    JSON.stringify(outcome, (_key, value) => (typeof value === 'bigint' ? value.toString() : value)),
  );
}

function outcomeFromJson(json: Record<string, unknown>): TxFinalOutcome {
  const big = (key: string) => (typeof json[key] === 'string' ? { [key]: BigInt(json[key] as string) } : {});
  return {
    ...json,
    ...big('blockNumber'),
    ...big('gasUsed'),
    ...big('effectiveGasPrice'),
  } as unknown as TxFinalOutcome;
}

/** Reads a stored tx item; a malformed one names the bad field. */
export function parseTxRecord(item: StoredItem): TxRecord {
  const data = parseItemData(recordDataSchema, item.data, 'tx record', item.id, '');
  return {
    id: item.id,
    version: item.version,
    status: item.status as TxRecordStatus,
    signer: data.signer as Address,
    nonce: data.nonce,
    intentId: data.intentId,
    to: data.to as Address,
    data: data.data as Hex,
    value: BigInt(data.value),
    gas: BigInt(data.gas),
    attempts: data.attempts.map(
      (a): TxAttempt => ({
        hash: a.hash as Hex,
        raw: a.raw as Hex,
        maxFeePerGas: BigInt(a.maxFeePerGas),
        maxPriorityFeePerGas: BigInt(a.maxPriorityFeePerGas),
        sentAt: a.sentAt,
      }),
    ),
    ...(data.outcome === undefined ? {} : { outcome: outcomeFromJson(data.outcome) }),
  };
}

/** The item form of a record (version and updatedAt are the store's). */
export function txRecordItem(record: Omit<TxRecord, 'id' | 'version'>): NewItem {
  return {
    id: txRecordId(record.signer, record.nonce),
    kind: TX_KIND,
    status: record.status,
    sortKey: sortKeyOf(BigInt(record.nonce)),
    data: {
      signer: record.signer.toLowerCase(),
      nonce: record.nonce,
      intentId: record.intentId,
      to: record.to,
      data: record.data,
      value: record.value.toString(),
      gas: record.gas.toString(),
      attempts: record.attempts.map((a) => ({
        hash: a.hash,
        raw: a.raw,
        maxFeePerGas: a.maxFeePerGas.toString(),
        maxPriorityFeePerGas: a.maxPriorityFeePerGas.toString(),
        sentAt: a.sentAt,
      })),
      ...(record.outcome === undefined ? {} : { outcome: outcomeToJson(record.outcome) }),
    },
  };
}

/** Open (`sent`) records of one signer, lowest nonce first. */
export async function listOpenTxRecords(store: StateStore, signer: Address): Promise<TxRecord[]> {
  const items = await store.list(TX_KIND, 'sent');
  return items
    .filter((item) => String(item.data.signer).toLowerCase() === signer.toLowerCase())
    .map(parseTxRecord)
    .sort((a, b) => a.nonce - b.nonce);
}

/**
 * Writes a new version of `record` (status, attempts, outcome) over `record.version`.
 * @returns the record as stored, or undefined if another writer changed it first.
 */
export async function replaceTxRecord(
  store: StateStore,
  record: TxRecord,
  changes: Partial<Pick<TxRecord, 'status' | 'attempts' | 'outcome'>>,
): Promise<TxRecord | undefined> {
  const next = { ...record, ...changes };
  const ok = await store.replace(txRecordItem(next), record.version);
  return ok ? { ...next, version: record.version + 1 } : undefined;
}

/**
 * Writes `record` back as open (`sent`, no outcome) over `record.version`, keeping its nonce and
 * signed attempts (its tx left the canonical chain and must be watched again).
 * @returns the record as stored, or undefined if another writer changed it first.
 */
export async function reopenTxRecord(store: StateStore, record: TxRecord): Promise<TxRecord | undefined> {
  const { outcome: _settled, ...open } = record;
  const next: TxRecord = { ...open, status: 'sent' };
  const ok = await store.replace(txRecordItem(next), record.version);
  return ok ? { ...next, version: record.version + 1 } : undefined;
}
