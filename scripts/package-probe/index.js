// An app entry point that imports the packed library, for scripts/check-package.sh.
import {
  getValue,
  isAvailable,
  KeyStoreError,
  removeKey,
  setValue,
} from 'react-native-rust-keystore';

globalThis.probe = { getValue, isAvailable, KeyStoreError, removeKey, setValue };
