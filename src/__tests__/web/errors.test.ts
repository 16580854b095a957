// Every error code the web build produces that the other test files do not: arguments and
// limits (INVALID_INPUT), a page without what the key store needs (UNAVAILABLE, with the
// reason), a private mode that refuses IndexedDB, and a full quota (STORAGE). Also: the web
// entry has the native entry's exports and reaches no native module.
import { IDBObjectStore } from 'fake-indexeddb';
import { buildSync } from 'esbuild';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import * as native from '../../index';
import * as web from '../../index.web';
import {
  clearStore,
  configure,
  getMetadata,
  getSecurityLevel,
  getUnavailableReason,
  getValue,
  hasKey,
  isAvailable,
  listKeys,
  removeKey,
  setValue,
} from '../../index.web';
import { freshBrowser, rejectionOf } from './setup';

const MIB = 1024 * 1024;

/** What `call` throws synchronously; fails the test when it returns. */
function thrownBy(call: () => unknown): unknown {
  try {
    call();
  } catch (error) {
    return error;
  }
  throw new Error('the call returned; it was expected to throw');
}

beforeEach(() => {
  configure({ directory: freshBrowser() });
});

describe('the web entry point', () => {
  it('exports what the native entry exports, plus getUnavailableReason', () => {
    expect(Object.keys(web).sort()).toEqual(
      [...Object.keys(native), 'getUnavailableReason'].sort(),
    );
  });

  it('reaches no native module and none of the generated bindings when bundled', () => {
    const result = buildSync({
      entryPoints: [join(__dirname, '..', '..', 'index.web.ts')],
      bundle: true,
      write: false,
      metafile: true,
      format: 'esm',
      platform: 'browser',
    });
    const inputs = Object.keys(result.metafile.inputs);

    expect(inputs.some((input) => input.endsWith('src/web/api.ts'))).toBe(true);
    expect(inputs.filter((input) => /generated|native|node_modules/i.test(input))).toEqual([]);
  });
});

describe('the package as bundlers see it', () => {
  const root = join(__dirname, '..', '..', '..');
  let app: string;

  beforeAll(() => {
    app = mkdtempSync(join(tmpdir(), 'rust-keystore-bundler-'));
    mkdirSync(join(app, 'node_modules'));
    symlinkSync(root, join(app, 'node_modules', 'react-native-rust-keystore'), 'dir');
  });

  afterAll(() => rmSync(app, { recursive: true, force: true }));

  /** The library's modules in a bundle of an app importing the package for `platform`. */
  function libraryInputs(platform: 'browser' | 'neutral'): string[] {
    const result = buildSync({
      stdin: { contents: "export * from 'react-native-rust-keystore';", resolveDir: app },
      bundle: true,
      write: false,
      metafile: true,
      platform,
      conditions: platform === 'neutral' ? ['react-native'] : [],
      external: ['*/generated/turbo-module'],
      absWorkingDir: root,
    });
    return Object.keys(result.metafile.inputs);
  }

  it('resolves to the web entry under the browser condition', () => {
    const inputs = libraryInputs('browser');

    expect(inputs).toContain('src/index.web.ts');
    expect(inputs).not.toContain('src/index.ts');
  });

  it('resolves to the native entry under the react-native condition', () => {
    const inputs = libraryInputs('neutral');

    expect(inputs).toContain('src/index.ts');
    expect(inputs).not.toContain('src/index.web.ts');
  });
});

describe('arguments on web', () => {
  it.each([
    ['a store name of 0 bytes', () => setValue('', 'k', 'v'), 'store name must be 1 to 255'],
    ['a store name of 256 bytes', () => setValue('s'.repeat(256), 'k', 'v'), 'it is 256 bytes'],
    ['a 2-byte character past 255', () => hasKey('é'.repeat(128), 'k'), 'it is 256 bytes'],
    ['a key of 0 bytes', () => getValue('s', ''), 'key must be 1 to 1024'],
    ['a key of 1025 bytes', () => removeKey('s', 'k'.repeat(1025)), 'it is 1025 bytes'],
    ['a value over 1 MiB', () => setValue('s', 'k', 'v'.repeat(MIB + 1)), 'limit is 1048576'],
    ['a value with a lone surrogate', () => setValue('s', 'k', '\uD800'), 'lone UTF-16'],
    ['a key starting with U+FEFF', () => getMetadata('s', '\uFEFFk'), 'U+FEFF'],
    ['a store name that is a number', () => listKeys(42 as never), 'must be a string'],
    [
      'a misspelt option',
      () => setValue('s', 'k', 'v', { authenticate: true } as never),
      'unknown',
    ],
    [
      'a prompt text that is not text',
      () => getValue('s', 'k', { prompt: { title: 1 as never } }),
      'title',
    ],
    ['a clear of an empty store name', () => clearStore(''), 'store name'],
  ])('refuses %s with INVALID_INPUT', async (_what, call, words) => {
    const error = await rejectionOf(call);

    expect(error.code).toBe('INVALID_INPUT');
    expect(error.message).toMatch(/^invalid input: /);
    expect(error.message).toContain(words);
  });

  it('accepts the longest names and values', async () => {
    const store = 'é'.repeat(127) + 's';
    const key = '\u{1F511}'.repeat(256);
    const value = 'v'.repeat(MIB);
    await setValue(store, key, value);

    expect(await getValue(store, key)).toBe(value);
  });

  it('refuses a configure without a directory synchronously with INVALID_INPUT', () => {
    expect(thrownBy(() => configure({} as never))).toMatchObject({ code: 'INVALID_INPUT' });
    expect(() => configure({ directory: '' })).toThrow(/must not be empty/);
  });
});

describe('a page the key store cannot work in', () => {
  it.each([
    ['when the page is not a secure context', { isSecureContext: false }, 'secure context'],
    ['without IndexedDB', { indexedDB: undefined }, 'IndexedDB'],
    ['without WebCrypto', { crypto: {} }, 'WebCrypto'],
  ])(
    'is unavailable %s, with the reason, and every call says why',
    async (_what, globals, reason) => {
      const saved = { crypto: globalThis.crypto };
      Object.defineProperty(globalThis, 'crypto', {
        value: globalThis.crypto,
        configurable: true,
        writable: true,
      });
      Object.assign(globalThis, globals);
      try {
        expect(isAvailable()).toBe(false);
        expect(getUnavailableReason()).toContain(reason);
        expect(thrownBy(() => getSecurityLevel())).toMatchObject({ code: 'UNAVAILABLE' });
        const error = await rejectionOf(() => setValue('s', 'k', 'v'));
        expect(error.code).toBe('UNAVAILABLE');
        expect(error.message).toContain(reason);
        expect(web.canAuthenticate()).toBe(false);
      } finally {
        Object.assign(globalThis, saved);
      }
    },
  );

  it('reports a private mode that refuses IndexedDB as UNAVAILABLE, then isAvailable false', async () => {
    const refusing = {
      open: () => {
        const request: { error?: Error; onerror?: () => void } = {};
        setTimeout(() => {
          request.error = Object.assign(new Error('refused'), { name: 'InvalidStateError' });
          request.onerror?.();
        }, 0);
        return request;
      },
    };
    Object.assign(globalThis, { indexedDB: refusing });
    configure({ directory: 'private-mode' });

    const error = await rejectionOf(() => getValue('s', 'k'));
    expect(error.code).toBe('UNAVAILABLE');
    expect(error.message).toContain('private mode');
    expect(isAvailable()).toBe(false);
    expect(getUnavailableReason()).toContain('private mode');

    configure({ directory: freshBrowser() });
    await setValue('s', 'k', 'v');
    expect(isAvailable()).toBe(true);
  });

  it('reports a full quota as STORAGE and keeps the previous value', async () => {
    await setValue('s', 'k', 'old');
    const put = jest.spyOn(IDBObjectStore.prototype, 'put').mockImplementation(() => {
      throw Object.assign(new Error('quota'), { name: 'QuotaExceededError' });
    });
    try {
      const error = await rejectionOf(() => setValue('s', 'k', 'new'));
      expect(error.code).toBe('STORAGE');
      expect(error.message).toContain('quota');
    } finally {
      put.mockRestore();
    }
    expect(await getValue('s', 'k')).toBe('old');
  });

  it('reports a missing entry as NOT_FOUND with a message that says what to do', async () => {
    const error = await rejectionOf(() => getValue('s', 'missing'));

    expect(error.code).toBe('NOT_FOUND');
    expect(error.message).toContain('set the entry first');
    expect(error.message).not.toContain('missing');
  });
});
