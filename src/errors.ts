// The public error of the library. This module imports nothing, so the web build (which must
// not reach the native bindings) shares it with the native build; converting the bindings'
// errors is the job of nativeErrors.ts.

/**
 * The stable codes of {@link KeyStoreError}, spelled as in the Rust core and the README.
 *
 * Branch on `error.code`, never on `error.message`: codes stay the same across versions,
 * messages are for people and may be reworded.
 */
export const KeyStoreErrorCode = {
  /** No entry with this key exists in the store (only `getValue` and `getMetadata`). */
  NOT_FOUND: 'NOT_FOUND',
  /** An argument has the wrong type or is out of range; nothing was read or written. */
  INVALID_INPUT: 'INVALID_INPUT',
  /** The user dismissed the lock-screen prompt; the entry is intact. */
  AUTHENTICATION_CANCELLED: 'AUTHENTICATION_CANCELLED',
  /** The user did not pass the lock screen (wrong biometrics, too many attempts). */
  AUTHENTICATION_FAILED: 'AUTHENTICATION_FAILED',
  /** The data key protecting the entry is gone for good; ask for the value again and set it. */
  KEY_INVALIDATED: 'KEY_INVALIDATED',
  /** The key store cannot do this here and now: not configured, no lock screen, and so on. */
  UNAVAILABLE: 'UNAVAILABLE',
  /** Stored bytes failed their integrity checks; set the entry again or clear the store. */
  CORRUPTED: 'CORRUPTED',
  /** The file system failed (I/O error, disk full, directory not writable). */
  STORAGE: 'STORAGE',
  /** The platform key store returned a status the library does not map; see `status`. */
  PLATFORM: 'PLATFORM',
} as const;

/** One of the strings of {@link KeyStoreErrorCode}. */
export type KeyStoreErrorCode = (typeof KeyStoreErrorCode)[keyof typeof KeyStoreErrorCode];

const CODES: ReadonlySet<unknown> = new Set(Object.values(KeyStoreErrorCode));

/**
 * The error every function of this library rejects (or, for the synchronous ones, throws)
 * with. `code` is one of {@link KeyStoreErrorCode}; `message` says what happened and what the
 * app can do, and never contains a value, a key or key material.
 *
 * `instanceof KeyStoreError` works, but code compiled with some Babel setups breaks
 * `instanceof` for subclasses of `Error`; {@link KeyStoreError.is} does not depend on it.
 */
export class KeyStoreError extends Error {
  /** Always `'KeyStoreError'`. */
  override readonly name = 'KeyStoreError';

  /** Why the call failed; stable across versions. */
  readonly code: KeyStoreErrorCode;

  /**
   * For `PLATFORM` errors, the platform key store's numeric status (an `OSStatus` on iOS, a
   * Keystore error code on Android); `undefined` for every other code.
   */
  readonly status: number | undefined;

  /** Creates an error; the library does this, apps normally only receive them. */
  constructor(code: KeyStoreErrorCode, message: string, status?: number) {
    super(message);
    // Keeps `instanceof` working where the class transform does not set the prototype.
    Object.setPrototypeOf(this, new.target.prototype);
    this.code = code;
    this.status = status;
  }

  /** Whether `value` is a {@link KeyStoreError}, without relying on `instanceof`. */
  static is(value: unknown): value is KeyStoreError {
    if (typeof value !== 'object' || value === null) return false;
    const { name, code } = value as { name?: unknown; code?: unknown };
    return name === 'KeyStoreError' && CODES.has(code);
  }
}

/** A rejection with code `INVALID_INPUT`, worded like the core's. */
export function invalidInput(reason: string): KeyStoreError {
  return new KeyStoreError('INVALID_INPUT', `invalid input: ${reason}`);
}
