// A scripted platform authenticator for the unit tests: `navigator.credentials` and
// `PublicKeyCredential` with the PRF extension computed as HMAC-SHA-256 of a per-credential
// secret, like CTAP2 `hmac-secret`. The end-to-end tests use Chromium's virtual authenticator.
import { createHmac, randomBytes } from 'node:crypto';

/** What the next ceremony does. */
export type Answer = 'verify' | 'cancel' | 'unverified' | 'no-prf';

/** The scripted authenticator's state, changed by the tests. */
export interface FakeAuthenticator {
  /** What every ceremony does from now on. */
  answer: Answer;
  /** Whether registrations report PRF support. */
  prf: boolean;
  /** The number of ceremonies (prompts) so far. */
  prompts: number;
  /** The credentials it holds, by id in hex. */
  readonly secrets: Map<string, Buffer>;
}

function notAllowed(): Error {
  return Object.assign(new Error('The operation either timed out or was not allowed.'), {
    name: 'NotAllowedError',
  });
}

function bufferOf(source: BufferSource): Buffer {
  return ArrayBuffer.isView(source)
    ? Buffer.from(source.buffer, source.byteOffset, source.byteLength)
    : Buffer.from(source);
}

function arrayBuffer(bytes: Buffer): ArrayBuffer {
  return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length) as ArrayBuffer;
}

/** Installs a fresh fake authenticator on `globalThis` and returns it. */
export function installAuthenticator(): FakeAuthenticator {
  const state: FakeAuthenticator = { answer: 'verify', prf: true, prompts: 0, secrets: new Map() };

  const prfResults = (secret: Buffer, salt: BufferSource | undefined) =>
    salt === undefined || state.answer === 'no-prf'
      ? undefined
      : { first: arrayBuffer(createHmac('sha256', secret).update(bufferOf(salt)).digest()) };

  const authenticatorData = () => {
    const data = Buffer.alloc(37);
    data[32] = 0x01 | (state.answer === 'unverified' ? 0 : 0x04);
    return arrayBuffer(data);
  };

  const credentials = {
    create: (options: CredentialCreationOptions) => {
      state.prompts += 1;
      if (state.answer === 'cancel') return Promise.reject(notAllowed());
      const id = randomBytes(16);
      const secret = randomBytes(32);
      state.secrets.set(id.toString('hex'), secret);
      const salt = options.publicKey?.extensions?.prf?.eval?.first;
      return Promise.resolve({
        rawId: arrayBuffer(id),
        response: {},
        getClientExtensionResults: () => ({ prf: { enabled: state.prf } }),
        // Registration results are left out, so the library asks again with get().
        unusedSalt: salt,
      });
    },
    get: (options: CredentialRequestOptions) => {
      state.prompts += 1;
      if (state.answer === 'cancel') return Promise.reject(notAllowed());
      const wanted = options.publicKey?.allowCredentials?.[0]?.id;
      const id = wanted === undefined ? undefined : bufferOf(wanted);
      const secret = id === undefined ? undefined : state.secrets.get(id.toString('hex'));
      if (id === undefined || secret === undefined) return Promise.reject(notAllowed());
      const salt = options.publicKey?.extensions?.prf?.eval?.first;
      return Promise.resolve({
        rawId: arrayBuffer(id),
        response: { authenticatorData: authenticatorData() },
        getClientExtensionResults: () => ({ prf: { results: prfResults(secret, salt) } }),
      });
    },
  };

  Object.defineProperty(globalThis, 'navigator', {
    value: { credentials },
    configurable: true,
    writable: true,
  });
  Object.assign(globalThis, {
    PublicKeyCredential: {
      isUserVerifyingPlatformAuthenticatorAvailable: () => Promise.resolve(true),
      getClientCapabilities: () => Promise.resolve({ 'extension:prf': state.prf }),
    },
  });
  return state;
}
