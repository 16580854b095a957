/// <reference lib="dom" />
// The IndexedDB database of the web build and a promise around one transaction.
//
// Object stores (all values are structured clones; nothing in them is a secret in the clear):
//
// - `keys`: one record per data key or credential, keyed by `slot` (`<store id>.standard` or
//   `<store id>.user-presence`). Standard slots hold two non-extractable CryptoKeys.
// - `entries`: one sealed record per entry, keyed by `[storeId, tag]`, indexed by `storeId`.
// - `stores`: the sequence counter of each store, keyed by `storeId`.
//
// A transaction's promise settles only on `complete` (or `abort`): a write is acknowledged once
// the browser has committed it, which also orders it against every other tab's transactions.
import { setOpenFailure } from './environment';
import { openError, storageError } from './failures';

/** The database used until `configure` names another one. */
export const DEFAULT_DATABASE = 'react-native-rust-keystore';

const SCHEMA_VERSION = 1;

/** The object stores of the database. */
export type ObjectStoreName = 'keys' | 'entries' | 'stores';

let name = DEFAULT_DATABASE;
let opening: Promise<IDBDatabase> | undefined;

/** Switches to the database called `databaseName`; calls already running finish on the old one. */
export function useDatabase(databaseName: string): void {
  if (databaseName === name) return;
  name = databaseName;
  const previous = opening;
  opening = undefined;
  void previous?.then((database) => database.close()).catch(() => undefined);
}

function createSchema(database: IDBDatabase): void {
  database.createObjectStore('keys', { keyPath: 'slot' });
  const entries = database.createObjectStore('entries', { keyPath: ['storeId', 'tag'] });
  entries.createIndex('storeId', 'storeId');
  database.createObjectStore('stores', { keyPath: 'storeId' });
}

function open(): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    let request: IDBOpenDBRequest;
    try {
      request = globalThis.indexedDB.open(name, SCHEMA_VERSION);
    } catch (error) {
      reject(openError(error));
      return;
    }
    request.onupgradeneeded = () => createSchema(request.result);
    request.onsuccess = () => {
      const database = request.result;
      // Another tab upgrading the schema must not wait for this one; the next call reopens.
      database.onversionchange = () => {
        database.close();
        opening = undefined;
      };
      database.onclose = () => {
        opening = undefined;
      };
      setOpenFailure(undefined);
      resolve(database);
    };
    request.onerror = () => {
      const failure = openError(request.error);
      setOpenFailure(failure.message);
      reject(failure);
    };
  });
}

/** The open database, opened on first use. */
export function openDatabase(): Promise<IDBDatabase> {
  if (opening === undefined) {
    const attempt = open();
    opening = attempt;
    // A failed open is retried by the next call rather than remembered forever.
    attempt.catch(() => {
      if (opening === attempt) opening = undefined;
    });
  }
  return opening;
}

/** What a transaction body uses: the transaction, and a way to abort it with an error. */
export interface Transaction {
  readonly tx: IDBTransaction;
  /** Aborts the transaction; its promise rejects with `error`. */
  readonly abort: (error: Error) => void;
}

/**
 * Runs `body` in one transaction over `stores`. `body` issues requests with callbacks (no
 * awaiting inside: a transaction commits as soon as it has nothing to do) and returns a
 * function that reads the result; the promise resolves with it once the transaction is
 * committed. Rejects with `STORAGE` or `UNAVAILABLE` when IndexedDB fails.
 */
export async function transact<T>(
  stores: ObjectStoreName[],
  mode: IDBTransactionMode,
  body: (transaction: Transaction) => () => T,
): Promise<T> {
  const database = await openDatabase();

  return new Promise<T>((resolve, reject) => {
    let tx: IDBTransaction;
    try {
      tx = database.transaction(stores, mode, { durability: 'strict' });
    } catch (error) {
      opening = undefined;
      reject(storageError(error));
      return;
    }

    let reason: Error | undefined;
    let read: () => T = () => undefined as T;
    tx.oncomplete = () => {
      try {
        resolve(read());
      } catch (error) {
        reject(error instanceof Error ? error : storageError(error));
      }
    };
    tx.onabort = () => reject(reason ?? storageError(tx.error));

    const transaction: Transaction = {
      tx,
      abort: (error) => {
        reason ??= error;
        tx.abort();
      },
    };
    try {
      read = body(transaction);
    } catch (error) {
      transaction.abort(error instanceof Error ? error : storageError(error));
    }
  });
}

/**
 * Sets `onsuccess` of `request` to call `then` with its result. What `then` throws (a
 * synchronous `QuotaExceededError` or `DataCloneError` from a request it issues) aborts the
 * transaction with that error, rather than with the browser's generic `AbortError`.
 */
export function onResult<T>(
  transaction: Transaction,
  request: IDBRequest<T>,
  then: (result: T) => void,
): void {
  request.onsuccess = () => {
    try {
      then(request.result);
    } catch (error) {
      transaction.abort(storageError(error));
    }
  };
}
