// Calls into the generated bindings and the one conversion of their errors into KeyStoreError.
// Only the native build imports this module; the web build never reaches it.
import { ADVICE, type Advice } from './advice';
import { KeyStoreError, type KeyStoreErrorCode } from './errors';
import type { NativeError_Tags } from './generated/turbo-module';
import { loadNative, type Native } from './native';

// Keyed by the tags' string values, so this module does not load the bindings.
const CODE_OF_TAG: Record<`${NativeError_Tags}`, KeyStoreErrorCode> = {
  NotFound: 'NOT_FOUND',
  InvalidInput: 'INVALID_INPUT',
  AuthenticationCancelled: 'AUTHENTICATION_CANCELLED',
  AuthenticationFailed: 'AUTHENTICATION_FAILED',
  KeyInvalidated: 'KEY_INVALIDATED',
  Unavailable: 'UNAVAILABLE',
  Corrupted: 'CORRUPTED',
  Storage: 'STORAGE',
  Platform: 'PLATFORM',
};

/**
 * Converts anything the generated bindings throw into a {@link KeyStoreError}. The only place
 * that looks at the bindings' errors: it uses their `instanceOf` and `tag`, because
 * `instanceof` on generated classes does not survive React Native's Babel class transform.
 */
export function toKeyStoreError(error: unknown, extraAdvice: Advice = {}): KeyStoreError {
  if (KeyStoreError.is(error)) return error;

  const loaded = loadNative();
  const NativeError = 'bindings' in loaded ? loaded.bindings.NativeError : undefined;
  if (typeof error === 'object' && error !== null && NativeError?.instanceOf(error)) {
    const code = CODE_OF_TAG[error.tag];
    const advice = extraAdvice[code] ?? ADVICE[code];
    const message = advice ? `${error.inner.message}; ${advice}` : error.inner.message;
    const status = NativeError.Platform.instanceOf(error) ? Number(error.inner.status) : undefined;
    return new KeyStoreError(code, message, status);
  }

  // Not an error of the Rust library: the bindings themselves failed, which means the native
  // part is missing or does not match this JavaScript.
  const kind = error instanceof Error ? error.name : typeof error;
  return new KeyStoreError(
    'UNAVAILABLE',
    `the native part of react-native-rust-keystore failed unexpectedly (${kind}); check that ` +
      'the native module is linked and that the app was rebuilt after installing or ' +
      'upgrading the library',
  );
}

/**
 * The generated bindings, loaded on first use. Throws a {@link KeyStoreError} with code
 * `UNAVAILABLE` when the app was built without the native part of this library.
 */
export function nativeBindings(): Native {
  const loaded = loadNative();
  if ('bindings' in loaded) return loaded.bindings;
  const kind = loaded.failure instanceof Error ? loaded.failure.name : typeof loaded.failure;
  throw new KeyStoreError(
    'UNAVAILABLE',
    `the native module of react-native-rust-keystore could not be loaded (${kind}); it is ` +
      'not part of Expo Go, so use a development build, and rebuild the app after installing ' +
      'or upgrading the library',
  );
}

/**
 * Runs a call into the bindings, converting whatever it throws or rejects with; `advice`
 * replaces the default advice for codes whose remedy depends on the call.
 */
export async function callNative<T>(call: () => Promise<T>, advice?: Advice): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw toKeyStoreError(error, advice);
  }
}

/** {@link callNative} for the synchronous functions of the bindings. */
export function callNativeSync<T>(call: () => T): T {
  try {
    return call();
  } catch (error) {
    throw toKeyStoreError(error);
  }
}
