// The package entry point: the public API of react-native-rust-keystore.
//
// Every function validates its arguments, calls the generated bindings and converts their
// errors into KeyStoreError (src/nativeErrors.ts). The generated bindings themselves, and their
// error type, are not part of the API. Web bundlers pick index.web.ts instead, which has the
// same exports and never loads the bindings.
export { canAuthenticate } from './canAuthenticate';
export { clearStore } from './clearStore';
export { configure } from './configure';
export { KeyStoreError, KeyStoreErrorCode } from './errors';
export { getMetadata } from './getMetadata';
export { getSecurityLevel } from './getSecurityLevel';
export { getValue } from './getValue';
export { hasKey } from './hasKey';
export { isAvailable } from './isAvailable';
export { listKeys } from './listKeys';
export { removeKey } from './removeKey';
export { setValue } from './setValue';
export { SecurityLevel } from './types';
export type { ConfigureOptions, EntryMetadata, GetOptions, Prompt, SetOptions } from './types';
