// Arguments from JavaScript that the API must refuse with INVALID_INPUT (as a rejection, never
// a synchronous throw or a TypeError from the bindings), and the core's length limits, counted
// in bytes of UTF-8.
import {
  KeyStoreError,
  clearStore,
  configure,
  getMetadata,
  getValue,
  hasKey,
  listKeys,
  removeKey,
  setValue,
} from '../index';
import { freshKeystore, rejectionOf } from './harness';

const MIB = 1024 * 1024;

// Everything that is not a well-formed string, as JavaScript callers (or `as any`) pass them.
const NOT_TEXT: [string, unknown][] = [
  ['undefined', undefined],
  ['null', null],
  ['a number', 42],
  ['NaN', NaN],
  ['a boolean', true],
  ['a bigint', 1n],
  ['a symbol', Symbol('key')],
  ['an object', { toString: () => 'token' }],
  ['a String object', new String('token')],
  ['an array', ['token']],
  ['a function', () => 'token'],
  ['a lone high surrogate', '\uD800'],
  ['a lone low surrogate', '\uDC00'],
  ['a lone surrogate inside text', 'to\uD83Dken'],
  ['a surrogate pair in the wrong order', '\uDE00\uD83D'],
];

type Call = (text: unknown) => Promise<unknown>;

// Every argument of every async function that takes text, with the other arguments valid.
const TEXT_ARGUMENTS: [string, string, Call][] = [
  ['setValue', 'store name', (s) => setValue(s as string, 'token', 'v')],
  ['setValue', 'key', (k) => setValue('session', k as string, 'v')],
  ['setValue', 'value', (v) => setValue('session', 'token', v as string)],
  ['getValue', 'store name', (s) => getValue(s as string, 'token')],
  ['getValue', 'key', (k) => getValue('session', k as string)],
  ['removeKey', 'store name', (s) => removeKey(s as string, 'token')],
  ['removeKey', 'key', (k) => removeKey('session', k as string)],
  ['hasKey', 'store name', (s) => hasKey(s as string, 'token')],
  ['hasKey', 'key', (k) => hasKey('session', k as string)],
  ['getMetadata', 'store name', (s) => getMetadata(s as string, 'token')],
  ['getMetadata', 'key', (k) => getMetadata('session', k as string)],
  ['listKeys', 'store name', (s) => listKeys(s as string)],
  ['clearStore', 'store name', (s) => clearStore(s as string)],
  [
    'getValue',
    'options.prompt.title',
    (t) => getValue('s', 'k', { prompt: { title: t as string } }),
  ],
];

// A prompt text may be left undefined (the platform's default is used).
const MATRIX = TEXT_ARGUMENTS.flatMap(([fn, argument, call]) =>
  NOT_TEXT.filter(([, bad]) => bad !== undefined || !argument.startsWith('options.')).map(
    ([kind, bad]) => [fn, argument, kind, call, bad] as const,
  ),
);

// Options of the wrong shape.
const BAD_OPTIONS: [string, () => Promise<unknown>][] = [
  ['setValue options null', () => setValue('session', 'token', 'v', null as never)],
  ['setValue options a boolean', () => setValue('session', 'token', 'v', true as never)],
  ['setValue options an array', () => setValue('session', 'token', 'v', [] as never)],
  [
    'setValue authentication a string',
    () => setValue('session', 'token', 'v', { authentication: 'yes' as never }),
  ],
  [
    'setValue authentication a number',
    () => setValue('session', 'token', 'v', { authentication: 1 as never }),
  ],
  [
    'setValue authentication null',
    () => setValue('session', 'token', 'v', { authentication: null as never }),
  ],
  [
    'setValue with a misspelt option',
    () => setValue('session', 'token', 'v', { authenticate: true } as never),
  ],
  ['getValue options a string', () => getValue('session', 'token', 'Unlock' as never)],
  ['getValue prompt a string', () => getValue('session', 'token', { prompt: 'Unlock' as never })],
  ['getValue prompt null', () => getValue('session', 'token', { prompt: null as never })],
  ['getValue prompt an array', () => getValue('session', 'token', { prompt: [] as never })],
  [
    'getValue prompt with a misspelt text',
    () => getValue('session', 'token', { prompt: { titel: 'Unlock' } as never }),
  ],
  [
    'getValue prompt cancel a number',
    () => getValue('session', 'token', { prompt: { cancel: 0 as never } }),
  ],
];

describe('arguments of the wrong type', () => {
  beforeEach(() => {
    freshKeystore();
  });

  it.each(MATRIX)(
    '%s refuses a %s that is %s with INVALID_INPUT',
    async (_fn, argument, _kind, call, bad) => {
      const error = await rejectionOf(() => call(bad));

      expect(error.code).toBe('INVALID_INPUT');
      expect(error.message).toContain(`the ${argument} `);
    },
  );

  it.each(BAD_OPTIONS)('refuses %s with INVALID_INPUT', async (_case, call) => {
    const error = await rejectionOf(call);

    expect(error.code).toBe('INVALID_INPUT');
    expect(error.message).toMatch(/^invalid input: /);
  });

  it('writes nothing when a set is refused', async () => {
    await setValue('session', 'kept', 'v');
    for (const [, , call] of TEXT_ARGUMENTS.filter(([fn]) => fn === 'setValue')) {
      await rejectionOf(() => call('\uD800'));
    }
    await rejectionOf(() => setValue('session', 'token', 'v', { authenticate: true } as never));

    expect(await listKeys('session')).toEqual(['kept']);
  });

  it('accepts options left out, empty, or with every property undefined', async () => {
    await setValue('session', 'a', 'v');
    await setValue('session', 'b', 'v', {});
    await setValue('session', 'c', 'v', { authentication: undefined });
    await setValue('session', 'd', 'v', { authentication: false });

    expect(await getValue('session', 'a', {})).toBe('v');
    expect(await getValue('session', 'b', { prompt: {} })).toBe('v');
    expect(await getValue('session', 'c', { prompt: { title: undefined } })).toBe('v');
    expect(
      await getValue('session', 'd', { prompt: { title: 'T', subtitle: 'S', cancel: 'C' } }),
    ).toBe('v');
  });
});

describe('configure with arguments of the wrong shape', () => {
  it.each([
    ['nothing', undefined],
    ['null', null],
    ['a string instead of an object', '/tmp/keystore'],
    ['an empty object', {}],
    ['a number as the directory', { directory: 42 }],
    ['an empty directory', { directory: '' }],
    ['a lone surrogate in the directory', { directory: '/tmp/\uD800' }],
    ['a misspelt property', { dir: '/tmp/keystore' }],
  ])('throws INVALID_INPUT for %s', (_case, options) => {
    let thrown: unknown;
    try {
      configure(options as never);
    } catch (error) {
      thrown = error;
    }

    expect(thrown).toBeInstanceOf(KeyStoreError);
    expect(thrown).toMatchObject({ code: 'INVALID_INPUT' });
  });
});

describe('limits, in bytes of UTF-8', () => {
  beforeEach(() => {
    freshKeystore();
  });

  it.each([
    ['a store name of 255 ASCII bytes', 'a'.repeat(255), 'token'],
    ['a store name of 85 three-byte characters (255 bytes)', '€'.repeat(85), 'token'],
    ['a key of 1024 ASCII bytes', 'session', 'k'.repeat(1024)],
    ['a key of 256 four-byte emoji (1024 bytes)', 'session', '😀'.repeat(256)],
  ])('accepts %s', async (_case, store, key) => {
    await setValue(store, key, 'v');

    expect(await getValue(store, key)).toBe('v');
    expect(await listKeys(store)).toEqual([key]);
  });

  it.each([
    [
      'an empty store name',
      '',
      'token',
      'the store name must be 1 to 255 bytes of UTF-8; it is 0 bytes',
    ],
    ['a store name of 256 bytes', 'a'.repeat(256), 'token', 'it is 256 bytes'],
    ['a store name of 86 three-byte characters', '€'.repeat(86), 'token', 'it is 258 bytes'],
    ['an empty key', 'session', '', 'the key must be 1 to 1024 bytes of UTF-8; it is 0 bytes'],
    ['a key of 1025 bytes', 'session', 'k'.repeat(1025), 'it is 1025 bytes'],
    ['a key of 257 four-byte emoji', 'session', '😀'.repeat(257), 'it is 1028 bytes'],
  ])('refuses %s with INVALID_INPUT', async (_case, store, key, message) => {
    const error = await rejectionOf(() => setValue(store, key, 'v'));

    expect(error.code).toBe('INVALID_INPUT');
    expect(error.message).toContain(message);
    expect((await rejectionOf(() => getValue(store, key))).code).toBe('INVALID_INPUT');
  });

  it.each([
    ['1 MiB of ASCII', 'a'.repeat(MIB)],
    ['1 MiB of two-byte characters', 'é'.repeat(MIB / 2)],
    ['1 MiB of four-byte emoji', '🔑'.repeat(MIB / 4)],
    ['an empty value', ''],
  ])('stores and reads back a value of %s', async (_case, value) => {
    await setValue('session', 'token', value);

    const read = await getValue('session', 'token');
    expect(read.length).toBe(value.length);
    expect(read === value).toBe(true);
  });

  it.each([
    ['1 MiB of ASCII and one byte', 'a'.repeat(MIB + 1)],
    ['1 MiB of two-byte characters and one ASCII byte', 'é'.repeat(MIB / 2) + 'a'],
    ['1 MiB less one byte, then a two-byte character', 'a'.repeat(MIB - 1) + 'é'],
  ])('refuses a value of %s with INVALID_INPUT, keeping the old value', async (_case, value) => {
    await setValue('session', 'token', 'old');

    const error = await rejectionOf(() => setValue('session', 'token', value));

    expect(error.code).toBe('INVALID_INPUT');
    expect(error.message).toContain(`the limit is ${MIB} bytes`);
    expect(error.message).toMatch(/the value is 104857[78] bytes/);
    expect(await getValue('session', 'token')).toBe('old');
  });
});
