// `react-native-rust-keystore/jest`: an in-memory stand-in for the library in an app's Jest
// tests, with the same exports as the package, the same argument checks and the same error
// codes, plus `keyStoreMock` to play the user and the device:
//
//   jest.mock('react-native-rust-keystore', () => require('react-native-rust-keystore/jest'));
//
// It never loads the native bindings. The library's own tests run one behaviour suite against
// both this mock and the real Rust library, so the two cannot drift apart.
export {
  canAuthenticate,
  clearStore,
  configure,
  getMetadata,
  getSecurityLevel,
  getValue,
  hasKey,
  isAvailable,
  listKeys,
  removeKey,
  setValue,
} from './api';
export { keyStoreMock } from './controls';
export type { MockAuthenticationOutcome } from './state';
export { KeyStoreError, KeyStoreErrorCode } from '../errors';
export { SecurityLevel } from '../types';
export type { ConfigureOptions, EntryMetadata, GetOptions, Prompt, SetOptions } from '../types';
