// The synchronous functions of the web build: availability, authentication support, the
// security level and configuration.
import { invalidInput } from '../errors';
import { checkOptions, checkText } from '../input';
import type { ConfigureOptions, SecurityLevel } from '../types';
import { useDatabase } from './database';
import { requireAvailable, unavailableReason } from './environment';
import { knownCanAuthenticate, probeAuthenticator } from './webauthn';

// The authenticator probe is asynchronous and canAuthenticate() is not, so the probe starts
// when the module loads and its answer is remembered.
void probeAuthenticator();

/**
 * Whether the key store can be used in this page: a secure context with IndexedDB and
 * WebCrypto, and no failure to open IndexedDB seen yet. Never throws. Unlike on native, no
 * {@link configure} call is needed.
 *
 * A private mode that refuses IndexedDB is only detected when the first call opens it: that
 * call rejects with `UNAVAILABLE`, and from then on this returns `false`. The reason is the
 * message of that rejection, and {@link getUnavailableReason}.
 */
export function isAvailable(): boolean {
  return unavailableReason() === undefined;
}

/**
 * Web only: why {@link isAvailable} is `false` (for example "the page is not a secure
 * context; ..."), or `undefined` when it is `true`. Not part of the native builds.
 */
export function getUnavailableReason(): string | undefined {
  return unavailableReason();
}

/**
 * Whether entries that require authentication can be created, as far as is known now. Never
 * throws, never prompts.
 *
 * @platform web WebAuthn answers asynchronously, so this reports the last answer: `false`
 * until the probe started when the library loads has finished (normally within milliseconds),
 * then whether the browser has a user-verifying platform authenticator and does not deny PRF
 * support. Each call also starts a new probe, whose answer the next call reports. After a set with `authentication: true` it reports what that attempt learnt. A
 * `true` is still a guess where the browser cannot tell about PRF before a credential exists:
 * the first such set can reject with `UNAVAILABLE`.
 */
export function canAuthenticate(): boolean {
  const known = knownCanAuthenticate();
  // Refreshes the answer for the next call (an authenticator can be added or removed).
  void probeAuthenticator();
  return unavailableReason() === undefined && known;
}

/**
 * The security level of the data keys created now.
 *
 * @platform web Always `SOFTWARE`: data keys are non-extractable WebCrypto keys in the
 * browser's profile, not in secure hardware. See docs/web.md for what that protects against.
 *
 * @throws {KeyStoreError} `UNAVAILABLE` when {@link isAvailable} is `false`.
 */
export function getSecurityLevel(): SecurityLevel {
  requireAvailable();
  return 'SOFTWARE';
}

/**
 * Optional on web: selects the key store by name. `options.directory` becomes the name of the
 * IndexedDB database (the default is `react-native-rust-keystore`), so two key stores on one
 * origin can be kept apart; calls already running finish on the previous one.
 *
 * @throws {KeyStoreError} `INVALID_INPUT` when `options` is not `{ directory: string }` or
 * the directory is empty or has a lone surrogate.
 */
export function configure(options: ConfigureOptions): void {
  const { directory } = checkOptions('options of configure', options, ['directory']);
  checkText('directory', directory);
  if (directory.length === 0) {
    throw invalidInput('the directory must not be empty');
  }
  useDatabase(directory);
}
