// Entries that require authentication, with the scripted user of the testing hooks standing in
// for the platform's lock screen.
import { getMetadata, getValue, hasKey, listKeys, removeKey, setValue } from '../index';
import {
  TestAuthOutcome,
  codeOf,
  freshKeystore,
  testingPromptCount,
  testingPushOutcome,
  testingSetDefaultOutcome,
} from './harness';

const prompt = { title: 'Unlock your account', subtitle: 'To sign you in', cancel: 'Not now' };

describe('an entry that requires authentication', () => {
  beforeEach(async () => {
    freshKeystore();
    await setValue('session', 'token', 's3cr3t', { authentication: true });
  });

  it('is set without prompting', () => {
    expect(testingPromptCount()).toBe(0);
  });

  it('reads back when the user approves, prompting once per read', async () => {
    testingPushOutcome(TestAuthOutcome.Approve);

    expect(await getValue('session', 'token', { prompt })).toBe('s3cr3t');
    expect(await getValue('session', 'token')).toBe('s3cr3t');
    expect(testingPromptCount()).toBe(2);
  });

  it('rejects with AUTHENTICATION_CANCELLED when the user cancels, and stays readable', async () => {
    testingPushOutcome(TestAuthOutcome.Cancel);

    expect(await codeOf(() => getValue('session', 'token', { prompt }))).toBe(
      'AUTHENTICATION_CANCELLED',
    );
    expect(await getValue('session', 'token', { prompt })).toBe('s3cr3t');
  });

  it('rejects with AUTHENTICATION_FAILED when the user fails, and stays readable', async () => {
    testingPushOutcome(TestAuthOutcome.Fail);

    expect(await codeOf(() => getValue('session', 'token', { prompt }))).toBe(
      'AUTHENTICATION_FAILED',
    );
    expect(await getValue('session', 'token', { prompt })).toBe('s3cr3t');
  });

  it('rejects with KEY_INVALIDATED for good once its data key is invalidated', async () => {
    testingPushOutcome(TestAuthOutcome.Invalidate);

    expect(await codeOf(() => getValue('session', 'token', { prompt }))).toBe('KEY_INVALIDATED');
    expect(await codeOf(() => getValue('session', 'token', { prompt }))).toBe('KEY_INVALIDATED');
  });

  it('can be set anew after KEY_INVALIDATED, under a fresh data key', async () => {
    testingPushOutcome(TestAuthOutcome.Invalidate);
    await codeOf(() => getValue('session', 'token', { prompt }));

    await setValue('session', 'token', 'n3w', { authentication: true });

    expect(await getValue('session', 'token', { prompt })).toBe('n3w');
  });

  it('is listed, checked, described and removed without prompting', async () => {
    testingSetDefaultOutcome(TestAuthOutcome.Cancel);

    expect(await hasKey('session', 'token')).toBe(true);
    expect(await listKeys('session')).toEqual(['token']);
    expect(await getMetadata('session', 'token')).toMatchObject({ authentication: true });
    await removeKey('session', 'token');
    expect(await hasKey('session', 'token')).toBe(false);
    expect(testingPromptCount()).toBe(0);
  });

  it('does not affect entries of the same store that do not require it', async () => {
    await setValue('session', 'plain', 'visible');
    testingSetDefaultOutcome(TestAuthOutcome.Cancel);

    expect(await getValue('session', 'plain', { prompt })).toBe('visible');
    expect(testingPromptCount()).toBe(0);
  });
});
