import { callNative, nativeBindings } from './nativeErrors';
import { checkText } from './input';
import { toEntryMetadata } from './nativeTypes';
import type { EntryMetadata } from './types';

/**
 * What is known about the entry of `key` in `store` without reading its value: whether it
 * requires authentication, the security level of its data key, and when it was created and
 * last set (as `Date` objects). Never prompts, even for entries that require authentication.
 *
 * @throws {KeyStoreError} (as a rejection) `NOT_FOUND` when the store has no entry for `key`;
 * `INVALID_INPUT` for arguments of the wrong type or out of range (see {@link setValue});
 * `UNAVAILABLE` before {@link configure}; `CORRUPTED`; `KEY_INVALIDATED`; `STORAGE`.
 */
export async function getMetadata(store: string, key: string): Promise<EntryMetadata> {
  checkText('store name', store);
  checkText('key', key);

  return toEntryMetadata(await callNative(() => nativeBindings().getMetadata(store, key)));
}
