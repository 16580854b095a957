/// <reference lib="dom" />
// Sealing entries under a store's data key, with the same bindings as the Rust core
// (docs/format.md) and AES-GCM in place of XChaCha20-Poly1305, because WebCrypto has no
// XChaCha:
//
//   payload   := iv (12 random bytes) || AES-GCM-256(seal key, iv, plaintext, record_ad)
//   record_ad := "RNKW" || version u16 (1) || kind u8 || len32(store name) || tag (16)
//                || sequence number u64 || key id (8)
//
// The plaintext is the native entry plaintext: version u8 (1), created sequence u64, created
// ms u64, updated ms u64, security level u8, key name length u16, key name, body. So the key
// name and the timestamps are sealed too, and a payload moved to another store, tag, kind,
// position or data key fails to open: CORRUPTED, never another entry's value.
import { ByteReader, ByteWriter, fromHex, fromUtf8, utf8 } from './bytes';
import type { DataKey } from './dataKeys';
import { corrupted } from './failures';

/** The format version bound into every associated data. */
export const FORMAT_VERSION = 1;

/** Record kinds, numbered as on native. */
export const Kind = { Standard: 1, UserPresence: 2 } as const;

/** One of {@link Kind}. */
export type Kind = (typeof Kind)[keyof typeof Kind];

/** A record of the `entries` object store; everything but `payload` is in the clear. */
export interface EntryRecord {
  readonly storeId: string;
  /** The key name's tag, 32 hex digits. */
  readonly tag: string;
  readonly kind: Kind;
  /** One more than the store's previous write; bound into the associated data. */
  readonly seq: number;
  /** The id of the data key that sealed the record. */
  readonly keyId: string;
  readonly payload: Uint8Array<ArrayBuffer>;
}

/** The sealed contents of an entry. */
export interface Entry {
  readonly createdSeq: number;
  readonly createdAt: number;
  readonly updatedAt: number;
  readonly key: string;
  /** The value in UTF-8 (standard), or the value wrapped by the authenticator (user presence). */
  readonly body: Uint8Array<ArrayBuffer>;
}

const ENTRY_VERSION = 1;
const SOFTWARE_LEVEL = 0;
const IV_BYTES = 12;

function recordAd(store: string, record: Omit<EntryRecord, 'payload'>): Uint8Array<ArrayBuffer> {
  const name = utf8(store);
  return new ByteWriter()
    .bytes(utf8('RNKW'))
    .u16(FORMAT_VERSION)
    .u8(record.kind)
    .u32(name.length)
    .bytes(name)
    .bytes(fromHex(record.tag))
    .u64(record.seq)
    .bytes(fromHex(record.keyId))
    .finish();
}

/** Seals `entry` into the payload of the record described by `header`. */
export async function sealEntry(
  key: DataKey,
  store: string,
  header: Omit<EntryRecord, 'payload'>,
  entry: Entry,
): Promise<Uint8Array<ArrayBuffer>> {
  const name = utf8(entry.key);
  const plaintext = new ByteWriter()
    .u8(ENTRY_VERSION)
    .u64(entry.createdSeq)
    .u64(entry.createdAt)
    .u64(entry.updatedAt)
    .u8(SOFTWARE_LEVEL)
    .u16(name.length)
    .bytes(name)
    .bytes(entry.body)
    .finish();

  const iv = globalThis.crypto.getRandomValues(new Uint8Array(IV_BYTES));
  const additionalData = recordAd(store, header);
  const sealed = await globalThis.crypto.subtle.encrypt(
    { name: 'AES-GCM', iv, additionalData },
    key.seal,
    plaintext,
  );
  return new ByteWriter().bytes(iv).bytes(new Uint8Array(sealed)).finish();
}

/**
 * Opens a record sealed by {@link sealEntry}. Throws `CORRUPTED` when any of its fields or
 * its payload was changed, or the plaintext is malformed.
 */
export async function openEntry(key: DataKey, store: string, record: EntryRecord): Promise<Entry> {
  let plaintext: Uint8Array;
  try {
    const payload = record.payload;
    const iv = payload.slice(0, IV_BYTES);
    const additionalData = recordAd(store, record);
    const opened = await globalThis.crypto.subtle.decrypt(
      { name: 'AES-GCM', iv, additionalData },
      key.seal,
      payload.slice(IV_BYTES),
    );
    plaintext = new Uint8Array(opened);
  } catch {
    throw corrupted();
  }

  try {
    const reader = new ByteReader(plaintext);
    if (reader.u8() !== ENTRY_VERSION) throw new RangeError('entry version');
    const createdSeq = reader.u64();
    const createdAt = reader.u64();
    const updatedAt = reader.u64();
    reader.u8();
    const name = fromUtf8(reader.bytes(reader.u16()));
    return { createdSeq, createdAt, updatedAt, key: name, body: reader.rest() };
  } catch {
    throw corrupted();
  }
}

/** Whether a value read from the `entries` object store has the shape of an {@link EntryRecord}. */
export function isEntryRecord(value: unknown): value is EntryRecord {
  if (typeof value !== 'object' || value === null) return false;
  const { tag, kind, seq, keyId, payload } = value as Partial<EntryRecord>;
  return (
    typeof tag === 'string' &&
    /^[0-9a-f]{32}$/.test(tag) &&
    (kind === Kind.Standard || kind === Kind.UserPresence) &&
    typeof seq === 'number' &&
    Number.isSafeInteger(seq) &&
    seq >= 0 &&
    typeof keyId === 'string' &&
    /^[0-9a-f]{16}$/.test(keyId) &&
    ArrayBuffer.isView(payload)
  );
}
