// The host protector, which Node gets from `configure({ directory })`: what an app on a
// desktop or server sees, including reopening its directory in another process.
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

import {
  canAuthenticate,
  getMetadata,
  getSecurityLevel,
  getValue,
  hasKey,
  isAvailable,
  listKeys,
  setValue,
} from '../index';
import { codeOf, hostKeystore, rejectionOf, runInChild, tempDirectory } from './harness';

describe('the host protector', () => {
  let directory: string;

  beforeEach(() => {
    directory = hostKeystore();
  });

  it('is available, with software protection and no way to authenticate', async () => {
    await setValue('session', 'token', 's3cr3t');

    expect(isAvailable()).toBe(true);
    expect(getSecurityLevel()).toBe('SOFTWARE');
    expect(canAuthenticate()).toBe(false);
    expect(await getMetadata('session', 'token')).toMatchObject({
      authentication: false,
      securityLevel: 'SOFTWARE',
    });
  });

  it('keeps its data keys in files only their owner can read', async () => {
    await setValue('session', 'token', 's3cr3t');

    const keys = readdirSync(join(directory, 'keys'));
    expect(keys.length).toBeGreaterThan(0);
    for (const name of keys) {
      expect(statSync(join(directory, 'keys', name)).mode & 0o077).toBe(0);
    }
  });

  it('refuses authentication: true with UNAVAILABLE and stores nothing', async () => {
    const error = await rejectionOf(() =>
      setValue('session', 'token', 's3cr3t', { authentication: true }),
    );

    expect(error.code).toBe('UNAVAILABLE');
    expect(error.message).toContain('no lock screen');
    expect(await codeOf(() => getValue('session', 'token'))).toBe('NOT_FOUND');
    expect(await hasKey('session', 'token')).toBe(false);
    expect(await listKeys('session')).toEqual([]);
  });

  it('keeps the previous value when authentication: true is refused for an existing key', async () => {
    await setValue('session', 'token', 'plain');

    expect(
      await codeOf(() => setValue('session', 'token', 'guarded', { authentication: true })),
    ).toBe('UNAVAILABLE');
    expect(await getValue('session', 'token')).toBe('plain');
  });
});

describe('a key store directory shared across processes', () => {
  it('reads in this process what a child process wrote and exited', async () => {
    const directory = tempDirectory();
    const results = runInChild({
      directory,
      steps: [
        { op: 'set', store: 'session', key: 'token', value: 'written by the child' },
        { op: 'set', store: 'prefs', key: '🔑', value: 'ünïcödé' },
      ],
    });
    expect(results).toEqual([{ ok: true }, { ok: true }]);

    hostKeystore(directory);

    expect(await getValue('session', 'token')).toBe('written by the child');
    expect(await getValue('prefs', '🔑')).toBe('ünïcödé');
  });

  it('lets a child process read what this process wrote', async () => {
    const directory = hostKeystore();
    await setValue('session', 'token', 'written by the parent');

    const results = runInChild({
      directory,
      steps: [
        { op: 'get', store: 'session', key: 'token', expected: 'written by the parent' },
        { op: 'get', store: 'session', key: 'missing', expected: '' },
      ],
    });

    expect(results[0]).toEqual({ ok: true, matches: true });
    expect(results[1]).toMatchObject({ ok: false, code: 'NOT_FOUND' });
  });
});
