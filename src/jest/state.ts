// The state of the mock: in-memory stores and a simulated device and user. One per Jest module
// registry, so each test file starts with its own; `keyStoreMock.reset()` empties it.
import { ADVICE, AUTHENTICATION_UNAVAILABLE_ADVICE } from '../advice';
import { KeyStoreError } from '../errors';
import type { Prompt, SecurityLevel } from '../types';

/** What the simulated user does at a lock-screen prompt. */
export type MockAuthenticationOutcome = 'approve' | 'cancel' | 'fail' | 'invalidate';

/** One entry: its value and what `getMetadata` reports. */
export interface MockEntry {
  value: string;
  authentication: boolean;
  securityLevel: SecurityLevel;
  createdAt: number;
  updatedAt: number;
  /** For entries with authentication, the generation of the data key that sealed it. */
  dataKey: number;
}

/** A store: its entries in the order they were first set, and its authentication data key. */
export interface MockStore {
  entries: Map<string, MockEntry>;
  /** The generation of the current authentication data key; 0 before the first. */
  dataKey: number;
  /** Whether that data key was invalidated (biometrics changed, lock screen removed). */
  invalidated: boolean;
}

/** Everything the mock remembers. */
export interface MockState {
  stores: Map<string, MockStore>;
  outcomes: MockAuthenticationOutcome[];
  defaultOutcome: MockAuthenticationOutcome;
  prompts: Prompt[];
  /** Why entries with authentication cannot be created, or `undefined` with a lock screen. */
  noLockScreen: string | undefined;
  /** Whether the app behaves as if built without the native module (Expo Go). */
  nativeModuleMissing: boolean;
  securityLevel: SecurityLevel;
  directory: string | undefined;
}

function initialState(): MockState {
  return {
    stores: new Map(),
    outcomes: [],
    defaultOutcome: 'approve',
    prompts: [],
    noLockScreen: undefined,
    nativeModuleMissing: false,
    securityLevel: 'TRUSTED_ENVIRONMENT',
    directory: undefined,
  };
}

/** The mock's state, emptied in place by {@link resetState}. */
export const state: MockState = initialState();

/** Forgets every entry and every simulation. */
export function resetState(): void {
  Object.assign(state, initialState());
}

/** The store of `name`, created empty on first use. */
export function storeOf(name: string): MockStore {
  let store = state.stores.get(name);
  if (store === undefined) {
    store = { entries: new Map(), dataKey: 0, invalidated: false };
    state.stores.set(name, store);
  }
  return store;
}

/** Throws `UNAVAILABLE` as the real library does when its native module is missing. */
export function checkNativeModule(): void {
  if (state.nativeModuleMissing) {
    throw new KeyStoreError(
      'UNAVAILABLE',
      'the native module of react-native-rust-keystore could not be loaded (simulated by the ' +
        'Jest mock); it is not part of Expo Go, so use a development build, and rebuild the ' +
        'app after installing or upgrading the library',
    );
  }
}

/** The errors the mock raises, worded like the Rust core's messages and the API's advice. */
export const errors = {
  notFound: () =>
    new KeyStoreError(
      'NOT_FOUND',
      `no entry with this key exists in the store; ${ADVICE.NOT_FOUND}`,
    ),
  cancelled: () =>
    new KeyStoreError(
      'AUTHENTICATION_CANCELLED',
      'the user cancelled authentication; the entry is intact, ask again when they are ready',
    ),
  failed: () =>
    new KeyStoreError(
      'AUTHENTICATION_FAILED',
      `authentication failed: the simulated user failed; ${ADVICE.AUTHENTICATION_FAILED}`,
    ),
  invalidated: () =>
    new KeyStoreError(
      'KEY_INVALIDATED',
      'the data key protecting this entry was permanently invalidated by the platform (the ' +
        'enrolled biometrics changed or the lock screen was removed); the value cannot be ' +
        'recovered. Ask the user for it again and set it anew, which creates a fresh data key',
    ),
  noLockScreen: (reason: string) =>
    new KeyStoreError(
      'UNAVAILABLE',
      `the key store is unavailable: entries that require authentication cannot be created: ` +
        `${reason}; ${AUTHENTICATION_UNAVAILABLE_ADVICE}`,
    ),
};

/** Shows the prompt to the simulated user and returns their answer. */
export function answerPrompt(prompt: Prompt): MockAuthenticationOutcome {
  state.prompts.push({ ...prompt });
  return state.outcomes.shift() ?? state.defaultOutcome;
}
