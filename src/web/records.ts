/// <reference lib="dom" />
// Reading a store's records: its data key, one entry by key name, or all of them, with the
// rules of the native core for entries whose data key is gone.
import { KeyStoreError } from '../errors';
import { loadDataKey, tagOf, type DataKey } from './dataKeys';
import { onResult, transact } from './database';
import { corrupted, keyInvalidated } from './failures';
import { isEntryRecord, openEntry, type Entry, type EntryRecord } from './seal';

/** An entry found by its key name, opened under the store's current data key. */
export interface Found {
  readonly key: DataKey;
  readonly record: EntryRecord;
  readonly entry: Entry;
}

/** Every record of the store, as stored (damaged ones included). */
export function allRecords(storeId: string): Promise<unknown[]> {
  return transact(['entries'], 'readonly', (transaction) => {
    const { tx } = transaction;
    let records: unknown[] = [];
    const index = tx.objectStore('entries').index('storeId');
    onResult(transaction, index.getAll(IDBKeyRange.only(storeId)), (result) => {
      records = result;
    });
    return () => records;
  });
}

function notFound(): KeyStoreError {
  return new KeyStoreError(
    'NOT_FOUND',
    'the store has no entry for this key; set the entry first, or treat it as absent',
  );
}

/**
 * Why a key has no entry under the current data key: `KEY_INVALIDATED` while entries sealed
 * under a lost data key remain (the key may be one of them), `NOT_FOUND` otherwise.
 */
async function missing(storeId: string, key: DataKey | undefined): Promise<KeyStoreError> {
  const records = await allRecords(storeId);
  const stale = records.some((record) => !isEntryRecord(record) || record.keyId !== key?.keyId);
  return stale ? keyInvalidated("the store's data key") : notFound();
}

/** The raw record of `tag`, or `undefined`. */
function recordOf(storeId: string, tag: string): Promise<unknown> {
  return transact(['entries'], 'readonly', (transaction) => {
    const { tx } = transaction;
    let record: unknown;
    onResult(transaction, tx.objectStore('entries').get([storeId, tag]), (result) => {
      record = result;
    });
    return () => record;
  });
}

/**
 * The entry of `keyName` in the store. Rejects with `NOT_FOUND`, `KEY_INVALIDATED` when the
 * record was sealed under a data key that is gone, and `CORRUPTED` when the record fails its
 * checks (including a sealed key name other than the one looked up).
 */
export async function findEntry(store: string, storeId: string, keyName: string): Promise<Found> {
  const key = await loadDataKey(storeId);
  if (key === undefined) throw await missing(storeId, key);

  const tag = await tagOf(key, keyName);
  const record = await recordOf(storeId, tag);
  if (record === undefined) throw await missing(storeId, key);
  if (!isEntryRecord(record) || record.tag !== tag) throw corrupted();
  if (record.keyId !== key.keyId) throw keyInvalidated("the store's data key");

  const entry = await openEntry(key, store, record);
  if (entry.key !== keyName) throw corrupted();
  return { key, record, entry };
}

/**
 * Whether the store has a record for `keyName` under its current data key, without opening
 * it: a damaged record counts (its read reports `CORRUPTED`), as on native.
 */
export async function hasEntry(storeId: string, keyName: string): Promise<boolean> {
  const key = await loadDataKey(storeId);
  if (key === undefined) return false;

  const record = await recordOf(storeId, await tagOf(key, keyName));
  return record !== undefined && (!isEntryRecord(record) || record.keyId === key.keyId);
}

/** Like {@link findEntry}, but `undefined` for a missing entry. */
export async function findIfPresent(
  store: string,
  storeId: string,
  keyName: string,
): Promise<Found | undefined> {
  try {
    return await findEntry(store, storeId, keyName);
  } catch (error) {
    if (KeyStoreError.is(error) && error.code === 'NOT_FOUND') return undefined;
    throw error;
  }
}

/**
 * The key names of every entry that opens under the current data key and whose sealed name
 * matches its tag, in the order they were first set. Damaged entries are left out.
 */
export async function listNames(store: string, storeId: string): Promise<string[]> {
  const key = await loadDataKey(storeId);
  if (key === undefined) {
    const records = await allRecords(storeId);
    if (records.length > 0) throw keyInvalidated("the store's data key");
    return [];
  }

  const opened: Entry[] = [];
  for (const record of await allRecords(storeId)) {
    if (!isEntryRecord(record) || record.keyId !== key.keyId) continue;
    try {
      const entry = await openEntry(key, store, record);
      if ((await tagOf(key, entry.key)) === record.tag) opened.push(entry);
    } catch {
      // Left out, as on native; getValue on that key reports CORRUPTED.
    }
  }
  return opened.sort((a, b) => a.createdSeq - b.createdSeq).map((entry) => entry.key);
}
