/// <reference lib="dom" />
// The platform authenticator, through WebAuthn: one credential per store for entries that
// require authentication, and its PRF extension (CTAP2 `hmac-secret`) as the source of the
// key that wraps their values.
//
// Every ceremony requires user verification, and the assertion's UV flag is checked: the
// authenticator keeps separate PRF secrets for verified and unverified use, so a value
// wrapped after verification can only be unwrapped after verification again.
import { KeyStoreError } from '../errors';
import { randomBytes, utf8 } from './bytes';
import { errorName, keyInvalidated } from './failures';

const TIMEOUT_MS = 120_000;
// Bit 2 of the flags byte of authenticator data: the user was verified.
const UV_FLAG = 0x04;
const FLAGS_OFFSET = 32;

let probed: boolean | undefined;

/** What the last probe learnt, or `false` before the first probe has finished. */
export function knownCanAuthenticate(): boolean {
  return probed === true;
}

/**
 * Asks the browser whether it has a user-verifying platform authenticator and, where the
 * browser can say so, whether it supports PRF. Remembers the answer for
 * {@link knownCanAuthenticate}; never rejects.
 */
export async function probeAuthenticator(): Promise<boolean> {
  try {
    const Credential = globalThis.PublicKeyCredential;
    if (typeof Credential === 'undefined' || globalThis.isSecureContext !== true) {
      probed = false;
      return false;
    }
    const platform = await Credential.isUserVerifyingPlatformAuthenticatorAvailable();
    // `getClientCapabilities` is newer than PRF; without it, PRF is tried at the first set.
    const capabilities = await Credential.getClientCapabilities?.().catch(() => undefined);
    probed = platform && capabilities?.['extension:prf'] !== false;
  } catch {
    probed = false;
  }
  return probed;
}

/** Records the outcome of a ceremony: it proves (or disproves) what the probe guessed. */
function learnt(canAuthenticate: boolean): void {
  probed = canAuthenticate;
}

function unavailable(reason: string): KeyStoreError {
  return new KeyStoreError(
    'UNAVAILABLE',
    `the platform authenticator cannot protect entries here: ${reason}. Check ` +
      "canAuthenticate() first, or set the entry without authentication if the app's policy " +
      'allows it',
  );
}

/** Converts a rejection of `navigator.credentials` into a {@link KeyStoreError}. */
function ceremonyError(error: unknown): KeyStoreError {
  if (KeyStoreError.is(error)) return error;
  const name = errorName(error);
  // Browsers report a dismissed prompt, a timeout and a declined verification alike, on
  // purpose: a page must not learn which credentials exist.
  if (name === 'NotAllowedError' || name === 'AbortError') {
    return new KeyStoreError(
      'AUTHENTICATION_CANCELLED',
      'the user dismissed the authenticator prompt, or it timed out; the entry is intact, ask again',
    );
  }
  if (name === 'SecurityError') {
    return unavailable('the page origin cannot use WebAuthn (it needs https and a domain name)');
  }
  return unavailable(`the browser refused the WebAuthn request (${name ?? typeof error})`);
}

/** The PRF output of an assertion or registration, when the authenticator gave one. */
function prfOutput(credential: PublicKeyCredential): Uint8Array<ArrayBuffer> | undefined {
  const first = credential.getClientExtensionResults().prf?.results?.first;
  if (first === undefined) return undefined;
  return ArrayBuffer.isView(first)
    ? new Uint8Array(first.buffer.slice(first.byteOffset, first.byteOffset + first.byteLength))
    : new Uint8Array(first.slice(0));
}

/** A new credential on the platform authenticator, and the PRF output for `salt` if given. */
export async function createCredential(
  storeId: string,
  salt: Uint8Array<ArrayBuffer>,
): Promise<{ id: Uint8Array<ArrayBuffer>; output: Uint8Array<ArrayBuffer> | undefined }> {
  if (typeof globalThis.PublicKeyCredential === 'undefined') {
    learnt(false);
    throw unavailable('this browser has no WebAuthn');
  }

  let credential: PublicKeyCredential;
  try {
    const created = await globalThis.navigator.credentials.create({
      publicKey: {
        challenge: randomBytes(32),
        rp: { name: globalThis.location?.hostname || 'react-native-rust-keystore' },
        user: {
          id: utf8(storeId),
          name: `secure storage ${storeId.slice(0, 8)}`,
          displayName: 'Secure storage',
        },
        pubKeyCredParams: [
          { type: 'public-key', alg: -7 },
          { type: 'public-key', alg: -257 },
        ],
        authenticatorSelection: {
          authenticatorAttachment: 'platform',
          residentKey: 'discouraged',
          userVerification: 'required',
        },
        attestation: 'none',
        timeout: TIMEOUT_MS,
        extensions: { prf: { eval: { first: salt } } },
      },
    });
    if (created === null) throw new DOMException('no credential', 'NotAllowedError');
    credential = created as PublicKeyCredential;
  } catch (error) {
    if (errorName(error) === 'NotSupportedError') learnt(false);
    throw ceremonyError(error);
  }

  if (credential.getClientExtensionResults().prf?.enabled !== true) {
    learnt(false);
    throw unavailable('the platform authenticator does not support the PRF extension');
  }
  learnt(true);
  return { id: new Uint8Array(credential.rawId.slice(0)), output: prfOutput(credential) };
}

/**
 * The PRF output of credential `id` for `salt`, after the user passes verification. Rejects
 * with `AUTHENTICATION_CANCELLED` when the user dismisses the prompt, `AUTHENTICATION_FAILED`
 * when the authenticator answers without verifying the user, `KEY_INVALIDATED` when another
 * credential answers, and `UNAVAILABLE` when the authenticator gives no PRF output.
 */
export async function evaluatePrf(
  id: Uint8Array<ArrayBuffer>,
  salt: Uint8Array<ArrayBuffer>,
): Promise<Uint8Array<ArrayBuffer>> {
  if (typeof globalThis.PublicKeyCredential === 'undefined') {
    throw unavailable('this browser has no WebAuthn');
  }

  let assertion: PublicKeyCredential;
  try {
    const answered = await globalThis.navigator.credentials.get({
      publicKey: {
        challenge: randomBytes(32),
        allowCredentials: [{ type: 'public-key', id }],
        userVerification: 'required',
        timeout: TIMEOUT_MS,
        extensions: { prf: { eval: { first: salt } } },
      },
    });
    if (answered === null) throw new DOMException('no assertion', 'NotAllowedError');
    assertion = answered as PublicKeyCredential;
  } catch (error) {
    throw ceremonyError(error);
  }

  if (!sameBytes(new Uint8Array(assertion.rawId), id)) {
    throw keyInvalidated('the credential protecting this entry');
  }
  const data = new Uint8Array(
    (assertion.response as AuthenticatorAssertionResponse).authenticatorData,
  );
  if (data.length <= FLAGS_OFFSET || (data[FLAGS_OFFSET] & UV_FLAG) === 0) {
    throw new KeyStoreError(
      'AUTHENTICATION_FAILED',
      'the authenticator did not verify the user; let the user try again, or offer another way to sign in',
    );
  }
  const output = prfOutput(assertion);
  if (output === undefined) {
    throw unavailable('the authenticator returned no PRF output');
  }
  return output;
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((byte, i) => byte === b[i]);
}
