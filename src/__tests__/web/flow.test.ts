// The web build through its public API, as an app uses it: the reference plugin's flow,
// overwrites, stores kept apart, listing, metadata and clearing.
import {
  KeyStoreErrorCode,
  clearStore,
  configure,
  getMetadata,
  getSecurityLevel,
  getValue,
  hasKey,
  isAvailable,
  listKeys,
  removeKey,
  setValue,
} from '../../index.web';
import { codeOf, freshBrowser } from './setup';

beforeEach(() => {
  configure({ directory: freshBrowser() });
});

describe('the web build', () => {
  it('checks availability, sets, gets and removes a secret, then reports it missing', async () => {
    expect(isAvailable()).toBe(true);

    await setValue('session', 'token', 's3cr3t');
    expect(await getValue('session', 'token')).toBe('s3cr3t');
    await removeKey('session', 'token');

    expect(await codeOf(() => getValue('session', 'token'))).toBe(KeyStoreErrorCode.NOT_FOUND);
  });

  it('replaces a value and keeps its creation time', async () => {
    await setValue('session', 'token', 'first');
    const before = await getMetadata('session', 'token');
    await setValue('session', 'token', 'second');
    const after = await getMetadata('session', 'token');

    expect(await getValue('session', 'token')).toBe('second');
    expect(after.createdAt).toEqual(before.createdAt);
    expect(after.updatedAt.getTime()).toBeGreaterThanOrEqual(before.updatedAt.getTime());
  });

  it('keeps stores apart and lists keys in the order they were first set', async () => {
    await setValue('alice', 'b', '1');
    await setValue('alice', 'a', '2');
    await setValue('bob', 'c', '3');
    await setValue('alice', 'b', '4');

    expect(await listKeys('alice')).toEqual(['b', 'a']);
    expect(await listKeys('bob')).toEqual(['c']);
    expect(await listKeys('never-used')).toEqual([]);
  });

  it('reads back any Unicode text exactly, including NUL and emoji', async () => {
    const text = 'a\u0000b \u{1F511} \u05E9\u05DC\u05D5\u05DD e\u0301';
    await setValue(text, text, text);

    expect(await getValue(text, text)).toBe(text);
    expect(await listKeys(text)).toEqual([text]);
  });

  it('reports presence and metadata without prompting', async () => {
    await setValue('session', 'token', 'v');

    expect(await hasKey('session', 'token')).toBe(true);
    expect(await hasKey('session', 'other')).toBe(false);
    expect(await getMetadata('session', 'token')).toMatchObject({
      authentication: false,
      securityLevel: 'SOFTWARE',
    });
    expect(getSecurityLevel()).toBe('SOFTWARE');
  });

  it('clears a store, after which its entries are gone and it can be used again', async () => {
    await setValue('session', 'a', '1');
    await setValue('other', 'a', '2');
    await clearStore('session');

    expect(await codeOf(() => getValue('session', 'a'))).toBe('NOT_FOUND');
    expect(await listKeys('session')).toEqual([]);
    expect(await getValue('other', 'a')).toBe('2');
    await setValue('session', 'a', '3');
    expect(await getValue('session', 'a')).toBe('3');
  });

  it('succeeds when removing a key that was never set, twice, or in an unused store', async () => {
    await expect(removeKey('never-used', 'token')).resolves.toBeUndefined();
    await setValue('session', 'token', 'v');
    await removeKey('session', 'token');
    await expect(removeKey('session', 'token')).resolves.toBeUndefined();
  });

  it('keeps every write when many run at once', async () => {
    const keys = Array.from({ length: 20 }, (_, i) => `key-${i}`);
    await Promise.all(keys.map((key) => setValue('session', key, `value of ${key}`)));

    expect((await listKeys('session')).sort()).toEqual([...keys].sort());
    for (const key of keys) expect(await getValue('session', key)).toBe(`value of ${key}`);
  });
});
