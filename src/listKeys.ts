import { callNative, nativeBindings } from './nativeErrors';
import { checkText } from './input';

/**
 * The keys of every entry in `store`, in the order they were first set; `[]` for a store
 * that was never used. Never prompts. Entries whose records are damaged are left out.
 *
 * @throws {KeyStoreError} (as a rejection) `INVALID_INPUT` for a store name of the wrong type
 * or out of range (see {@link setValue}); `UNAVAILABLE` before {@link configure}; `STORAGE`;
 * `CORRUPTED` when the store file's header is damaged; `KEY_INVALIDATED` when the store's data
 * key is gone.
 */
export async function listKeys(store: string): Promise<string[]> {
  checkText('store name', store);

  return callNative(() => nativeBindings().listKeys(store));
}
