import { callNative, nativeBindings } from './nativeErrors';
import { checkText } from './input';

/**
 * Removes every entry of `store` and destroys its data keys. Resolves once durable. Also the
 * way to recover a store whose file is damaged (`CORRUPTED`) or whose data key was
 * invalidated. Clearing a store that was never used succeeds.
 * @platform web The store's WebAuthn credential stays on the authenticator (a page cannot
 * delete it); it is no longer used.
 *
 * @throws {KeyStoreError} (as a rejection) `INVALID_INPUT` for a store name of the wrong type
 * or out of range (see {@link setValue}); `UNAVAILABLE` before {@link configure}; `STORAGE`;
 * `PLATFORM` when the platform key store cannot delete a data key.
 */
export async function clearStore(store: string): Promise<void> {
  checkText('store name', store);

  await callNative(() => nativeBindings().clearStore(store));
}
