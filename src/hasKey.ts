import { callNative, nativeBindings } from './nativeErrors';
import { checkText } from './input';

/**
 * Whether `store` has an entry for `key`. Never prompts and never reads the value.
 *
 * @throws {KeyStoreError} (as a rejection) `INVALID_INPUT` for arguments of the wrong type or
 * out of range (see {@link setValue}); `UNAVAILABLE` before {@link configure}; `STORAGE`;
 * `CORRUPTED` when the store file's header is damaged.
 */
export async function hasKey(store: string, key: string): Promise<boolean> {
  checkText('store name', store);
  checkText('key', key);

  return callNative(() => nativeBindings().hasKey(store, key));
}
