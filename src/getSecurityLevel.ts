import { callNativeSync, nativeBindings } from './nativeErrors';
import { toSecurityLevel } from './nativeTypes';
import type { SecurityLevel } from './types';

/**
 * The security level of the data keys the key store creates now. Entries keep the level they
 * were created with; {@link getMetadata} reports it per entry.
 *
 * @platform ios `TRUSTED_ENVIRONMENT` on a device (Keychain items protected by the Secure
 * Enclave's keys), `SOFTWARE` on the simulator.
 * @platform android Today `SOFTWARE`: Android builds still use the host protector.
 * @platform node, desktop `SOFTWARE`.
 * @platform web `SOFTWARE`: the data keys are non-extractable WebCrypto keys; script injected
 * into the page can still use them, though it cannot export them (docs/web.md).
 *
 * @throws {KeyStoreError} `UNAVAILABLE` before {@link configure}.
 */
export function getSecurityLevel(): SecurityLevel {
  return toSecurityLevel(callNativeSync(() => nativeBindings().securityLevel()));
}
