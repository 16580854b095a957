import { nativeBindings } from './nativeErrors';

/**
 * Whether entries that require authentication (`setValue(..., { authentication: true })`)
 * can be created now. Never throws; `false` before {@link configure}.
 *
 * @platform ios `true` when a passcode is set (biometrics are optional): the Keychain can then
 * create items that require the user's presence.
 * @platform android `true` when a secure lock screen (PIN, pattern or password) is set;
 * biometrics are optional. Removing the lock screen later invalidates such entries.
 * @platform node, desktop Always `false`: the host protector has no lock screen to prompt the
 * user with.
 * @platform web The last answer of an asynchronous WebAuthn probe (a user-verifying platform
 * authenticator, PRF not denied), started when the library loads and again at each call:
 * `false` until the first probe has finished.
 */
export function canAuthenticate(): boolean {
  try {
    return nativeBindings().canAuthenticate();
  } catch {
    return false;
  }
}
