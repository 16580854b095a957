// Opening the key store at startup: the reference flow's "check availability" step.
import { Platform } from 'react-native';
import {
  canAuthenticate,
  configure,
  getSecurityLevel,
  isAvailable,
  type SecurityLevel,
} from 'react-native-rust-keystore';

import { type Failure, toFailure } from './failure';

/** Where this app keeps its key store on Android, inside the app's private files directory. */
// The library has no default directory on Android yet, and React Native has no API for the
// app's files directory. `/data/data/<applicationId>` is that directory for the device's main
// user, which is what emulators and most phones run as; on a secondary user or a work profile
// it is elsewhere and `configure` fails with STORAGE, which the banner then shows.
const ANDROID_DIRECTORY = '/data/data/com.rustkeystoreexample/files/rust-keystore';

/** What the app learns at startup: either a usable key store, or why it cannot be used. */
export type Availability =
  | { available: true; securityLevel: SecurityLevel; canAuthenticate: boolean }
  | { available: false; reason: Failure };

/**
 * Configures the key store where the platform needs it, then checks that it answers.
 *
 * `isAvailable()` only says yes or no; when it says no, `getSecurityLevel()` rejects with the
 * library's own explanation (`UNAVAILABLE` and what to do), which the banner shows.
 */
export function openKeyStore(): Availability {
  try {
    // iOS keeps stores in the app's Application Support directory without being told.
    if (Platform.OS === 'android') {
      configure({ directory: ANDROID_DIRECTORY });
    }

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
