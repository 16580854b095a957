// The end-to-end cases, each a sentence about behaviour, run in order against one browser.
// Values are never printed: a failure reports codes and booleans only.
import { createHash } from 'node:crypto';
import type { CDPSession, Page } from 'playwright-core';

import type * as Keystore from '../../src/index.web';

import { addAuthenticator, call, waitForLibrary, type Browser } from './harness';

/** One case: a name and a body that throws on failure. */
export interface Case {
  readonly name: string;
  readonly run: (browser: Browser) => Promise<void>;
}

function check(condition: boolean, what: string): void {
  if (!condition) throw new Error(what);
}

async function expectValue(page: Page, store: string, key: string, value: string) {
  const outcome = await call(page, 'getValue', store, key);
  const got = outcome.success ? 'a different value' : outcome.code;
  check(outcome.success && outcome.value === value, `${key} did not read back its value (${got})`);
}

async function expectCode(page: Page, code: string, name: string, ...args: unknown[]) {
  const outcome = await call(page, name, ...args);
  const got = outcome.success ? 'it resolved' : outcome.code;
  check(!outcome.success && outcome.code === code, `${name} did not reject with ${code} (${got})`);
}

/** The store id the library uses as a prefix of its IndexedDB keys (see docs/format.md). */
function storeIdOf(store: string): string {
  const digest = createHash('sha256').update('keystore-core store v1\0').update(store).digest();
  return digest.subarray(0, 16).toString('hex');
}

/**
 * Edits the raw IndexedDB records of the key store from inside the page, as someone with
 * access to the profile could: flips the last payload byte of every entry (`{ flip: true }`), or
 * deletes the `keys` records whose slot ends with `slotSuffix`. Returns how many it changed.
 */
function editRecords(page: Page, edit: { flip: true } | { slotSuffix: string }): Promise<number> {
  return page.evaluate(
    (change) =>
      new Promise<number>((resolve, reject) => {
        const objectStore = 'flip' in change ? 'entries' : 'keys';
        const request = indexedDB.open('react-native-rust-keystore');
        request.onsuccess = () => {
          const tx = request.result.transaction(objectStore, 'readwrite');
          let edited = 0;
          tx.objectStore(objectStore).openCursor().onsuccess = (event) => {
            const cursor = (event.target as IDBRequest<IDBCursorWithValue | null>).result;
            if (cursor === null) return;
            const record = cursor.value as { slot?: string; payload?: Uint8Array };
            if ('flip' in change && record.payload !== undefined) {
              record.payload[record.payload.length - 1] ^= 1;
              cursor.update(record);
              edited += 1;
            } else if ('slotSuffix' in change && record.slot?.endsWith(change.slotSuffix)) {
              cursor.delete();
              edited += 1;
            }
            cursor.continue();
          };
          tx.oncomplete = () => {
            request.result.close();
            resolve(edited);
          };
          tx.onerror = () => reject(new Error('edit failed'));
        };
      }),
    edit,
  );
}

export const CASES: Case[] = [
  {
    name: 'the reference flow checks availability, sets, gets, removes and then reports NOT_FOUND',
    async run(browser) {
      const page = await browser.open();
      check(await page.evaluate('keystore.isAvailable()'), 'isAvailable() is false');
      check((await call(page, 'setValue', 'session', 'token', 's3cr3t')).success, 'set failed');
      await expectValue(page, 'session', 'token', 's3cr3t');
      check((await call(page, 'removeKey', 'session', 'token')).success, 'remove failed');
      await expectCode(page, 'NOT_FOUND', 'getValue', 'session', 'token');
      check(
        (await page.evaluate('keystore.getSecurityLevel()')) === 'SOFTWARE',
        'the level is not SOFTWARE',
      );
    },
  },
  {
    name: 'arguments out of range or not text are refused with INVALID_INPUT',
    async run(browser) {
      const page = await browser.open();
      await expectCode(page, 'INVALID_INPUT', 'setValue', 'session', '', 'v');
      await expectCode(page, 'INVALID_INPUT', 'getValue', 's'.repeat(256), 'k');
      await expectCode(page, 'INVALID_INPUT', 'hasKey', 'session', 'k'.repeat(1025));
      await expectCode(page, 'INVALID_INPUT', 'setValue', 'session', 'k', 'v'.repeat(1048577));
      await expectCode(page, 'INVALID_INPUT', 'setValue', 'session', 'k', '\uD800');
    },
  },
  {
    name: 'a page that is not a secure context is unavailable and every call says why',
    async run(browser) {
      const page = await browser.open(`${browser.insecureOrigin}/`);
      check(!(await page.evaluate('keystore.isAvailable()')), 'isAvailable() is true');
      const reason = String(await page.evaluate('keystore.getUnavailableReason()'));
      check(reason.includes('secure context'), 'the reason does not name the secure context');
      const outcome = await call(page, 'setValue', 'session', 'token', 'v');
      check(!outcome.success && outcome.code === 'UNAVAILABLE', 'set was not UNAVAILABLE');
      check(!outcome.success && outcome.message.includes('secure context'), 'no reason given');
      await page.close();
    },
  },
  {
    name: 'entries survive a reload of the page',
    async run(browser) {
      const page = await browser.open();
      await call(page, 'setValue', 'persist', 'token', 'kept');
      await page.reload();
      await waitForLibrary(page);
      await expectValue(page, 'persist', 'token', 'kept');
    },
  },
  {
    name: 'a second tab reads what the first wrote, and the first sees its removal',
    async run(browser) {
      const [first, second] = [await browser.open(), await browser.open()];
      await call(first, 'setValue', 'tabs', 'shared', 'from the first tab');
      await expectValue(second, 'tabs', 'shared', 'from the first tab');
      await call(second, 'removeKey', 'tabs', 'shared');
      await expectCode(first, 'NOT_FOUND', 'getValue', 'tabs', 'shared');
      await second.close();
    },
  },
  {
    name: 'concurrent writes from two tabs are all kept once acknowledged',
    async run(browser) {
      const tabs = [await browser.open(), await browser.open()];
      await Promise.all(
        tabs.map((tab, t) =>
          tab.evaluate(async (tabNumber) => {
            const api = (window as unknown as { keystore: typeof Keystore }).keystore;
            const writes = Array.from({ length: 25 }, (_, i) =>
              api.setValue('race', `tab${tabNumber}-${i}`, `value ${tabNumber}-${i}`),
            );
            writes.push(api.setValue('race', 'both', `last from ${tabNumber}`));
            await Promise.all(writes);
          }, t),
        ),
      );
      for (const tab of tabs) {
        const listed = await call(tab, 'listKeys', 'race');
        check(listed.success && (listed.value as string[]).length === 51, 'a write was lost');
      }
      for (let i = 0; i < 25; i += 1)
        await expectValue(tabs[1], 'race', `tab0-${i}`, `value 0-${i}`);
      const both = await call(tabs[0], 'getValue', 'race', 'both');
      check(both.success && /^last from [01]$/.test(String(both.value)), 'the shared key is lost');
      await tabs[1].close();
    },
  },
  {
    name: 'a record modified in IndexedDB reads as CORRUPTED, never as another value',
    async run(browser) {
      const page = await browser.open();
      await call(page, 'setValue', 'tamper', 'token', 'original');
      const edited = await editRecords(page, { flip: true });
      check(edited > 0, 'no record was edited');
      await expectCode(page, 'CORRUPTED', 'getValue', 'tamper', 'token');
      await expectCode(page, 'CORRUPTED', 'getValue', 'persist', 'token');
    },
  },
  {
    name: 'entries whose data key is deleted report KEY_INVALIDATED until set again',
    async run(browser) {
      const page = await browser.open();
      await call(page, 'setValue', 'lost', 'token', 'v');
      await editRecords(page, { slotSuffix: '.standard' });
      await expectCode(page, 'KEY_INVALIDATED', 'getValue', 'lost', 'token');
      await call(page, 'setValue', 'lost', 'token', 'again');
      await expectValue(page, 'lost', 'token', 'again');
    },
  },
  {
    name: 'a write past the storage quota rejects with STORAGE and stores nothing',
    async run(browser) {
      // Chromium applies a quota override to an origin not used yet: 127.0.0.1, which is also
      // a secure context.
      const page = await browser.context.newPage();
      const cdp = await browser.context.newCDPSession(page);
      const origin = browser.origin.replace('localhost', '127.0.0.1');
      await cdp.send('Storage.overrideQuotaForOrigin', { origin, quotaSize: 65536 });
      await page.goto(`${origin}/`);
      await waitForLibrary(page);
      await expectCode(page, 'STORAGE', 'setValue', 'quota', 'big', 'v'.repeat(1048576));
      await cdp.send('Storage.overrideQuotaForOrigin', { origin });
      await expectCode(page, 'NOT_FOUND', 'getValue', 'quota', 'big');
      await page.close();
    },
  },
];

// The authentication cases share one tab: Chromium allows one virtual platform authenticator
// per tab, and the credential lives in it.
let vault: { page: Page; cdp: CDPSession; id: string } | undefined;

function vaultTab() {
  if (vault === undefined) throw new Error('the authenticator case did not run first');
  return vault;
}

export const AUTHENTICATION_CASES: Case[] = [
  {
    name: 'an entry with authentication is set and read through the platform authenticator',
    async run(browser) {
      const page = await browser.open();
      vault = { page, ...(await addAuthenticator(page, { hasPrf: true, isUserVerified: true })) };
      await page.evaluate('keystore.canAuthenticate()');
      await page.waitForFunction('keystore.canAuthenticate()');
      const set = await call(page, 'setValue', 'vault', 'pin', '2468', { authentication: true });
      check(set.success, `the set failed (${set.success ? '' : set.code})`);
      await expectValue(page, 'vault', 'pin', '2468');
      const metadata = await call(page, 'getMetadata', 'vault', 'pin');
      check(
        metadata.success && (metadata.value as { authentication: boolean }).authentication,
        'the metadata does not say authentication',
      );
    },
  },
  {
    name: 'an assertion without user verification is refused with AUTHENTICATION_FAILED',
    async run() {
      const { page, cdp, id } = vaultTab();
      // The authenticator answers with the UV flag cleared, as one that skipped verification.
      await cdp.send('WebAuthn.setResponseOverrideBits', { authenticatorId: id, isBadUV: true });
      await expectCode(page, 'AUTHENTICATION_FAILED', 'getValue', 'vault', 'pin');
      await cdp.send('WebAuthn.setResponseOverrideBits', { authenticatorId: id, isBadUV: false });
      await expectValue(page, 'vault', 'pin', '2468');
    },
  },
  {
    name: 'an entry with authentication is still readable after a reload',
    async run() {
      const { page } = vaultTab();
      await page.reload();
      await waitForLibrary(page);
      await expectValue(page, 'vault', 'pin', '2468');
    },
  },
  {
    name: 'an entry whose credential record is gone reports KEY_INVALIDATED',
    async run() {
      const { page } = vaultTab();
      await call(page, 'setValue', 'gone', 'token', 'v', { authentication: true });
      const slot = `${storeIdOf('gone')}.user-presence`;
      check((await editRecords(page, { slotSuffix: slot })) === 1, 'the credential was not found');
      await expectCode(page, 'KEY_INVALIDATED', 'getValue', 'gone', 'token');
      await expectValue(page, 'vault', 'pin', '2468');
    },
  },
  {
    name: 'a user who declines verification gets AUTHENTICATION_CANCELLED and the entry stays',
    async run() {
      const { page, cdp, id } = vaultTab();
      // Chromium's virtual authenticator keeps refusing after this, so it runs last with it.
      await cdp.send('WebAuthn.setUserVerified', { authenticatorId: id, isUserVerified: false });
      await expectCode(page, 'AUTHENTICATION_CANCELLED', 'getValue', 'vault', 'pin');
      await expectCode(page, 'AUTHENTICATION_CANCELLED', 'setValue', 'vault', 'new', 'v', {
        authentication: true,
      });
      const kept = await call(page, 'hasKey', 'vault', 'pin');
      check(kept.success && kept.value === true, 'the entry was lost');
      await expectCode(page, 'NOT_FOUND', 'getValue', 'vault', 'new');
    },
  },
  {
    name: 'an authenticator without PRF is refused with UNAVAILABLE and nothing is stored',
    async run() {
      const { page, cdp, id } = vaultTab();
      await cdp.send('WebAuthn.removeVirtualAuthenticator', { authenticatorId: id });
      await addAuthenticator(page, { hasPrf: false, isUserVerified: true });
      await expectCode(page, 'UNAVAILABLE', 'setValue', 'plain', 'pin', '1', {
        authentication: true,
      });
      await expectCode(page, 'NOT_FOUND', 'getValue', 'plain', 'pin');
      check(!(await page.evaluate('keystore.canAuthenticate()')), 'canAuthenticate() is true');
    },
  },
];
