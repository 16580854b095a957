// What someone who can read or edit the browser's IndexedDB sees and can do: no key name or
// value in the clear, non-extractable keys, and every edit of a record detected as CORRUPTED
// (never another value).
import { configure, getValue, hasKey, listKeys, setValue } from '../../index.web';
import { utf8 } from '../../web/bytes';
import { storeIdOf } from '../../web/dataKeys';
import { codeOf, deleteRaw, freshBrowser, putRaw, rawRecords } from './setup';

const KEY = 'refresh-token-of-alice@example.com';
const VALUE = 'eyJhbGciOiJIUzI1NiJ9.super-secret-value';

let database: string;

beforeEach(() => {
  database = freshBrowser();
  configure({ directory: database });
});

/** Whether `needle` occurs in `haystack`. */
function contains(haystack: Uint8Array, needle: Uint8Array): boolean {
  outer: for (let i = 0; i + needle.length <= haystack.length; i += 1) {
    for (let j = 0; j < needle.length; j += 1) if (haystack[i + j] !== needle[j]) continue outer;
    return true;
  }
  return false;
}

/** Every string and byte array in a record, flattened into bytes. */
function bytesOf(value: unknown): Uint8Array {
  if (typeof value === 'string') return utf8(value);
  if (ArrayBuffer.isView(value))
    return new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
  if (Array.isArray(value) || (typeof value === 'object' && value !== null)) {
    const parts = Object.values(value).map(bytesOf);
    const all = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
    let offset = 0;
    for (const part of parts) {
      all.set(part, offset);
      offset += part.length;
    }
    return all;
  }
  return utf8(String(value));
}

async function entryRecords(): Promise<Record<string, unknown>[]> {
  return rawRecords(database, 'entries');
}

describe('what the web build keeps in IndexedDB', () => {
  it('holds no key name and no value in the clear, and nothing in localStorage', async () => {
    await setValue('session', KEY, VALUE);
    const everything = ['keys', 'entries', 'stores'].map((name) => rawRecords(database, name));
    const dump = bytesOf(await Promise.all(everything));

    expect(contains(dump, utf8(KEY))).toBe(false);
    expect(contains(dump, utf8(VALUE))).toBe(false);
    expect(contains(dump, utf8('session'))).toBe(false);
    expect(contains(dump, utf8('eyJhbGci'))).toBe(false);
    expect(dump.length).toBeGreaterThan(VALUE.length);
    expect(globalThis.localStorage).toBeUndefined();
  });

  it('keeps data keys as non-extractable CryptoKeys', async () => {
    await setValue('session', KEY, VALUE);
    const [slot] = await rawRecords(database, 'keys');

    for (const name of ['seal', 'index']) {
      const key = slot[name] as CryptoKey;
      expect(key.extractable).toBe(false);
      await expect(globalThis.crypto.subtle.exportKey('raw', key)).rejects.toThrow();
    }
  });

  it('uses a fresh IV for every write, so equal values never look equal', async () => {
    await setValue('session', 'a', VALUE);
    await setValue('session', 'b', VALUE);
    const [first, second] = await entryRecords();
    const iv = (record: Record<string, unknown>) =>
      Buffer.from((record.payload as Uint8Array).subarray(0, 12)).toString('hex');

    expect(iv(first)).not.toBe(iv(second));
  });
});

describe('edits of a stored record', () => {
  beforeEach(async () => {
    await setValue('session', 'a', 'value of a');
    await setValue('session', 'b', 'value of b');
  });

  it('reports a flipped payload byte as CORRUPTED', async () => {
    const [record] = await entryRecords();
    const payload = new Uint8Array(record.payload as Uint8Array);
    payload[payload.length - 1] ^= 1;
    await putRaw(database, 'entries', { ...record, payload });

    const codes = await Promise.all([
      codeOf(() => getValue('session', 'a')).catch(() => 'ok'),
      codeOf(() => getValue('session', 'b')).catch(() => 'ok'),
    ]);
    expect(codes.sort()).toEqual(['CORRUPTED', 'ok']);
  });

  it('reports a payload moved onto another key as CORRUPTED, never the other value', async () => {
    const [first, second] = await entryRecords();
    await putRaw(database, 'entries', { ...first, payload: second.payload });

    const results = await Promise.all(
      ['a', 'b'].map((key) =>
        getValue('session', key).catch((error: { code: string }) => error.code),
      ),
    );
    expect(results.sort()).toEqual(
      ['CORRUPTED', expect.stringMatching(/^value of /) as unknown].sort(),
    );
  });

  it.each([
    ['its sequence number', (r: Record<string, unknown>) => ({ ...r, seq: Number(r.seq) + 10 })],
    ['its kind', (r: Record<string, unknown>) => ({ ...r, kind: 2 })],
    [
      'a truncated payload',
      (r: Record<string, unknown>) => ({ ...r, payload: (r.payload as Uint8Array).slice(0, 20) }),
    ],
  ])('reports a record with %s changed as CORRUPTED', async (_what, edit) => {
    for (const record of await entryRecords()) await putRaw(database, 'entries', edit(record));

    expect(await codeOf(() => getValue('session', 'a'))).toBe('CORRUPTED');
    expect(await codeOf(() => getValue('session', 'b'))).toBe('CORRUPTED');
    expect(await listKeys('session')).toEqual([]);
    expect(await hasKey('session', 'a')).toBe(true);
  });

  it('reads a record copied into another store, with its data key, as CORRUPTED', async () => {
    const [session, other] = await Promise.all([storeIdOf('session'), storeIdOf('other')]);
    const keys = await rawRecords(database, 'keys');
    const records = await entryRecords();
    const key = keys.find((record) => record.slot === `${session}.standard`);
    const record = records.find((entry) => entry.storeId === session);
    // The other store gets the session store's data key and one of its records, as a copy
    // would; only the store name bound into the associated data differs.
    await putRaw(database, 'keys', { ...key, slot: `${other}.standard` });
    await putRaw(database, 'entries', { ...record, storeId: other });
    const outcomes = await Promise.all(
      ['a', 'b'].map((name) =>
        getValue('other', name).catch((error: { code: string }) => error.code),
      ),
    );

    expect(outcomes).toContain('CORRUPTED');
    expect(outcomes.every((outcome) => ['CORRUPTED', 'NOT_FOUND'].includes(outcome))).toBe(true);
    expect(await listKeys('other')).toEqual([]);
  });

  it('reports entries whose data key was deleted as KEY_INVALIDATED, and recovers on set', async () => {
    const [slot] = await rawRecords(database, 'keys');
    await deleteRaw(database, 'keys', slot.slot as string);

    expect(await codeOf(() => getValue('session', 'a'))).toBe('KEY_INVALIDATED');
    expect(await codeOf(() => listKeys('session'))).toBe('KEY_INVALIDATED');
    await setValue('session', 'a', 'new');
    expect(await getValue('session', 'a')).toBe('new');
    expect(await codeOf(() => getValue('session', 'b'))).toBe('KEY_INVALIDATED');
  });
});
