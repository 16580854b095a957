import type * as Bindings from './generated/turbo-module';
import { callNative, nativeBindings } from './nativeErrors';
import { checkOptions, checkPrompt, checkText } from './input';
import type { GetOptions } from './types';

/** Checks the prompt texts and copies them into the bindings' record. */
function toPrompt(prompt: unknown): Bindings.Prompt | undefined {
  const texts = checkPrompt(prompt);
  return texts && nativeBindings().Prompt.create(texts);
}

/**
 * Reads the value of `key` in `store`, exactly as it was set.
 *
 * When the entry was set with `authentication: true`, the platform shows the lock-screen
 * prompt (with the texts of `options.prompt`, or its defaults) and the promise settles once
 * the user answers; the JavaScript thread keeps running meanwhile. Entries without
 * authentication never prompt and ignore `options.prompt`.
 *
 * `store` and `key` follow the rules of {@link setValue}: any Unicode text without lone
 * surrogates, store name 1-255 and key 1-1024 bytes of UTF-8.
 *
 * @platform ios Entries with authentication show the system prompt (Face ID, Touch ID or the
 * passcode) with `prompt.title` and `prompt.subtitle` as its reason and `prompt.cancel` as the
 * cancel button; Face ID's own sheet shows no reason text.
 * @platform android Entries with authentication show the system prompt over the current
 * activity, once per read, with `prompt.title` and `prompt.subtitle`; `prompt.cancel` is not
 * shown (Android allows no app button once the device credential is allowed). Android 11 and
 * later: BiometricPrompt with a strong biometric or the PIN, pattern or password, authorising
 * that one decryption. Android 10: BiometricPrompt with any biometric or the credential.
 * Android 7 to 9: the system's confirm-credential screen (PIN, pattern or password). Reads
 * waiting on the user at the same time share one prompt; prompts for different stores come one
 * after another. No activity in the foreground rejects with `UNAVAILABLE`; too many failed
 * attempts with `AUTHENTICATION_FAILED`. After new biometrics are enrolled or the lock screen is
 * removed, such entries reject with `KEY_INVALIDATED`; other entries are unaffected.
 * @platform web Entries with authentication prompt through WebAuthn, whose texts the browser
 * sets (`options.prompt` is checked, not shown). A dismissed prompt and a failed verification
 * both reject with `AUTHENTICATION_CANCELLED`: browsers do not tell them apart.
 *
 * @throws {KeyStoreError} (as a rejection) `NOT_FOUND` when the store has no entry for `key`;
 * `INVALID_INPUT` for arguments or options of the wrong type or out of range;
 * `AUTHENTICATION_CANCELLED` when the user dismisses the prompt and `AUTHENTICATION_FAILED`
 * when they do not pass it (the entry is intact either way); `KEY_INVALIDATED` when the data
 * key protecting the entry is gone (ask for the value again and set it); `CORRUPTED` when the
 * entry's record is damaged; `UNAVAILABLE` before {@link configure}; `STORAGE`; `PLATFORM`.
 */
export async function getValue(store: string, key: string, options?: GetOptions): Promise<string> {
  checkText('store name', store);
  checkText('key', key);
  const { prompt } = checkOptions('options of getValue', options, ['prompt']);
  const nativePrompt = toPrompt(prompt);

  return callNative(() => nativeBindings().getValue(store, key, nativePrompt));
}
