// What the behaviour suite is given: an implementation of the public API and the hooks that
// play the device and the user for it.
import type * as Index from '../../index';
import type { KeyStoreError } from '../../index';

/** The public API, as `react-native-rust-keystore` exports it. */
export type KeyStoreApi = typeof Index;

/** What the simulated user does at a lock-screen prompt. */
export type Outcome = 'approve' | 'cancel' | 'fail' | 'invalidate';

/** How the suite drives an implementation. */
export interface BehaviourHooks {
  /** An empty key store, ready, on a device with a lock screen whose user approves. */
  fresh(): void;
  /** Queues the user's answer to the next prompt. */
  queueOutcome(outcome: Outcome): void;
  /** The user's answer once the queue is empty. */
  setDefaultOutcome(outcome: Outcome): void;
  /** How many prompts were shown since `fresh`. */
  promptCount(): number;
  /** A device without a lock screen (`reason`), or with one (`undefined`). */
  setNoLockScreen(reason: string | undefined): void;
}

/**
 * What `call` rejects with, checked to be a KeyStoreError of `api`. Fails when `call` throws
 * synchronously instead of returning a promise, or when the promise resolves.
 */
export async function rejectionOf(
  api: KeyStoreApi,
  call: () => Promise<unknown>,
): Promise<KeyStoreError> {
  let promise: Promise<unknown>;
  try {
    promise = call();
  } catch (error) {
    throw new Error('the call threw synchronously instead of rejecting', { cause: error });
  }
  const outcome = await promise.then(
    () => ({ resolved: true as const }),
    (error: unknown) => ({ resolved: false as const, error }),
  );
  if (outcome.resolved) throw new Error('the call resolved; it was expected to reject');

  expect(outcome.error).toBeInstanceOf(Error);
  expect(api.KeyStoreError.is(outcome.error)).toBe(true);
  return outcome.error as KeyStoreError;
}
