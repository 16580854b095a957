// Every code of KeyStoreError that a Node process can reach, each through the public API, with
// the shape the contract promises: a real Error subclass, a stable code and a message that
// says what to do without revealing the value.
import { mkdirSync, openSync, readdirSync, rmSync, writeSync, closeSync } from 'node:fs';
import { join } from 'node:path';

import {
  KeyStoreError,
  KeyStoreErrorCode,
  clearStore,
  getValue,
  hasKey,
  listKeys,
  setValue,
} from '../index';
import {
  TestAuthOutcome,
  codeOf,
  freshKeystore,
  hostKeystore,
  rejectionOf,
  runInChild,
  tempDirectory,
  testingPushOutcome,
  testingSetAuthenticationUnavailable,
  testingSetPlatformFailure,
} from './harness';

const SECRET = 'correct horse battery staple';

/** The store files (`<store id>.kst`) in a host key store's directory. */
function storeFiles(directory: string): string[] {
  return readdirSync(join(directory, 'stores')).filter((name) => name.endsWith('.kst'));
}

describe('KeyStoreError', () => {
  it('is an Error subclass named KeyStoreError with a code and a stack', () => {
    const error = new KeyStoreError('STORAGE', 'could not write');

    expect(error).toBeInstanceOf(Error);
    expect(error).toBeInstanceOf(KeyStoreError);
    expect(error.name).toBe('KeyStoreError');
    expect(error.code).toBe('STORAGE');
    expect(error.status).toBeUndefined();
    expect(String(error)).toBe('KeyStoreError: could not write');
    expect(error.stack).toContain('KeyStoreError');
  });

  it('lists the nine stable codes, each spelled as its own name', () => {
    expect(Object.entries(KeyStoreErrorCode)).toEqual(
      [
        'NOT_FOUND',
        'INVALID_INPUT',
        'AUTHENTICATION_CANCELLED',
        'AUTHENTICATION_FAILED',
        'KEY_INVALIDATED',
        'UNAVAILABLE',
        'CORRUPTED',
        'STORAGE',
        'PLATFORM',
      ].map((code) => [code, code]),
    );
  });

  it('is recognised by KeyStoreError.is without instanceof, and other errors are not', () => {
    expect(KeyStoreError.is({ name: 'KeyStoreError', code: 'NOT_FOUND' })).toBe(true);
    expect(KeyStoreError.is({ name: 'KeyStoreError', code: 'SOMETHING_ELSE' })).toBe(false);
    expect(KeyStoreError.is(new TypeError('x'))).toBe(false);
    expect(KeyStoreError.is(undefined)).toBe(false);
  });
});

describe('each code reachable from Node', () => {
  it('NOT_FOUND: reading a key that was never set', async () => {
    freshKeystore();

    const error = await rejectionOf(() => getValue('session', 'missing'));

    expect(error.code).toBe('NOT_FOUND');
  });

  it('INVALID_INPUT: a key over 1024 bytes, with the limit in the message', async () => {
    freshKeystore();

    const error = await rejectionOf(() => setValue('session', 'k'.repeat(1025), SECRET));

    expect(error.code).toBe('INVALID_INPUT');
    expect(error.message).toContain('1 to 1024 bytes');
  });

  it.each([
    [TestAuthOutcome.Cancel, 'AUTHENTICATION_CANCELLED', 'ask again'],
    [TestAuthOutcome.Fail, 'AUTHENTICATION_FAILED', 'try again later'],
    [TestAuthOutcome.Invalidate, 'KEY_INVALIDATED', 'set it anew'],
  ])('%s at the prompt rejects with %s, saying "%s"', async (outcome, code, advice) => {
    freshKeystore();
    await setValue('session', 'token', SECRET, { authentication: true });
    testingPushOutcome(outcome);

    const error = await rejectionOf(() => getValue('session', 'token'));

    expect(error.code).toBe(code);
    expect(error.message).toContain(advice);
  });

  it('UNAVAILABLE: an authentication entry on a device without a secure lock screen', async () => {
    freshKeystore();
    testingSetAuthenticationUnavailable('no passcode is set');

    const error = await rejectionOf(() =>
      setValue('session', 'token', SECRET, { authentication: true }),
    );

    expect(error.code).toBe('UNAVAILABLE');
    expect(error.message).toContain('no passcode is set');
    expect(await hasKey('session', 'token')).toBe(false);
  });

  it('UNAVAILABLE: any call before configure, saying to call configure', () => {
    // A fresh process: this one is configured by the other tests.
    const [available, read, level] = runInChild({
      steps: [
        { op: 'isAvailable' },
        { op: 'get', store: 'session', key: 'token', expected: '' },
        { op: 'getSecurityLevel' },
      ],
    });

    expect(available).toEqual({ ok: true, result: false });
    expect(read).toMatchObject({ ok: false, code: 'UNAVAILABLE' });
    expect(read).toMatchObject({
      message: expect.stringContaining('configure({ directory })') as unknown,
    });
    expect(level).toMatchObject({ ok: false, code: 'UNAVAILABLE' });
  });

  it('CORRUPTED: a store whose file header was damaged, until the store is cleared', async () => {
    const directory = hostKeystore();
    await setValue('session', 'token', SECRET);
    const [file] = storeFiles(directory);
    const fd = openSync(join(directory, 'stores', file), 'r+');
    writeSync(fd, Buffer.from('DAMAGED!'), 0, 8, 0);
    closeSync(fd);
    hostKeystore(directory); // reopen, as after a restart

    const error = await rejectionOf(() => getValue('session', 'token'));

    expect(error.code).toBe('CORRUPTED');
    expect(error.message).toContain('clear the store');
    expect(await codeOf(() => setValue('session', 'other', SECRET))).toBe('CORRUPTED');
    await clearStore('session');
    await setValue('session', 'token', SECRET);
    expect(await getValue('session', 'token')).toBe(SECRET);
  });

  it('STORAGE: a directory where the store file should be, until it is moved away', async () => {
    // The store file's name depends only on the store name: learn it in one directory...
    const probe = hostKeystore();
    await setValue('session', 'token', SECRET);
    const [file] = storeFiles(probe);
    // ...and block it in another.
    const directory = tempDirectory();
    mkdirSync(join(directory, 'stores', file), { recursive: true });
    hostKeystore(directory);

    const error = await rejectionOf(() => setValue('session', 'token', SECRET));

    expect(error.code).toBe('STORAGE');
    expect(error.message).toMatch(/^storage failed: could not /);
    rmSync(join(directory, 'stores', file), { recursive: true });
    await setValue('session', 'token', SECRET);
    expect(await listKeys('session')).toEqual(['token']);
  });

  it('PLATFORM: a platform key store failure, with its numeric status', async () => {
    freshKeystore();
    testingSetPlatformFailure(-25293n);

    const error = await rejectionOf(() => setValue('session', 'token', SECRET));

    expect(error.code).toBe('PLATFORM');
    expect(error.status).toBe(-25293);
    expect(error.message).toContain('status -25293');
    expect(error.message).toContain('report the status');
    testingSetPlatformFailure(undefined);
    await setValue('session', 'token', SECRET);
    expect(await getValue('session', 'token')).toBe(SECRET);
  });

  it('never puts the value into a message', async () => {
    freshKeystore();
    await setValue('session', 'token', SECRET, { authentication: true });
    const messages: string[] = [];
    for (const outcome of [TestAuthOutcome.Cancel, TestAuthOutcome.Fail]) {
      testingPushOutcome(outcome);
      messages.push((await rejectionOf(() => getValue('session', 'token'))).message);
    }
    messages.push(
      (await rejectionOf(() => setValue('session', 'token', SECRET + 'x'.repeat(1 << 20)))).message,
    );

    for (const message of messages) expect(message).not.toContain(SECRET);
  });
});
