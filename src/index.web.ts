// The web entry point (React Native Web, Expo web, any browser bundle): the same exports as
// index.ts, implemented with IndexedDB, WebCrypto and WebAuthn. It never imports the native
// bindings; bundlers pick it through the `.web.ts` extension or the `browser` condition and
// field of package.json. How it stores and protects entries is in docs/web.md.
export {
  clearStore,
  getMetadata,
  getValue,
  hasKey,
  listKeys,
  removeKey,
  setValue,
} from './web/api';
export {
  canAuthenticate,
  configure,
  getSecurityLevel,
  getUnavailableReason,
  isAvailable,
} from './web/status';
export { KeyStoreError, KeyStoreErrorCode } from './errors';
export { SecurityLevel } from './types';
export type { ConfigureOptions, EntryMetadata, GetOptions, Prompt, SetOptions } from './types';
