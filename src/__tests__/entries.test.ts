// The functions around entries: existence, listing, metadata and clearing a store.
import { clearStore, getMetadata, getValue, hasKey, listKeys, removeKey, setValue } from '../index';
import { codeOf, freshKeystore } from './harness';

describe('entries', () => {
  beforeEach(() => {
    freshKeystore();
  });

  it('reports whether a key is set', async () => {
    expect(await hasKey('session', 'token')).toBe(false);
    await setValue('session', 'token', 'v');
    expect(await hasKey('session', 'token')).toBe(true);
    await removeKey('session', 'token');
    expect(await hasKey('session', 'token')).toBe(false);
  });

  it('lists keys in the order they were first set, and an unused store as empty', async () => {
    await setValue('session', 'b', '1');
    await setValue('session', 'a', '2');
    await setValue('session', 'b', '3');

    expect(await listKeys('session')).toEqual(['b', 'a']);
    expect(await listKeys('unused')).toEqual([]);
  });

  it('describes an entry with dates of creation and of the last set', async () => {
    const before = Date.now();
    await setValue('session', 'token', 'first');
    const created = await getMetadata('session', 'token');
    await setValue('session', 'token', 'second');
    const updated = await getMetadata('session', 'token');

    expect(created).toEqual({
      authentication: false,
      securityLevel: 'TRUSTED_ENVIRONMENT',
      createdAt: expect.any(Date) as unknown,
      updatedAt: expect.any(Date) as unknown,
    });
    expect(created.createdAt.getTime()).toBeGreaterThanOrEqual(before - 1000);
    expect(updated.createdAt.getTime()).toBe(created.createdAt.getTime());
    expect(updated.updatedAt.getTime()).toBeGreaterThanOrEqual(created.updatedAt.getTime());
  });

  it('rejects metadata of a missing key with NOT_FOUND', async () => {
    expect(await codeOf(() => getMetadata('session', 'missing'))).toBe('NOT_FOUND');
  });

  it('clears every entry of one store and leaves the others', async () => {
    await setValue('session', 'a', '1');
    await setValue('session', 'b', '2');
    await setValue('prefs', 'a', '3');

    await clearStore('session');

    expect(await listKeys('session')).toEqual([]);
    expect(await codeOf(() => getValue('session', 'a'))).toBe('NOT_FOUND');
    expect(await getValue('prefs', 'a')).toBe('3');
    await setValue('session', 'a', 'again');
    expect(await getValue('session', 'a')).toBe('again');
    await expect(clearStore('never-used')).resolves.toBeUndefined();
  });
});
