import { nativeBindings } from './nativeErrors';

/**
 * Whether the key store can be used now: it is configured, its directory exists and the
 * platform key store answers. Check it once at startup and tell the user when secure storage
 * is not available, as the other functions would reject with `UNAVAILABLE`. Never throws.
 *
 * Also `false`, rather than a crash, when the app was built without the native part of this
 * library (Expo Go, or no rebuild after installing it).
 *
 * Whether entries that require authentication can be created is a separate question; see
 * {@link canAuthenticate}.
 *
 * @platform node, desktop `false` until {@link configure} has been called.
 * @platform ios `true` once the Keychain answers; {@link configure} is optional.
 * @platform android `true` once the library's Android module has started the Android Keystore
 * protector (React Native creates it at startup); {@link configure} is optional. `false` when
 * the app does not register the library's package or the Keystore could not be opened.
 * @platform web `false` outside a secure context, without IndexedDB or WebCrypto, or after
 * IndexedDB refused to open (some private modes); `getUnavailableReason()`, exported by the
 * web build only, and the message of every `UNAVAILABLE` rejection say why. No
 * {@link configure} call is needed.
 */
export function isAvailable(): boolean {
  try {
    return nativeBindings().isAvailable();
  } catch {
    return false;
  }
}
