/// <reference lib="dom" />
// What the web build needs from the browser, checked synchronously, and the reason it is
// missing. `isAvailable()` and every `UNAVAILABLE` rejection report the same reason.
import { KeyStoreError } from '../errors';

// Set when IndexedDB refused to open (private browsing in some browsers, storage turned off
// by the user or a policy). It can only be learnt asynchronously, so it is remembered.
let openFailure: string | undefined;

/** Why the key store cannot be used in this page, or `undefined` when it can. */
export function unavailableReason(): string | undefined {
  return missingFeature() ?? openFailure;
}

// What the page lacks, known synchronously. An IndexedDB that failed to open is not here:
// each call tries to open it again, and rejects with that failure's own message.
function missingFeature(): string | undefined {
  if (globalThis.isSecureContext !== true) {
    return 'the page is not a secure context; serve it over https (or from localhost while developing)';
  }
  if (typeof globalThis.indexedDB === 'undefined') {
    return 'this browser has no IndexedDB (some private modes and embedded web views turn it off)';
  }
  if (typeof globalThis.crypto === 'undefined' || typeof globalThis.crypto.subtle === 'undefined') {
    return 'this browser has no WebCrypto (crypto.subtle)';
  }
  return undefined;
}

/** Remembers why IndexedDB could not be opened, or forgets it (`undefined`). */
export function setOpenFailure(reason: string | undefined): void {
  openFailure = reason;
}

/** Throws `UNAVAILABLE` with the reason when the page lacks what the key store needs. */
export function requireAvailable(): void {
  const reason = missingFeature();
  if (reason !== undefined) {
    throw new KeyStoreError('UNAVAILABLE', `secure storage is not available: ${reason}`);
  }
}
