// The shared behaviour suite against the real library: the N-API build of the Rust core, with
// the testing hooks playing the device and the user.
import * as api from '../index';
import { describeKeyStoreBehaviour, type Outcome } from './behaviour';
import {
  TestAuthOutcome,
  freshKeystore,
  testingPromptCount,
  testingPushOutcome,
  testingSetAuthenticationUnavailable,
  testingSetDefaultOutcome,
} from './harness';

const OUTCOMES: Record<Outcome, TestAuthOutcome> = {
  approve: TestAuthOutcome.Approve,
  cancel: TestAuthOutcome.Cancel,
  fail: TestAuthOutcome.Fail,
  invalidate: TestAuthOutcome.Invalidate,
};

describeKeyStoreBehaviour('the Rust library', api, {
  fresh: () => {
    freshKeystore();
  },
  queueOutcome: (outcome) => testingPushOutcome(OUTCOMES[outcome]),
  setDefaultOutcome: (outcome) => testingSetDefaultOutcome(OUTCOMES[outcome]),
  promptCount: () => testingPromptCount(),
  setNoLockScreen: (reason) => testingSetAuthenticationUnavailable(reason),
});
