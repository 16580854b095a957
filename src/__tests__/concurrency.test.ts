// Many calls in flight at once, on one store and across stores: every write that resolved is
// readable afterwards, and reads never see a value that was not written.
import { getValue, hasKey, listKeys, removeKey, setValue } from '../index';
import { freshKeystore, hostKeystore } from './harness';

const range = (n: number): number[] => Array.from({ length: n }, (_, i) => i);

describe.each([
  ['the scripted test protector', () => freshKeystore()],
  ['the host protector', () => hostKeystore()],
])('concurrent calls with %s', (_name, setUp) => {
  beforeEach(() => {
    setUp();
  });

  it('keeps every acknowledged write of 200 concurrent sets to one store', async () => {
    await Promise.all(range(200).map((i) => setValue('session', `key-${i}`, `value-${i}`)));

    const values = await Promise.all(range(200).map((i) => getValue('session', `key-${i}`)));
    expect(values).toEqual(range(200).map((i) => `value-${i}`));
    expect(await listKeys('session')).toHaveLength(200);
  });

  it('keeps every acknowledged write of concurrent sets across 20 stores', async () => {
    const writes = range(20).flatMap((s) =>
      range(10).map((k) => setValue(`store-${s}`, `key-${k}`, `${s}/${k}`)),
    );
    await Promise.all(writes);

    for (const s of range(20)) {
      const values = await Promise.all(range(10).map((k) => getValue(`store-${s}`, `key-${k}`)));
      expect(values).toEqual(range(10).map((k) => `${s}/${k}`));
    }
  });

  it('ends with one of the written values when one key is set concurrently', async () => {
    // Calls started together are applied in no particular order, but one at a time.
    await Promise.all(range(50).map((i) => setValue('session', 'token', `v${i}`)));

    expect(range(50).map((i) => `v${i}`)).toContain(await getValue('session', 'token'));
    await setValue('session', 'token', 'after');
    expect(await getValue('session', 'token')).toBe('after');
  });

  it('reads only written values while writes, reads and removes interleave', async () => {
    await setValue('session', 'token', 'v0');
    const calls: Promise<unknown>[] = [];
    const reads: Promise<string | undefined>[] = [];
    for (const i of range(30)) {
      calls.push(setValue('session', 'token', `v${i + 1}`));
      reads.push(getValue('session', 'token').catch(() => undefined));
      calls.push(
        setValue('session', `other-${i}`, 'x').then(() => removeKey('session', `other-${i}`)),
      );
    }
    await Promise.all(calls);

    const written = new Set(range(31).map((i) => `v${i}`));
    for (const read of await Promise.all(reads)) expect(written.has(read ?? 'v0')).toBe(true);
    expect(await listKeys('session')).toEqual(['token']);
    expect(await hasKey('session', 'other-0')).toBe(false);
  });
});
