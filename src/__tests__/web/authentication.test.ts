// Entries that require authentication, against a scripted authenticator: the value is wrapped
// under a key from the PRF extension, each read needs a verified user, and every way the
// authenticator can say no has its own code.
import {
  canAuthenticate,
  configure,
  getMetadata,
  getValue,
  hasKey,
  listKeys,
  setValue,
} from '../../index.web';
import { probeAuthenticator } from '../../web/webauthn';
import { installAuthenticator, type FakeAuthenticator } from './authenticator';
import { codeOf, deleteRaw, freshBrowser, rawRecords, rejectionOf } from './setup';

let authenticator: FakeAuthenticator;
let database: string;

beforeEach(() => {
  database = freshBrowser();
  configure({ directory: database });
  authenticator = installAuthenticator();
});

describe('entries that require authentication on web', () => {
  it('asks the user on set and on every read, and reads the value back', async () => {
    await setValue('vault', 'pin', '1234', { authentication: true });
    const afterSet = authenticator.prompts;

    expect(await getValue('vault', 'pin')).toBe('1234');
    expect(await getValue('vault', 'pin')).toBe('1234');
    expect(authenticator.prompts).toBe(afterSet + 2);
    expect(authenticator.secrets.size).toBe(1);
  });

  it('reads metadata, presence and key lists without asking the user', async () => {
    await setValue('vault', 'pin', '1234', { authentication: true });
    const prompts = authenticator.prompts;

    expect(await getMetadata('vault', 'pin')).toMatchObject({ authentication: true });
    expect(await hasKey('vault', 'pin')).toBe(true);
    expect(await listKeys('vault')).toEqual(['pin']);
    expect(authenticator.prompts).toBe(prompts);
  });

  it('reports a user who cancels as AUTHENTICATION_CANCELLED and keeps the entry', async () => {
    await setValue('vault', 'pin', '1234', { authentication: true });
    authenticator.answer = 'cancel';

    expect(await codeOf(() => getValue('vault', 'pin'))).toBe('AUTHENTICATION_CANCELLED');
    authenticator.answer = 'verify';
    expect(await getValue('vault', 'pin')).toBe('1234');
  });

  it('stores nothing when the user cancels the set', async () => {
    authenticator.answer = 'cancel';

    expect(await codeOf(() => setValue('vault', 'pin', '1', { authentication: true }))).toBe(
      'AUTHENTICATION_CANCELLED',
    );
    expect(await hasKey('vault', 'pin')).toBe(false);
  });

  it('reports an assertion without user verification as AUTHENTICATION_FAILED', async () => {
    await setValue('vault', 'pin', '1234', { authentication: true });
    authenticator.answer = 'unverified';

    expect(await codeOf(() => getValue('vault', 'pin'))).toBe('AUTHENTICATION_FAILED');
  });

  it('refuses with UNAVAILABLE and stores nothing when the authenticator has no PRF', async () => {
    authenticator.prf = false;

    const error = await rejectionOf(() => setValue('vault', 'pin', '1', { authentication: true }));

    expect(error.code).toBe('UNAVAILABLE');
    expect(error.message).toContain('PRF');
    expect(await rawRecords(database, 'entries')).toEqual([]);
    expect(canAuthenticate()).toBe(false);
  });

  it('refuses with UNAVAILABLE and stores nothing when an assertion has no PRF output', async () => {
    authenticator.answer = 'no-prf';

    expect(await codeOf(() => setValue('vault', 'pin', '1', { authentication: true }))).toBe(
      'UNAVAILABLE',
    );
    expect(await rawRecords(database, 'entries')).toEqual([]);
  });

  it('refuses with UNAVAILABLE where the browser has no WebAuthn', async () => {
    Object.assign(globalThis, { PublicKeyCredential: undefined });

    expect(await codeOf(() => setValue('vault', 'pin', '1', { authentication: true }))).toBe(
      'UNAVAILABLE',
    );
    expect(await probeAuthenticator()).toBe(false);
    expect(canAuthenticate()).toBe(false);
  });

  it('reports KEY_INVALIDATED when the credential is no longer the store’s', async () => {
    await setValue('vault', 'pin', '1234', { authentication: true });
    const keys = await rawRecords(database, 'keys');
    const slot = keys.find((record) => String(record.slot).endsWith('.user-presence'));
    expect(slot).toBeDefined();
    await deleteRaw(database, 'keys', String(slot?.slot));

    expect(await codeOf(() => getValue('vault', 'pin'))).toBe('KEY_INVALIDATED');
  });

  it('cannot read a value with another credential’s PRF output: CORRUPTED', async () => {
    await setValue('vault', 'pin', '1234', { authentication: true });
    for (const id of authenticator.secrets.keys()) {
      authenticator.secrets.set(id, Buffer.alloc(32, 7));
    }

    expect(await codeOf(() => getValue('vault', 'pin'))).toBe('CORRUPTED');
  });

  it('reports canAuthenticate() true once the probe has seen an authenticator with PRF', async () => {
    expect(await probeAuthenticator()).toBe(true);
    expect(canAuthenticate()).toBe(true);
  });
});
