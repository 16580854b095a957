import { callNativeSync, nativeBindings } from './nativeErrors';
import { toSecurityLevel } from './nativeTypes';
import type { SecurityLevel } from './types';

/**
 * The security level of the data keys the key store creates now. Entries keep the level they
 * were created with; {@link getMetadata} reports it per entry.
 *
 * @platform ios `TRUSTED_ENVIRONMENT` on a device (Keychain items protected by the Secure
 * Enclave's keys), `SOFTWARE` on the simulator.
 * @platform android What the Android Keystore gave the first key made since the app started:
 * `STRONGBOX` (a discrete secure element, Android 9+ devices that have one),
 * `TRUSTED_ENVIRONMENT` (the TEE) or `SOFTWARE` (some emulators). Before any key exists, the
 * first call makes and deletes one throwaway key to find out, which blocks for a moment (a key
 * generation); call it after a first `setValue`, or off the critical path.
 * @platform node, desktop `SOFTWARE`.
 * @platform web `SOFTWARE`: the data keys are non-extractable WebCrypto keys; script injected
 * into the page can still use them, though it cannot export them (docs/web.md).
 *
 * @throws {KeyStoreError} `UNAVAILABLE` before {@link configure}.
 */
export function getSecurityLevel(): SecurityLevel {
  return toSecurityLevel(callNativeSync(() => nativeBindings().securityLevel()));
}
