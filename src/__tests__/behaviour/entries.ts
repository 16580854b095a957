// Behaviour of entries without authentication: the reference plugin's flow, listing,
// metadata, clearing, and Unicode text coming back exactly.
import { rejectionOf, type BehaviourHooks, type KeyStoreApi } from './api';

const TEXTS: [string, string][] = [
  ['emoji with a skin tone and a ZWJ sequence', '👩🏽‍💻 🏳️‍🌈 🔑'],
  ['NUL characters', 'a\u0000b\u0000'],
  ['right-to-left text with marks', '\u202Eשלום عالم\u200F'],
  ['combining marks', 'e\u0301 a\u0308\u0323'],
  ['the highest code point', '\u{10FFFF}'],
  ['path-like text', '../../etc/passwd'],
];

/** The suite for entries; see the top of this file. */
export function describeEntries(api: KeyStoreApi, hooks: BehaviourHooks): void {
  const code = async (call: () => Promise<unknown>) => (await rejectionOf(api, call)).code;

  describe('entries', () => {
    beforeEach(() => {
      hooks.fresh();
    });

    it('is available, then sets, gets and removes a value, then reports it missing', async () => {
      expect(api.isAvailable()).toBe(true);

      await api.setValue('session', 'token', 's3cr3t');
      expect(await api.getValue('session', 'token')).toBe('s3cr3t');
      await api.removeKey('session', 'token');

      const error = await rejectionOf(api, () => api.getValue('session', 'token'));
      expect(error.code).toBe('NOT_FOUND');
      expect(error.message).toContain('set the entry first');
    });

    it('replaces the value of a key that is set again', async () => {
      await api.setValue('session', 'token', 'first');
      await api.setValue('session', 'token', 'second');

      expect(await api.getValue('session', 'token')).toBe('second');
    });

    it('succeeds when removing a key that was never set, and when removing it twice', async () => {
      await api.setValue('session', 'token', 'v');

      await expect(api.removeKey('session', 'never-set')).resolves.toBeUndefined();
      await expect(api.removeKey('session', 'token')).resolves.toBeUndefined();
      await expect(api.removeKey('session', 'token')).resolves.toBeUndefined();
      await expect(api.removeKey('never-used', 'token')).resolves.toBeUndefined();
    });

    it('keeps stores apart: the same key in two stores holds two values', async () => {
      await api.setValue('alice', 'token', 'a');
      await api.setValue('bob', 'token', 'b');
      await api.removeKey('alice', 'token');

      expect(await code(() => api.getValue('alice', 'token'))).toBe('NOT_FOUND');
      expect(await api.getValue('bob', 'token')).toBe('b');
    });

    it('reports whether a key is set', async () => {
      expect(await api.hasKey('session', 'token')).toBe(false);
      await api.setValue('session', 'token', 'v');
      expect(await api.hasKey('session', 'token')).toBe(true);
    });

    it('lists keys in the order they were first set, and an unused store as empty', async () => {
      await api.setValue('session', 'b', '1');
      await api.setValue('session', 'a', '2');
      await api.setValue('session', 'b', '3');

      expect(await api.listKeys('session')).toEqual(['b', 'a']);
      expect(await api.listKeys('unused')).toEqual([]);
    });

    it('describes an entry with its security level and dates of creation and last set', async () => {
      const before = Date.now();
      await api.setValue('session', 'token', 'first');
      const created = await api.getMetadata('session', 'token');
      await api.setValue('session', 'token', 'second');
      const updated = await api.getMetadata('session', 'token');

      expect(created).toEqual({
        authentication: false,
        securityLevel: api.getSecurityLevel(),
        createdAt: expect.any(Date) as unknown,
        updatedAt: expect.any(Date) as unknown,
      });
      expect(created.createdAt.getTime()).toBeGreaterThanOrEqual(before - 1000);
      expect(updated.createdAt.getTime()).toBe(created.createdAt.getTime());
      expect(updated.updatedAt.getTime()).toBeGreaterThanOrEqual(created.updatedAt.getTime());
      expect(await code(() => api.getMetadata('session', 'missing'))).toBe('NOT_FOUND');
    });

    it('clears every entry of one store and leaves the others', async () => {
      await api.setValue('session', 'a', '1');
      await api.setValue('prefs', 'a', '2');

      await api.clearStore('session');

      expect(await api.listKeys('session')).toEqual([]);
      expect(await code(() => api.getValue('session', 'a'))).toBe('NOT_FOUND');
      expect(await api.getValue('prefs', 'a')).toBe('2');
      await expect(api.clearStore('never-used')).resolves.toBeUndefined();
    });

    it.each(TEXTS)('round-trips %s as a store name, a key and a value', async (_case, text) => {
      await api.setValue(text, text, text);

      expect(await api.getValue(text, text)).toBe(text);
      expect(await api.listKeys(text)).toEqual([text]);
    });

    it('keeps keys that differ only in normalisation or case apart', async () => {
      const keys = ['\u00E9', 'e\u0301', 'E\u0301', 'key', 'Key', 'key\u0000'];
      for (const [index, key] of keys.entries()) await api.setValue('s', key, String(index));

      expect(await api.listKeys('s')).toEqual(keys);
      for (const [index, key] of keys.entries()) {
        expect(await api.getValue('s', key)).toBe(String(index));
      }
    });
  });
}
