// One behaviour suite for every implementation of the public API: the real library (through
// the N-API build and its testing hooks) and the Jest mock shipped to apps. Each runs it from
// its own test file, so a behaviour that changes in one and not the other fails a test.
import { describeAuthentication } from './authentication';
import { describeEntries } from './entries';
import { describeInput } from './input';
import type { BehaviourHooks, KeyStoreApi } from './api';

export type { BehaviourHooks, KeyStoreApi, Outcome } from './api';

/** Declares the whole behaviour suite for `api`, driven through `hooks`. */
export function describeKeyStoreBehaviour(
  name: string,
  api: KeyStoreApi,
  hooks: BehaviourHooks,
): void {
  describe(`the key store behaviour of ${name}`, () => {
    describeEntries(api, hooks);
    describeAuthentication(api, hooks);
    describeInput(api, hooks);
  });
}
