// What to do after an error, for the codes whose message from the core states only what
// happened. Shared by the native build (nativeErrors.ts) and the Jest mock (jest/), so both
// word their messages alike; this module imports nothing.
import type { KeyStoreErrorCode } from './errors';

/** What to do, per code, appended to the core's message. */
export type Advice = Partial<Record<KeyStoreErrorCode, string>>;

/** The advice for every call. */
export const ADVICE: Advice = {
  NOT_FOUND: 'set the entry first, or treat it as absent',
  AUTHENTICATION_FAILED: 'let the user try again later, or offer another way to sign in',
  PLATFORM: 'retry later, and report the status if it persists',
};

/** The advice for `UNAVAILABLE` when `setValue` cannot create an entry with authentication. */
export const AUTHENTICATION_UNAVAILABLE_ADVICE =
  "check canAuthenticate() first, or set the entry without authentication if the app's policy " +
  'allows it';
