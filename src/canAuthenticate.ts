import { nativeBindings } from './nativeErrors';

/**
 * Whether entries that require authentication (`setValue(..., { authentication: true })`)
 * can be created now. Never throws; `false` before {@link configure}.
 *
 * @platform ios, android Will be `true` when the device has a secure lock screen (passcode,
 * and optionally biometrics) set. Today every build uses the host protector: always `false`.
 * @platform node, desktop Always `false`: the host protector has no lock screen to prompt the
 * user with.
 */
export function canAuthenticate(): boolean {
  try {
    return nativeBindings().canAuthenticate();
  } catch {
    return false;
  }
}
