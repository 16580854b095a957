// The web build's argument checks: the shared checks of ../input.ts, then the Rust core's
// length limits (../limits.ts) with the core's messages.
import { checkText } from '../input';
import { checkKeyLength, checkStoreLength, checkValueLength } from '../limits';

/** Throws `INVALID_INPUT` unless `store` is a valid store name. */
export function checkStore(store: unknown): asserts store is string {
  checkText('store name', store);
  checkStoreLength(store);
}

/** Throws `INVALID_INPUT` unless `key` is a valid key. */
export function checkKey(key: unknown): asserts key is string {
  checkText('key', key);
  checkKeyLength(key);
}

/** Throws `INVALID_INPUT` unless `value` is a valid value. */
export function checkValue(value: unknown): asserts value is string {
  checkText('value', value);
  checkValueLength(value);
}
