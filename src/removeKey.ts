import { callNative, nativeBindings } from './nativeErrors';
import { checkText } from './input';

/**
 * Removes the entry of `key` from `store`. Resolves once the removal is durable. Removing a
 * key that does not exist succeeds, so calling this twice is harmless. Never prompts, even
 * for entries that require authentication.
 *
 * @throws {KeyStoreError} (as a rejection) `INVALID_INPUT` for arguments of the wrong type or
 * out of range (see {@link setValue}); `UNAVAILABLE` before {@link configure}; `STORAGE` when
 * the write fails; `CORRUPTED` when the store file's header is damaged.
 */
export async function removeKey(store: string, key: string): Promise<void> {
  checkText('store name', store);
  checkText('key', key);

  await callNative(() => nativeBindings().removeKey(store, key));
}
