// Store names, keys and values are any Unicode text and come back exactly, code unit for code
// unit: no normalisation, no trimming, NUL included.
import { getValue, listKeys, removeKey, setValue } from '../index';
import { freshKeystore, rejectionOf } from './harness';

const TEXTS: [string, string][] = [
  ['emoji with a skin tone and a ZWJ sequence', '👩🏽‍💻 🏳️‍🌈 🔑'],
  ['NUL characters', 'a\u0000b\u0000'],
  ['only a NUL', '\u0000'],
  ['right-to-left text with marks', '\u202Eשלום עולם مرحبا\u200F'],
  ['combining marks (decomposed é)', 'e\u0301 a\u0308\u0323'],
  ['the precomposed form of the same letter', '\u00E9'],
  ['astral characters', '𝔘𝔫𝔦𝔠𝔬𝔡𝔢 𠜎'],
  ['line breaks and spaces at the ends', '  line 1\r\nline 2\n\t '],
  ['a byte order mark after the first character, and a replacement character', 'a\uFEFF\uFFFD'],
  ['the highest code point', '\u{10FFFF}'],
  ['path-like text', '../../etc/passwd'],
];

describe('Unicode', () => {
  beforeEach(() => {
    freshKeystore();
  });

  it.each(TEXTS)('round-trips %s as a store name, a key and a value', async (_case, text) => {
    await setValue(text, text, text);

    expect(await getValue(text, text)).toBe(text);
    expect(await listKeys(text)).toEqual([text]);
  });

  it.each([
    ['store name', () => setValue('\uFEFFsession', 'token', 'v')],
    ['key', () => setValue('session', '\uFEFFtoken', 'v')],
    ['value', () => setValue('session', 'token', '\uFEFFv')],
  ])('refuses a %s starting with U+FEFF, which would come back without it', async (what, call) => {
    const error = await rejectionOf(call);

    expect(error.code).toBe('INVALID_INPUT');
    expect(error.message).toContain(`the ${what} starts with U+FEFF`);
    expect(await listKeys('session')).toEqual([]);
  });

  it('keeps keys that differ only in normalisation or case apart', async () => {
    const keys = ['\u00E9', 'e\u0301', 'E\u0301', 'key', 'Key', 'key\u0000'];
    for (const [index, key] of keys.entries()) await setValue('session', key, String(index));

    expect(await listKeys('session')).toEqual(keys);
    for (const [index, key] of keys.entries()) {
      expect(await getValue('session', key)).toBe(String(index));
    }
    await removeKey('session', 'e\u0301');
    expect(await listKeys('session')).toEqual(keys.filter((key) => key !== 'e\u0301'));
  });
});
