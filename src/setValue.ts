import { AUTHENTICATION_UNAVAILABLE_ADVICE } from './advice';
import { invalidInput } from './errors';
import { callNative, nativeBindings } from './nativeErrors';
import { checkOptions, checkText, describe } from './input';
import type { SetOptions } from './types';

/**
 * Sets the value of `key` in `store`, creating the store on first use and replacing any
 * previous value. Resolves once the entry is durable on disk. Never prompts, except where
 * the platform cannot protect a value without the user (Android, once per store; the web).
 *
 * `store`, `key` and `value` are any Unicode text (NUL, emoji, right-to-left and combining
 * characters included) and are read back exactly. Refused with `INVALID_INPUT`: a string with
 * a lone UTF-16 surrogate (for example `'\uD800'`), which is not text and has no UTF-8 form,
 * and a string starting with U+FEFF (a byte order mark), which the generated bindings drop
 * when they decode text coming back from the library. Limits, in bytes of UTF-8: store name
 * 1-255, key 1-1024, value up to 1 MiB (1 048 576 bytes).
 *
 * Concurrent calls are safe. Calls on different keys or stores do not wait for each other;
 * calls started together on the same key are applied in no particular order, so await one
 * before starting the next when the order matters.
 *
 * With `options.authentication`, every read of the entry requires the user to pass the lock
 * screen; check {@link canAuthenticate} first. Without it (the default) the entry is still
 * encrypted, under a data key the platform key store guards.
 *
 * @platform ios With `authentication`, the entry's data key is a Keychain item that requires the
 * user's presence and exists only while a passcode is set; without a passcode the call rejects
 * with `UNAVAILABLE` and stores nothing. Setting never prompts.
 * @platform android Every data key is wrapped by an AES-256-GCM key of the Android Keystore
 * (StrongBox when the device has one, else the TEE). With `authentication`, that key requires
 * the lock screen for every use, so the first such entry of a store shows the prompt once, to
 * create the store's authentication key (Android will not encrypt with the key without the
 * user); later entries of the store are sealed without asking. Without a secure lock screen it
 * rejects with `UNAVAILABLE` and stores nothing; a dismissed prompt rejects with
 * `AUTHENTICATION_CANCELLED` and stores nothing.
 * @platform node, desktop `authentication: true` rejects with `UNAVAILABLE` and stores
 * nothing: the host protector cannot prompt.
 * @platform web Resolves once IndexedDB has committed the entry. With `authentication: true`
 * the value is wrapped under a key from the platform authenticator's WebAuthn PRF extension,
 * so setting prompts too; without PRF or a platform authenticator it rejects with
 * `UNAVAILABLE` and stores nothing. A full storage quota rejects with `STORAGE`.
 *
 * @throws {KeyStoreError} (as a rejection) `INVALID_INPUT` for an argument of the wrong type,
 * out of range, with a lone surrogate, or options of the wrong shape (nothing is written);
 * `UNAVAILABLE` before {@link configure} or when `authentication` cannot be provided (nothing
 * is stored); `STORAGE` when the write fails (the previous value is kept); `CORRUPTED` when the
 * store file's header is damaged; `PLATFORM` when the platform key store fails.
 */
export async function setValue(
  store: string,
  key: string,
  value: string,
  options?: SetOptions,
): Promise<void> {
  checkText('store name', store);
  checkText('key', key);
  checkText('value', value);
  const { authentication = false } = checkOptions('options of setValue', options, [
    'authentication',
  ]);
  if (typeof authentication !== 'boolean') {
    throw invalidInput(
      `options.authentication must be a boolean; it is ${describe(authentication)}`,
    );
  }

  await callNative(() => nativeBindings().setValue(store, key, value, authentication), {
    UNAVAILABLE: authentication ? AUTHENTICATION_UNAVAILABLE_ADVICE : undefined,
  });
}
