import { KeyStoreError } from 'react-native-rust-keystore';

/** What the result panel shows for a failed call: the stable code and the library's message. */
export interface Failure {
  code: string;
  message: string;
}

/**
 * Turns anything a call rejected with into a failure to show. The library only rejects with
 * KeyStoreError, whose message never holds a value or key material; anything else is a bug in
 * this app and is shown under a code of its own.
 */
export function toFailure(error: unknown): Failure {
  if (KeyStoreError.is(error)) {
    return { code: error.code, message: error.message };
  }
  return {
    code: 'UNEXPECTED',
    message: error instanceof Error ? error.message : 'the call failed with a non-error value',
  };
}
