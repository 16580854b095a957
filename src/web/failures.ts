/// <reference lib="dom" />
// The one place where the browser's storage and crypto failures become KeyStoreError. Messages
// name what failed and what to do; they never contain a key, a value or key material.
import { KeyStoreError } from '../errors';

/** The `name` of a DOMException (or any error), or `undefined`. */
export function errorName(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const { name } = error as { name?: unknown };
  return typeof name === 'string' ? name : undefined;
}

/** Converts a failure of `indexedDB.open` into `UNAVAILABLE`, with a message saying why. */
export function openError(error: unknown): KeyStoreError {
  if (KeyStoreError.is(error)) return error;
  const name = errorName(error) ?? typeof error;
  if (name === 'VersionError') {
    return new KeyStoreError(
      'UNAVAILABLE',
      'the key store in this browser was written by a newer version of ' +
        'react-native-rust-keystore; update the app',
    );
  }
  return new KeyStoreError(
    'UNAVAILABLE',
    `IndexedDB could not be opened (${name}); the browser may be in a private mode that ` +
      'keeps no storage, or site data may be blocked for this origin',
  );
}

/** Converts a failed IndexedDB transaction into `STORAGE` (quota) or `UNAVAILABLE`. */
export function storageError(error: unknown): KeyStoreError {
  if (KeyStoreError.is(error)) return error;
  const name = errorName(error) ?? typeof error;
  if (name === 'QuotaExceededError') {
    return new KeyStoreError(
      'STORAGE',
      "the browser's storage quota for this origin is used up; nothing was written. Free " +
        'space (remove entries or other site data), or ask for more with ' +
        'navigator.storage.persist()',
    );
  }
  if (name === 'DataCloneError') {
    return new KeyStoreError(
      'UNAVAILABLE',
      'this browser cannot keep CryptoKey objects in IndexedDB (some private modes cannot); ' +
        'secure storage is not available here',
    );
  }
  if (name === 'InvalidStateError') {
    return new KeyStoreError(
      'UNAVAILABLE',
      'the browser closed the key store database (site data was cleared, or the page is ' +
        'being unloaded); reload the page',
    );
  }
  return new KeyStoreError(
    'STORAGE',
    `IndexedDB failed (${name}); nothing was written by the failed call; retry it`,
  );
}

/** `CORRUPTED`, for a record that failed its integrity checks. */
export function corrupted(): KeyStoreError {
  return new KeyStoreError(
    'CORRUPTED',
    'the stored entry failed its integrity check; set the entry again or clear the store',
  );
}

/** `KEY_INVALIDATED`, for entries whose data key or credential is gone. */
export function keyInvalidated(what: string): KeyStoreError {
  return new KeyStoreError(
    'KEY_INVALIDATED',
    `${what} is gone, so the entry can no longer be read; ask for the value again and set it`,
  );
}
