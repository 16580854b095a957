// The public types of the API, shared by the native and web builds; this module imports
// nothing, so the web build does not reach the bindings through it.

/**
 * Where the key guarding a store's data key lives, weakest first.
 *
 * @platform ios The Keychain reports `TRUSTED_ENVIRONMENT` on a device and `SOFTWARE` on the
 * simulator.
 * @platform android What the Android Keystore reports for the key: `STRONGBOX` (a discrete
 * secure element), `TRUSTED_ENVIRONMENT` (the TEE), or `SOFTWARE` (emulators without one).
 * @platform node, desktop `SOFTWARE`: key files readable by the user who owns the directory.
 * @platform web `SOFTWARE`: non-extractable WebCrypto keys in the browser's IndexedDB, which
 * script in the page can use but not export (docs/web.md).
 */
export const SecurityLevel = {
  /** A file readable by its owner; anyone who can read the owner's files can read the keys. */
  SOFTWARE: 'SOFTWARE',
  /** A trusted execution environment isolated from the operating system. */
  TRUSTED_ENVIRONMENT: 'TRUSTED_ENVIRONMENT',
  /** A discrete secure element (Android StrongBox). */
  STRONGBOX: 'STRONGBOX',
} as const;

/** One of the strings of {@link SecurityLevel}. */
export type SecurityLevel = (typeof SecurityLevel)[keyof typeof SecurityLevel];

/** Options of {@link setValue}. */
export interface SetOptions {
  /**
   * Require the user to pass the device's lock screen (biometrics or passcode) each time the
   * entry is read. Default `false`. The value is encrypted either way. Setting never prompts,
   * except on Android the first time a store gets such an entry and on the web (see
   * {@link setValue}).
   */
  authentication?: boolean;
}

/**
 * The texts of the lock-screen prompt shown when reading an entry that requires
 * authentication. A missing text uses the platform's default.
 */
export interface Prompt {
  /** The prompt's title, for example "Unlock your account". */
  title?: string;
  /** A line under the title saying why the app asks. */
  subtitle?: string;
  /** The label of the button that dismisses the prompt. */
  cancel?: string;
}

/** Options of {@link getValue}. */
export interface GetOptions {
  /** The prompt to show if the entry requires authentication; ignored otherwise. */
  prompt?: Prompt;
}

/** Options of {@link configure}. */
export interface ConfigureOptions {
  /**
   * The directory to keep the key store in, created if missing (mode `0700`): store files go
   * in `<directory>/stores`, the host protector's key files (Node and desktops) in
   * `<directory>/keys`. Use an
   * absolute path the app alone can read; a relative one is resolved against the working
   * directory of the process.
   */
  directory: string;
}

/** What is known about an entry without reading its value. Reading it never prompts. */
export interface EntryMetadata {
  /** Whether reading the entry requires the user to authenticate. */
  authentication: boolean;
  /** The security level of the data key protecting the entry. */
  securityLevel: SecurityLevel;
  /** When the key was first set (a fresh `Date`, millisecond precision). */
  createdAt: Date;
  /** When the value was last set (a fresh `Date`, millisecond precision). */
  updatedAt: Date;
}
