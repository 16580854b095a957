// The flow of the reference key store plugin (CheckKeyStorePlugin, SetValue, GetValue,
// RemoveKey, each checked for Success or an error), written as an app would write it with
// this API: a `false` Success is a rejection whose code says why.
import {
  KeyStoreError,
  KeyStoreErrorCode,
  getValue,
  isAvailable,
  removeKey,
  setValue,
} from '../index';
import { freshKeystore, hostKeystore } from './harness';

type Outcome<T> = { success: true; value: T } | { success: false; code: KeyStoreErrorCode };

/** The reference plugin's Success flag, with the error code when it is false. */
async function outcomeOf<T>(call: () => Promise<T>): Promise<Outcome<T>> {
  try {
    return { success: true, value: await call() };
  } catch (error) {
    if (!KeyStoreError.is(error)) throw error;
    return { success: false, code: error.code };
  }
}

describe.each([
  ['the scripted test protector', () => freshKeystore()],
  ['the host protector', () => hostKeystore()],
])('the reference plugin flow with %s', (_name, setUp) => {
  beforeEach(() => {
    setUp();
  });

  it('checks availability, sets, gets and removes a secret, then reports it missing', async () => {
    expect(isAvailable()).toBe(true);

    expect(await outcomeOf(() => setValue('session', 'token', 's3cr3t'))).toEqual({
      success: true,
      value: undefined,
    });
    expect(await outcomeOf(() => getValue('session', 'token'))).toEqual({
      success: true,
      value: 's3cr3t',
    });
    expect(await outcomeOf(() => removeKey('session', 'token'))).toEqual({
      success: true,
      value: undefined,
    });
    expect(await outcomeOf(() => getValue('session', 'token'))).toEqual({
      success: false,
      code: KeyStoreErrorCode.NOT_FOUND,
    });
  });

  it('replaces the value of a key that is set again', async () => {
    await setValue('session', 'token', 'first');
    await setValue('session', 'token', 'second');

    expect(await getValue('session', 'token')).toBe('second');
  });

  it('succeeds when removing a key that was never set, and when removing it twice', async () => {
    await setValue('session', 'token', 's3cr3t');

    await expect(removeKey('session', 'never-set')).resolves.toBeUndefined();
    await expect(removeKey('session', 'token')).resolves.toBeUndefined();
    await expect(removeKey('session', 'token')).resolves.toBeUndefined();
    await expect(removeKey('never-used-store', 'token')).resolves.toBeUndefined();
  });

  it('keeps stores apart: the same key in two stores holds two values', async () => {
    await setValue('alice', 'token', 'a');
    await setValue('bob', 'token', 'b');
    await removeKey('alice', 'token');

    expect((await outcomeOf(() => getValue('alice', 'token'))).success).toBe(false);
    expect(await getValue('bob', 'token')).toBe('b');
  });

  it('handles a missing key with a message that says what to do', async () => {
    const outcome = await getValue('session', 'missing').catch((error: unknown) => error);

    expect(outcome).toBeInstanceOf(KeyStoreError);
    expect(outcome).toMatchObject({
      name: 'KeyStoreError',
      code: 'NOT_FOUND',
      message: expect.stringContaining('set the entry first') as unknown,
    });
  });
});
