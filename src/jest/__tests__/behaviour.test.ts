// The shared behaviour suite against the Jest mock, exactly as against the real library.
import { describeKeyStoreBehaviour } from '../../__tests__/behaviour';
import * as mock from '../index';

const { keyStoreMock } = mock;

describeKeyStoreBehaviour('the Jest mock', mock, {
  fresh: () => keyStoreMock.reset(),
  queueOutcome: (outcome) => keyStoreMock.queueAuthentication(outcome),
  setDefaultOutcome: (outcome) => keyStoreMock.setDefaultAuthentication(outcome),
  promptCount: () => keyStoreMock.prompts().length,
  setNoLockScreen: (reason) =>
    reason === undefined
      ? keyStoreMock.setLockScreen(true)
      : keyStoreMock.setLockScreen(false, reason),
});
