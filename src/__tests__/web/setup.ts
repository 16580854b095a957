// What the web build's unit tests share: a secure-context browser made of Node's WebCrypto and
// an in-memory IndexedDB (fake-indexeddb), a fresh database per test, and helpers to look at
// the raw records the way someone reading the browser profile could.
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';

import { KeyStoreError } from '../../index.web';
import type { KeyStoreErrorCode } from '../../index.web';

let databases = 0;

/** Installs a fresh in-memory IndexedDB in a secure context and returns its database name. */
export function freshBrowser(): string {
  Object.assign(globalThis, {
    indexedDB: new IDBFactory(),
    IDBKeyRange,
    isSecureContext: true,
  });
  databases += 1;
  return `web-test-${databases}`;
}

/** The code `call` rejects with; fails when it resolves or throws synchronously. */
export async function codeOf(call: () => Promise<unknown>): Promise<KeyStoreErrorCode> {
  return (await rejectionOf(call)).code;
}

/** What `call` rejects with, checked to be a {@link KeyStoreError}. */
export async function rejectionOf(call: () => Promise<unknown>): Promise<KeyStoreError> {
  let promise: Promise<unknown>;
  try {
    promise = call();
  } catch (error) {
    throw new Error('the call threw synchronously instead of rejecting', { cause: error });
  }
  const outcome = await promise.then(
    () => ({ resolved: true as const }),
    (error: unknown) => ({ resolved: false as const, error }),
  );
  if (outcome.resolved) throw new Error('the call resolved; it was expected to reject');
  expect(KeyStoreError.is(outcome.error)).toBe(true);
  return outcome.error as KeyStoreError;
}

/** Every record of one object store of database `name`, as the browser holds it. */
export function rawRecords(name: string, objectStore: string): Promise<Record<string, unknown>[]> {
  return withDatabase(name, (database, done, fail) => {
    const request = database.transaction(objectStore).objectStore(objectStore).getAll();
    request.onsuccess = () => done(request.result as Record<string, unknown>[]);
    request.onerror = () => fail(request.error);
  });
}

/** Replaces one record of `objectStore` in database `name`, bypassing the library. */
export function putRaw(name: string, objectStore: string, record: unknown): Promise<void> {
  return withDatabase(name, (database, done, fail) => {
    const tx = database.transaction(objectStore, 'readwrite');
    tx.objectStore(objectStore).put(record);
    tx.oncomplete = () => done(undefined);
    tx.onerror = () => fail(tx.error);
  });
}

/** Deletes the record of `key` from `objectStore` in database `name`, bypassing the library. */
export function deleteRaw(name: string, objectStore: string, key: IDBValidKey): Promise<void> {
  return withDatabase(name, (database, done, fail) => {
    const tx = database.transaction(objectStore, 'readwrite');
    tx.objectStore(objectStore).delete(key);
    tx.oncomplete = () => done(undefined);
    tx.onerror = () => fail(tx.error);
  });
}

function withDatabase<T>(
  name: string,
  use: (database: IDBDatabase, done: (value: T) => void, fail: (error: unknown) => void) => void,
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const request = globalThis.indexedDB.open(name);
    request.onerror = () => reject(request.error ?? new Error('open failed'));
    request.onsuccess = () => {
      const database = request.result;
      use(
        database,
        (value) => {
          database.close();
          resolve(value);
        },
        (error) => {
          database.close();
          reject(error instanceof Error ? error : new Error('IndexedDB failed'));
        },
      );
    };
  });
}
