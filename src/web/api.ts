// The asynchronous functions of the web build, with the behaviour and error codes of the
// native ones (their TSDoc in ../setValue.ts and its siblings is the reference); what differs
// on web is stated here. Every argument is checked before anything is read or written.
import { invalidInput } from '../errors';
import { checkOptions, checkPrompt, describe } from '../input';
import type { EntryMetadata, GetOptions, SetOptions } from '../types';
import { fromUtf8, utf8 } from './bytes';
import { unwrapForUser, wrapForUser } from './credentials';
import { storeIdOf } from './dataKeys';
import { requireAvailable } from './environment';
import { corrupted } from './failures';
import { checkKey, checkStore, checkValue } from './limits';
import { findEntry, hasEntry, listNames } from './records';
import { Kind } from './seal';
import { clearEntries, removeEntry, setEntry } from './writes';

/**
 * Sets the value of `key` in `store`; resolves once IndexedDB has committed it, so another tab
 * reads it from then on. Limits and refused text as on native.
 *
 * @platform web With `authentication: true` the browser asks the user to verify with the
 * platform authenticator (setting prompts on web, unlike native), the first time also to
 * create the store's credential. Rejects with `UNAVAILABLE`, storing nothing, where WebAuthn,
 * a platform authenticator or its PRF extension is missing.
 *
 * @throws {KeyStoreError} (as a rejection) `INVALID_INPUT`; `UNAVAILABLE`; `STORAGE` (quota);
 * `AUTHENTICATION_CANCELLED`, `AUTHENTICATION_FAILED` with `authentication: true`.
 */
export async function setValue(
  store: string,
  key: string,
  value: string,
  options?: SetOptions,
): Promise<void> {
  checkStore(store);
  checkKey(key);
  checkValue(value);
  const { authentication = false } = checkOptions('options of setValue', options, [
    'authentication',
  ]);
  if (typeof authentication !== 'boolean') {
    throw invalidInput(
      `options.authentication must be a boolean; it is ${describe(authentication)}`,
    );
  }
  requireAvailable();

  const storeId = await storeIdOf(store);
  const body = authentication
    ? { kind: Kind.UserPresence, bytes: await wrapForUser(store, storeId, key, value) }
    : { kind: Kind.Standard, bytes: utf8(value) };
  await setEntry(store, storeId, key, body);
}

/**
 * Reads the value of `key` in `store`.
 *
 * @platform web An entry set with `authentication: true` asks the user to verify with the
 * platform authenticator; WebAuthn shows the browser's own prompt, so `options.prompt` is
 * checked but its texts are not shown.
 *
 * @throws {KeyStoreError} (as a rejection) `NOT_FOUND`; `INVALID_INPUT`; `UNAVAILABLE`;
 * `CORRUPTED` when the record was modified; `KEY_INVALIDATED` when the data key or the
 * credential is gone; `AUTHENTICATION_CANCELLED`; `AUTHENTICATION_FAILED`; `STORAGE`.
 */
export async function getValue(store: string, key: string, options?: GetOptions): Promise<string> {
  checkStore(store);
  checkKey(key);
  const { prompt } = checkOptions('options of getValue', options, ['prompt']);
  checkPrompt(prompt);
  requireAvailable();

  const storeId = await storeIdOf(store);
  const { record, entry } = await findEntry(store, storeId, key);
  const bytes =
    record.kind === Kind.UserPresence
      ? await unwrapForUser(store, storeId, key, entry.body)
      : entry.body;
  try {
    return fromUtf8(bytes);
  } catch {
    throw corrupted();
  }
}

/** Removes the entry of `key`; as on native, removing a missing key succeeds. Never prompts. */
export async function removeKey(store: string, key: string): Promise<void> {
  checkStore(store);
  checkKey(key);
  requireAvailable();

  await removeEntry(await storeIdOf(store), key);
}

/** Whether `store` has an entry for `key`; a damaged one counts. Never prompts. */
export async function hasKey(store: string, key: string): Promise<boolean> {
  checkStore(store);
  checkKey(key);
  requireAvailable();

  return hasEntry(await storeIdOf(store), key);
}

/** The keys of `store` in the order they were first set; damaged entries are left out. */
export async function listKeys(store: string): Promise<string[]> {
  checkStore(store);
  requireAvailable();

  return listNames(store, await storeIdOf(store));
}

/**
 * Removes every entry of `store`, its data key and its credential id.
 *
 * @platform web The store's WebAuthn credential stays on the authenticator (a page cannot
 * delete credentials); it is no longer used, and the next set with authentication creates a
 * new one.
 */
export async function clearStore(store: string): Promise<void> {
  checkStore(store);
  requireAvailable();

  await clearEntries(await storeIdOf(store));
}

/** What is known about the entry of `key` without its value. Never prompts. */
export async function getMetadata(store: string, key: string): Promise<EntryMetadata> {
  checkStore(store);
  checkKey(key);
  requireAvailable();

  const { record, entry } = await findEntry(store, await storeIdOf(store), key);
  return {
    authentication: record.kind === Kind.UserPresence,
    securityLevel: 'SOFTWARE',
    createdAt: new Date(entry.createdAt),
    updatedAt: new Date(entry.updatedAt),
  };
}
