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
 * Encrypted store files go in `<directory>/stores`. On Node and desktops the host protector
 * keeps the data keys in `<directory>/keys`, in files only the owner can read; on iOS and
 * Android the platform key store guards them.
 *
 * @platform node, desktop Required: there is no default directory.
 * @platform ios Optional: without it the key store opens in
 * `Application Support/rn-rust-keystore`, excluded from backup. A directory given here is
 * used instead, with data keys still in the Keychain.
 * @platform android Optional: without it the key store opens in
 * `<no-backup files>/rn-rust-keystore` (`Context.getNoBackupFilesDir()`), which Android backups
 * never copy. A directory given here is used instead, with data keys still wrapped by Android
 * Keystore keys (of their own, so two directories never share one); keep it out of backups.
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
