import { invalidInput } from './errors';
import { callNativeSync, nativeBindings } from './nativeErrors';
import { checkOptions, checkText } from './input';
import type { ConfigureOptions } from './types';

/**
 * Opens the key store in `options.directory`, creating the directory if needed. Call it once
 * at startup, before any other function; calling it again switches to another directory
 * (calls already running finish on the previous one). Until it is called, the other functions
 * reject with `UNAVAILABLE`.
 *
 * Data keys are kept by the host protector in `<directory>/keys`, in files only the owner can
 * read, next to the encrypted store files in `<directory>/stores`.
 *
 * @platform node, desktop Required: there is no default directory.
 * @platform ios Optional: without it the key store opens in
 * `Application Support/rn-rust-keystore`, excluded from backup. A directory given here is
 * used instead, with data keys still in the Keychain.
 * @platform android Required today: Android builds still use the host protector, which has no
 * default directory; pass a directory inside the app's private storage.
 * @platform web Optional: `directory` names the IndexedDB database (default
 * `react-native-rust-keystore`).
 *
 * @throws {KeyStoreError} `INVALID_INPUT` when `options` is not `{ directory: string }`, or
 * the directory is empty or has a lone surrogate; `STORAGE` when the directory cannot be
 * created.
 */
export function configure(options: ConfigureOptions): void {
  const { directory } = checkOptions('options of configure', options, ['directory']);
  checkText('directory', directory);
  if (directory.length === 0) {
    throw invalidInput('the directory must not be empty');
  }

  callNativeSync(() => nativeBindings().configure(directory));
}
