// What a test does to the simulated device and user of the mock.
import type { Prompt } from '../types';
import { resetState, state, type MockAuthenticationOutcome } from './state';

/** Controls of the in-memory key store that `react-native-rust-keystore/jest` provides. */
export const keyStoreMock = {
  /**
   * Forgets every entry and every simulation below: a lock screen is set, the user approves
   * every prompt, and the native module is present. Call it in `beforeEach`.
   */
  reset(): void {
    resetState();
  },

  /**
   * Queues the simulated user's answers to the next prompts, in order: `'approve'`,
   * `'cancel'` (`AUTHENTICATION_CANCELLED`), `'fail'` (`AUTHENTICATION_FAILED`) or
   * `'invalidate'` (the platform reports the data key invalidated: `KEY_INVALIDATED` for this
   * and every later read of the store's entries with authentication, until they are set again).
   */
  queueAuthentication(...outcomes: MockAuthenticationOutcome[]): void {
    state.outcomes.push(...outcomes);
  },

  /** The answer to prompts once the queue is empty; `'approve'` after a reset. */
  setDefaultAuthentication(outcome: MockAuthenticationOutcome): void {
    state.defaultOutcome = outcome;
  },

  /** The prompts shown since the last reset, oldest first, with the texts the app passed. */
  prompts(): Prompt[] {
    return state.prompts.map((prompt) => ({ ...prompt }));
  },

  /**
   * Invalidates the data keys of entries with authentication, as when the user enrols new
   * biometrics or removes the lock screen: reading them rejects with `KEY_INVALIDATED`, without
   * a prompt, until they are set again. Only `store` when given, else every store.
   */
  invalidateKeys(store?: string): void {
    for (const [name, entries] of state.stores) {
      if (store === undefined || name === store) entries.invalidated = true;
    }
  },

  /**
   * Simulates a device without a secure lock screen (`present: false`): `canAuthenticate()`
   * is `false` and `setValue(..., { authentication: true })` rejects with `UNAVAILABLE`
   * (`reason` goes into its message). `present: true` sets the lock screen again.
   */
  setLockScreen(present: boolean, reason = 'no secure lock screen is set on this device'): void {
    state.noLockScreen = present ? undefined : reason;
  },

  /**
   * Simulates an app built without the native module (Expo Go, no rebuild after installing):
   * `isAvailable()` and `canAuthenticate()` are `false`, calls reject (or, for the synchronous
   * ones, throw) `UNAVAILABLE`. Entries set before stay for when it is present again.
   */
  setNativeModuleMissing(missing: boolean): void {
    state.nativeModuleMissing = missing;
  },
};
