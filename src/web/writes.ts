/// <reference lib="dom" />
// Writing a store: setting an entry, removing one and clearing the store, each committed by
// IndexedDB before the promise resolves.
//
// Sealing is asynchronous and a transaction cannot wait for it, so a set takes three steps:
// one transaction takes the data key (creating it if the store has none) and the next
// sequence number; the entry is sealed outside any transaction; a last transaction writes it
// only if the data key is still the store's current one. When another tab cleared the store
// in between, the set starts over with the new data key, so an acknowledged write is never
// left behind under a data key that no longer exists.
import { KeyStoreError } from '../errors';
import { generateDataKey, isDataKey, loadDataKey, slotOf, tagOf, type DataKey } from './dataKeys';
import { onResult, transact } from './database';
import { findIfPresent } from './records';
import { sealEntry, type EntryRecord, type Kind } from './seal';

const ATTEMPTS = 3;

// Thrown inside a transaction when the data key changed under it; the set starts over.
class DataKeyChanged extends Error {}

/** Takes the store's data key, creating it from `candidate` if there is none, and a number. */
function reserve(storeId: string, candidate: DataKey | undefined) {
  return transact(['keys', 'stores'], 'readwrite', (transaction) => {
    const { tx, abort } = transaction;
    let key: DataKey | undefined;
    let seq = 0;
    const keys = tx.objectStore('keys');
    const slot = slotOf(storeId, 'standard');
    onResult(transaction, keys.get(slot), (record) => {
      if (isDataKey(record)) {
        key = record;
      } else if (candidate !== undefined) {
        key = candidate;
        keys.put({ slot, ...candidate });
      } else {
        abort(new DataKeyChanged());
      }
    });
    const stores = tx.objectStore('stores');
    onResult(transaction, stores.get(storeId), (counter) => {
      const previous = (counter as { seq?: unknown } | undefined)?.seq;
      seq = (typeof previous === 'number' && Number.isSafeInteger(previous) ? previous : 0) + 1;
      stores.put({ storeId, seq });
    });
    return () => ({ key: key as DataKey, seq });
  });
}

/** Writes `record` if `keyId` is still the store's data key. */
function commit(record: EntryRecord): Promise<void> {
  return transact(['keys', 'entries'], 'readwrite', (transaction) => {
    const { tx, abort } = transaction;
    onResult(
      transaction,
      tx.objectStore('keys').get(slotOf(record.storeId, 'standard')),
      (current) => {
        if (!isDataKey(current) || current.keyId !== record.keyId) {
          abort(new DataKeyChanged());
          return;
        }
        tx.objectStore('entries').put(record);
      },
    );
    return () => undefined;
  });
}

/** What a set writes: the entry's body (the value, or the wrapped value) and its kind. */
export interface Body {
  readonly kind: Kind;
  readonly bytes: Uint8Array<ArrayBuffer>;
}

/** Sets the entry of `keyName`, keeping its creation time and order when it is replaced. */
export async function setEntry(
  store: string,
  storeId: string,
  keyName: string,
  body: Body,
): Promise<void> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      const loaded = await loadDataKey(storeId);
      // A loaded key is never written back: if it vanished, the store was cleared meanwhile.
      const candidate = loaded === undefined ? await generateDataKey() : undefined;
      const { key, seq } = await reserve(storeId, candidate);
      const tag = await tagOf(key, keyName);
      const previous = await findIfPresent(store, storeId, keyName).catch(() => undefined);
      const now = Date.now();

      const header = { storeId, tag, kind: body.kind, seq, keyId: key.keyId };
      const payload = await sealEntry(key, store, header, {
        createdSeq: previous?.entry.createdSeq ?? seq,
        createdAt: previous?.entry.createdAt ?? now,
        updatedAt: now,
        key: keyName,
        body: body.bytes,
      });
      await commit({ ...header, payload });
      return;
    } catch (error) {
      if (!(error instanceof DataKeyChanged) || attempt === ATTEMPTS) throw unchanged(error);
    }
  }
}

function unchanged(error: unknown): unknown {
  if (!(error instanceof DataKeyChanged)) return error;
  return new KeyStoreError(
    'STORAGE',
    'the store was cleared again and again while this value was being set; nothing was ' +
      'written, retry',
  );
}

/** Removes the entry of `keyName`; a store without a data key has nothing to remove. */
export async function removeEntry(storeId: string, keyName: string): Promise<void> {
  const key = await loadDataKey(storeId);
  if (key === undefined) return;

  const tag = await tagOf(key, keyName);
  await transact(['entries'], 'readwrite', (transaction) => {
    const { tx } = transaction;
    tx.objectStore('entries').delete([storeId, tag]);
    return () => undefined;
  });
}

/** Deletes every entry of the store, its data key, its credential id and its counter. */
export function clearEntries(storeId: string): Promise<void> {
  return transact(['keys', 'entries', 'stores'], 'readwrite', (transaction) => {
    const { tx } = transaction;
    const entries = tx.objectStore('entries');
    const range = IDBKeyRange.bound([storeId], [storeId, []]);
    entries.delete(range);
    tx.objectStore('keys').delete(slotOf(storeId, 'standard'));
    tx.objectStore('keys').delete(slotOf(storeId, 'user-presence'));
    tx.objectStore('stores').delete(storeId);
    return () => undefined;
  });
}
