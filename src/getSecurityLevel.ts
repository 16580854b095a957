import { callNativeSync, nativeBindings } from './nativeErrors';
import { toSecurityLevel } from './nativeTypes';
import type { SecurityLevel } from './types';

/**
 * The security level of the data keys the key store creates now. Entries keep the level they
 * were created with; {@link getMetadata} reports it per entry.
 *
 * @platform ios, android Will be `TRUSTED_ENVIRONMENT` or `STRONGBOX`, depending on the
 * device. Today every build uses the host protector: `SOFTWARE`.
 * @platform node, desktop `SOFTWARE`.
 *
 * @throws {KeyStoreError} `UNAVAILABLE` before {@link configure}.
 */
export function getSecurityLevel(): SecurityLevel {
  return toSecurityLevel(callNativeSync(() => nativeBindings().securityLevel()));
}
