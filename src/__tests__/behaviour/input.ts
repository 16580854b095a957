// Behaviour with arguments the API refuses: INVALID_INPUT as a rejection (never a synchronous
// throw), with the same words, and the core's limits counted in bytes of UTF-8.
import { rejectionOf, type BehaviourHooks, type KeyStoreApi } from './api';

const MIB = 1024 * 1024;

const NOT_TEXT: [string, unknown][] = [
  ['undefined', undefined],
  ['null', null],
  ['a number', 42],
  ['a symbol', Symbol('key')],
  ['an object', { toString: () => 'token' }],
  ['an array', ['token']],
  ['a lone high surrogate', '\uD800'],
  ['a lone surrogate inside text', 'to\uD83Dken'],
];

type Call = (api: KeyStoreApi, text: unknown) => Promise<unknown>;

const TEXT_ARGUMENTS: [string, string, Call][] = [
  ['setValue', 'store name', (api, s) => api.setValue(s as string, 'token', 'v')],
  ['setValue', 'key', (api, k) => api.setValue('session', k as string, 'v')],
  ['setValue', 'value', (api, v) => api.setValue('session', 'token', v as string)],
  ['getValue', 'key', (api, k) => api.getValue('session', k as string)],
  ['removeKey', 'key', (api, k) => api.removeKey('session', k as string)],
  ['hasKey', 'store name', (api, s) => api.hasKey(s as string, 'token')],
  ['getMetadata', 'key', (api, k) => api.getMetadata('session', k as string)],
  ['listKeys', 'store name', (api, s) => api.listKeys(s as string)],
  ['clearStore', 'store name', (api, s) => api.clearStore(s as string)],
];

const MATRIX = TEXT_ARGUMENTS.flatMap(([fn, argument, call]) =>
  NOT_TEXT.map(([kind, bad]) => [fn, argument, kind, call, bad] as const),
);

const BAD_OPTIONS: [string, (api: KeyStoreApi) => Promise<unknown>][] = [
  ['setValue options null', (api) => api.setValue('s', 'k', 'v', null as never)],
  [
    'setValue authentication a string',
    (api) => api.setValue('s', 'k', 'v', { authentication: 'yes' as never }),
  ],
  [
    'setValue with a misspelt option',
    (api) => api.setValue('s', 'k', 'v', { authenticate: true } as never),
  ],
  ['getValue prompt a string', (api) => api.getValue('s', 'k', { prompt: 'Unlock' as never })],
  [
    'getValue prompt with a misspelt text',
    (api) => api.getValue('s', 'k', { prompt: { titel: 'x' } as never }),
  ],
  [
    'getValue prompt cancel a number',
    (api) => api.getValue('s', 'k', { prompt: { cancel: 0 as never } }),
  ],
];

/** The suite for refused arguments; see the top of this file. */
export function describeInput(api: KeyStoreApi, hooks: BehaviourHooks): void {
  describe('arguments the API refuses', () => {
    beforeEach(() => {
      hooks.fresh();
    });

    it.each(MATRIX)(
      '%s refuses a %s that is %s with INVALID_INPUT',
      async (_fn, argument, _kind, call, bad) => {
        const error = await rejectionOf(api, () => call(api, bad));

        expect(error.code).toBe('INVALID_INPUT');
        expect(error.message).toContain(`the ${argument} `);
      },
    );

    it.each(BAD_OPTIONS)('refuses %s with INVALID_INPUT', async (_case, call) => {
      const error = await rejectionOf(api, () => call(api));

      expect(error.code).toBe('INVALID_INPUT');
      expect(error.message).toMatch(/^invalid input: /);
    });

    it.each([
      ['store name', (api: KeyStoreApi) => api.setValue('\uFEFFs', 'k', 'v')],
      ['key', (api: KeyStoreApi) => api.setValue('s', '\uFEFFk', 'v')],
      ['value', (api: KeyStoreApi) => api.setValue('s', 'k', '\uFEFFv')],
    ])('refuses a %s starting with U+FEFF and writes nothing', async (what, call) => {
      const error = await rejectionOf(api, () => call(api));

      expect(error.code).toBe('INVALID_INPUT');
      expect(error.message).toContain(`the ${what} starts with U+FEFF`);
      expect(await api.listKeys('s')).toEqual([]);
    });

    it.each([
      [
        'an empty store name',
        '',
        'k',
        'the store name must be 1 to 255 bytes of UTF-8; it is 0 bytes',
      ],
      ['a store name of 86 three-byte characters', '€'.repeat(86), 'k', 'it is 258 bytes'],
      ['an empty key', 's', '', 'the key must be 1 to 1024 bytes of UTF-8; it is 0 bytes'],
      ['a key of 257 four-byte emoji', 's', '😀'.repeat(257), 'it is 1028 bytes'],
    ])('refuses %s with INVALID_INPUT, saying the limit', async (_case, store, key, message) => {
      const error = await rejectionOf(api, () => api.setValue(store, key, 'v'));

      expect(error.code).toBe('INVALID_INPUT');
      expect(error.message).toContain(message);
      expect((await rejectionOf(api, () => api.getValue(store, key))).code).toBe('INVALID_INPUT');
    });

    it('accepts names and values at their limits', async () => {
      await api.setValue('€'.repeat(85), '😀'.repeat(256), '🔑'.repeat(MIB / 4));

      expect(await api.getValue('€'.repeat(85), '😀'.repeat(256))).toBe('🔑'.repeat(MIB / 4));
    });

    it('refuses a value one byte over 1 MiB, keeping the old value', async () => {
      await api.setValue('s', 'k', 'old');

      const error = await rejectionOf(api, () => api.setValue('s', 'k', 'a'.repeat(MIB - 1) + 'é'));

      expect(error.code).toBe('INVALID_INPUT');
      expect(error.message).toContain(`the value is ${MIB + 1} bytes; the limit is ${MIB} bytes`);
      expect(await api.getValue('s', 'k')).toBe('old');
    });

    it.each([
      ['nothing', undefined],
      ['a string instead of an object', '/tmp/keystore'],
      ['an empty directory', { directory: '' }],
      ['a misspelt property', { dir: '/tmp/keystore' }],
    ])('configure throws INVALID_INPUT for %s', (_case, options) => {
      let thrown: unknown;
      try {
        api.configure(options as never);
      } catch (error) {
        thrown = error;
      }

      expect(api.KeyStoreError.is(thrown)).toBe(true);
      expect(thrown).toMatchObject({ code: 'INVALID_INPUT' });
    });
  });
}
