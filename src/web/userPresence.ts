/// <reference lib="dom" />
// Values of entries that require authentication, wrapped under a key derived from the
// authenticator's PRF output, inside the entry that the store's data key seals:
//
//   wrap key  := HKDF-SHA-256(ikm = PRF(credential, salt), salt = "", info = WRAP_INFO)
//   body      := len16(credential id) || credential id || salt (32) || iv (12)
//                || AES-GCM-256(wrap key, iv, value, value_ad)
//   value_ad  := "RNKV" || version u16 (1) || len32(store name) || len32(key name) || class u8 (1)
//                || len16(credential id) || credential id
//
// The PRF output only exists after the user passes verification on the authenticator, and
// the wrap key is non-extractable; neither is stored.
import { ByteReader, ByteWriter, randomBytes, utf8 } from './bytes';
import { corrupted } from './failures';
import { FORMAT_VERSION } from './seal';

const WRAP_INFO = 'react-native-rust-keystore web v1 user-presence value';
const IV_BYTES = 12;

/** The PRF input of one entry: random, so every value has its own wrap key. */
export function newSalt(): Uint8Array<ArrayBuffer> {
  return randomBytes(32);
}

/** The parts of a wrapped body that are needed before the user is asked. */
export interface WrappedBody {
  readonly credentialId: Uint8Array<ArrayBuffer>;
  readonly salt: Uint8Array<ArrayBuffer>;
  readonly iv: Uint8Array<ArrayBuffer>;
  readonly sealed: Uint8Array<ArrayBuffer>;
}

async function wrapKey(output: Uint8Array<ArrayBuffer>): Promise<CryptoKey> {
  const { subtle } = globalThis.crypto;
  try {
    const base = await subtle.importKey('raw', output, 'HKDF', false, ['deriveKey']);
    return await subtle.deriveKey(
      { name: 'HKDF', hash: 'SHA-256', salt: new Uint8Array(0), info: utf8(WRAP_INFO) },
      base,
      { name: 'AES-GCM', length: 256 },
      false,
      ['encrypt', 'decrypt'],
    );
  } finally {
    output.fill(0);
  }
}

function valueAd(store: string, key: string, credentialId: Uint8Array): Uint8Array<ArrayBuffer> {
  const storeName = utf8(store);
  const keyName = utf8(key);
  return new ByteWriter()
    .bytes(utf8('RNKV'))
    .u16(FORMAT_VERSION)
    .u32(storeName.length)
    .bytes(storeName)
    .u32(keyName.length)
    .bytes(keyName)
    .u8(1)
    .u16(credentialId.length)
    .bytes(credentialId)
    .finish();
}

/** Wraps `value` under the PRF `output` (which is wiped) of `credentialId` for `salt`. */
export async function wrapValue(
  store: string,
  key: string,
  value: string,
  credentialId: Uint8Array<ArrayBuffer>,
  salt: Uint8Array<ArrayBuffer>,
  output: Uint8Array<ArrayBuffer>,
): Promise<Uint8Array<ArrayBuffer>> {
  const iv = randomBytes(IV_BYTES);
  const sealed = await globalThis.crypto.subtle.encrypt(
    { name: 'AES-GCM', iv, additionalData: valueAd(store, key, credentialId) },
    await wrapKey(output),
    utf8(value),
  );
  return new ByteWriter()
    .u16(credentialId.length)
    .bytes(credentialId)
    .bytes(salt)
    .bytes(iv)
    .bytes(new Uint8Array(sealed))
    .finish();
}

/** Splits a wrapped body; throws `CORRUPTED` when it is malformed. */
export function parseBody(body: Uint8Array): WrappedBody {
  try {
    const reader = new ByteReader(body);
    const credentialId = reader.bytes(reader.u16());
    return {
      credentialId,
      salt: reader.bytes(32),
      iv: reader.bytes(IV_BYTES),
      sealed: reader.rest(),
    };
  } catch {
    throw corrupted();
  }
}

/** Unwraps the value with the PRF `output` (which is wiped); throws `CORRUPTED` on failure. */
export async function unwrapValue(
  store: string,
  key: string,
  body: WrappedBody,
  output: Uint8Array<ArrayBuffer>,
): Promise<Uint8Array<ArrayBuffer>> {
  try {
    const opened = await globalThis.crypto.subtle.decrypt(
      { name: 'AES-GCM', iv: body.iv, additionalData: valueAd(store, key, body.credentialId) },
      await wrapKey(output),
      body.sealed,
    );
    return new Uint8Array(opened);
  } catch {
    throw corrupted();
  }
}
