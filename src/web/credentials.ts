/// <reference lib="dom" />
// The credential of each store's user-presence class: created on the first set that asks for
// authentication, its id kept in the `keys` slot `<store id>.user-presence`, and used to wrap
// and unwrap the values of that store's entries that require authentication.
import { onResult, transact } from './database';
import { slotOf } from './dataKeys';
import { keyInvalidated } from './failures';
import { newSalt, parseBody, unwrapValue, wrapValue } from './userPresence';
import { createCredential, evaluatePrf } from './webauthn';

interface CredentialRecord {
  readonly slot: string;
  readonly credentialId: Uint8Array<ArrayBuffer>;
  readonly createdAt: number;
}

function credentialIdOf(record: unknown): Uint8Array<ArrayBuffer> | undefined {
  if (typeof record !== 'object' || record === null) return undefined;
  const { credentialId } = record as Partial<CredentialRecord>;
  return ArrayBuffer.isView(credentialId) ? new Uint8Array(credentialId) : undefined;
}

function loadCredential(storeId: string): Promise<Uint8Array<ArrayBuffer> | undefined> {
  return transact(['keys'], 'readonly', (transaction) => {
    const { tx } = transaction;
    let id: Uint8Array<ArrayBuffer> | undefined;
    onResult(
      transaction,
      tx.objectStore('keys').get(slotOf(storeId, 'user-presence')),
      (record) => {
        id = credentialIdOf(record);
      },
    );
    return () => id;
  });
}

/** Saves `id` unless another tab saved a credential first; returns the one that counts. */
function saveCredential(storeId: string, id: Uint8Array<ArrayBuffer>) {
  return transact(['keys'], 'readwrite', (transaction) => {
    const { tx } = transaction;
    let kept = id;
    const keys = tx.objectStore('keys');
    const slot = slotOf(storeId, 'user-presence');
    onResult(transaction, keys.get(slot), (record) => {
      const existing = credentialIdOf(record);
      if (existing !== undefined) {
        kept = existing;
      } else {
        const saved: CredentialRecord = { slot, credentialId: id, createdAt: Date.now() };
        keys.put(saved);
      }
    });
    return () => kept;
  });
}

/**
 * Wraps `value` for an entry that requires authentication: creates the store's credential
 * first if it has none, then asks the user to verify and derives the wrap key from PRF.
 * Rejects like {@link evaluatePrf}, and with `UNAVAILABLE` when PRF is unsupported; nothing
 * is stored then.
 */
export async function wrapForUser(
  store: string,
  storeId: string,
  key: string,
  value: string,
): Promise<Uint8Array<ArrayBuffer>> {
  const salt = newSalt();
  let id = await loadCredential(storeId);
  let output: Uint8Array<ArrayBuffer> | undefined;
  if (id === undefined) {
    const created = await createCredential(storeId, salt);
    id = await saveCredential(storeId, created.id);
    // Only a registration that saved its own credential may use the output it returned.
    if (id === created.id) output = created.output;
  }
  output ??= await evaluatePrf(id, salt);

  return wrapValue(store, key, value, id, salt, output);
}

/**
 * Unwraps the value of an entry that requires authentication, after the user verifies.
 * Rejects with `KEY_INVALIDATED` when the store's credential is gone or was replaced.
 */
export async function unwrapForUser(
  store: string,
  storeId: string,
  key: string,
  body: Uint8Array,
): Promise<Uint8Array<ArrayBuffer>> {
  const wrapped = parseBody(body);
  const current = await loadCredential(storeId);
  if (current === undefined || !sameId(current, wrapped.credentialId)) {
    throw keyInvalidated('the credential protecting this entry');
  }

  const output = await evaluatePrf(wrapped.credentialId, wrapped.salt);
  return unwrapValue(store, key, wrapped, output);
}

function sameId(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((byte, i) => byte === b[i]);
}
