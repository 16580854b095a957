// The mock as an app's test uses it: swapped in for the package with jest.mock, driven through
// keyStoreMock, and reset between tests.
import {
  KeyStoreError,
  canAuthenticate,
  configure,
  getSecurityLevel,
  getValue,
  isAvailable,
  listKeys,
  setValue,
} from 'react-native-rust-keystore';
import { keyStoreMock } from 'react-native-rust-keystore/jest';

jest.mock('react-native-rust-keystore', () =>
  jest.requireActual<object>('react-native-rust-keystore/jest'),
);

/** What `promise` rejects with, or `undefined` when it resolves. */
async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => undefined,
    (error: unknown) => error,
  );
}

beforeEach(() => {
  keyStoreMock.reset();
});

describe('the Jest mock in an app', () => {
  it('replaces the package, sharing its state with keyStoreMock', async () => {
    await setValue('session', 'token', 's3cr3t', { authentication: true });
    keyStoreMock.queueAuthentication('cancel');

    const error = await rejection(getValue('session', 'token', { prompt: { title: 'Unlock' } }));

    expect(KeyStoreError.is(error)).toBe(true);
    expect(error).toMatchObject({ code: 'AUTHENTICATION_CANCELLED' });
    expect(keyStoreMock.prompts()).toEqual([{ title: 'Unlock' }]);
  });

  it('starts empty after a reset, with a lock screen and an approving user', async () => {
    await setValue('session', 'token', 'v');
    keyStoreMock.setLockScreen(false);
    keyStoreMock.setDefaultAuthentication('fail');

    keyStoreMock.reset();

    expect(await listKeys('session')).toEqual([]);
    expect(canAuthenticate()).toBe(true);
    await setValue('session', 'token', 'v', { authentication: true });
    expect(await getValue('session', 'token')).toBe('v');
    expect(keyStoreMock.prompts()).toHaveLength(1);
  });

  it('is ready without configure, and accepts configure as an app calls it', () => {
    expect(isAvailable()).toBe(true);
    expect(getSecurityLevel()).toBe('TRUSTED_ENVIRONMENT');
    expect(() => configure({ directory: '/data/app/keystore' })).not.toThrow();
  });

  it('invalidates the keys of entries with authentication, which then read without a prompt', async () => {
    await setValue('session', 'token', 'v', { authentication: true });
    await setValue('session', 'plain', 'p');
    await setValue('other', 'token', 'o', { authentication: true });

    keyStoreMock.invalidateKeys('session');

    expect(await rejection(getValue('session', 'token'))).toMatchObject({
      code: 'KEY_INVALIDATED',
    });
    expect(keyStoreMock.prompts()).toHaveLength(0);
    expect(await getValue('session', 'plain')).toBe('p');
    expect(await getValue('other', 'token')).toBe('o');
  });

  it('simulates an app without the native module, as in Expo Go', async () => {
    await setValue('session', 'token', 'v');
    keyStoreMock.setNativeModuleMissing(true);

    expect(isAvailable()).toBe(false);
    expect(canAuthenticate()).toBe(false);
    expect(await rejection(getValue('session', 'token'))).toMatchObject({
      code: 'UNAVAILABLE',
      message: expect.stringContaining('Expo Go') as unknown,
    });
    expect(() => getSecurityLevel()).toThrow(/Expo Go/);

    keyStoreMock.setNativeModuleMissing(false);
    expect(await getValue('session', 'token')).toBe('v');
  });

  it('has the same exports as the package', () => {
    const real = jest.requireActual<object>('../../index');
    const mock = jest.requireActual<object>('../index');

    expect(Object.keys(mock).sort()).toEqual([...Object.keys(real), 'keyStoreMock'].sort());
  });
});
