// Writes racing with other writes and with clearing, as two tabs produce them: a set that
// resolved is readable afterwards, and is never left behind under a deleted data key.
import { clearStore, configure, getValue, listKeys, setValue } from '../../index.web';
import * as seal from '../../web/seal';
import { freshBrowser, rawRecords } from './setup';

let database: string;

beforeEach(() => {
  database = freshBrowser();
  configure({ directory: database });
});

afterEach(() => {
  jest.restoreAllMocks();
});

describe('writes racing on web', () => {
  it('starts a set over when the store is cleared while its entry is being sealed', async () => {
    await setValue('session', 'old', 'v');
    const [before] = await rawRecords(database, 'keys');
    const original = seal.sealEntry;
    const spy = jest.spyOn(seal, 'sealEntry').mockImplementationOnce(async (...args) => {
      await clearStore('session');
      return original(...args);
    });

    await setValue('session', 'token', 'kept');

    expect(spy).toHaveBeenCalledTimes(2);
    expect(await getValue('session', 'token')).toBe('kept');
    expect(await listKeys('session')).toEqual(['token']);
    const [after] = await rawRecords(database, 'keys');
    expect(after.keyId).not.toBe(before.keyId);
  });

  it('keeps one of two values set at once on the same key, and every other key', async () => {
    await Promise.all([
      setValue('session', 'shared', 'first'),
      setValue('session', 'shared', 'second'),
      setValue('session', 'a', '1'),
      setValue('session', 'b', '2'),
    ]);

    expect(['first', 'second']).toContain(await getValue('session', 'shared'));
    expect((await listKeys('session')).sort()).toEqual(['a', 'b', 'shared']);
  });

  it('creates one data key when the first writes of a store run at once', async () => {
    await Promise.all(Array.from({ length: 8 }, (_, i) => setValue('fresh', `k${i}`, 'v')));

    expect(await rawRecords(database, 'keys')).toHaveLength(1);
    expect(await listKeys('fresh')).toHaveLength(8);
  });
});
