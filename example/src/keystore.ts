// Opening the key store at startup: the reference flow's "check availability" step.
//
// The app never calls `configure`: on iOS and Android the library opens its default directory
// on the first call (Application Support on iOS, the app's no-backup directory on Android).
import {
  canAuthenticate,
  getSecurityLevel,
  isAvailable,
  type SecurityLevel,
} from 'react-native-rust-keystore';

import { type Failure, toFailure } from './failure';

/** What the app learns at startup: either a usable key store, or why it cannot be used. */
export type Availability =
  | { available: true; securityLevel: SecurityLevel; canAuthenticate: boolean }
  | { available: false; reason: Failure };

/**
 * Checks that the key store answers, and reads what it offers on this device.
 *
 * `isAvailable()` only says yes or no; when it says no, `getSecurityLevel()` rejects with the
 * library's own explanation (`UNAVAILABLE` and what to do), which the banner shows.
 * `canAuthenticate()` is read once here, so a lock screen set up while the app runs shows after
 * the next start.
 */
export function openKeyStore(): Availability {
  try {
    if (!isAvailable()) {
      getSecurityLevel();
      return {
        available: false,
        reason: { code: 'UNAVAILABLE', message: 'isAvailable() returned false' },
      };
    }

    return {
      available: true,
      securityLevel: getSecurityLevel(),
      canAuthenticate: canAuthenticate(),
    };
  } catch (error) {
    return { available: false, reason: toFailure(error) };
  }
}
