// The length limits of the Rust core, checked in the web build with the core's messages, after
// the shared checks of ../input.ts: store name 1-255 bytes of UTF-8, key 1-1024, value up to
// 1 MiB.
import { invalidInput } from '../errors';
import { checkText } from '../input';
import { utf8 } from './bytes';

/** Longest store name, in bytes of UTF-8. */
export const MAX_STORE_BYTES = 255;
/** Longest key, in bytes of UTF-8. */
export const MAX_KEY_BYTES = 1024;
/** Longest value, in bytes of UTF-8. */
export const MAX_VALUE_BYTES = 1024 * 1024;

function checkLength(what: 'store name' | 'key', text: string, max: number): void {
  const length = utf8(text).length;
  if (length === 0 || length > max) {
    throw invalidInput(`the ${what} must be 1 to ${max} bytes of UTF-8; it is ${length} bytes`);
  }
}

/** Throws `INVALID_INPUT` unless `store` is a valid store name. */
export function checkStore(store: unknown): asserts store is string {
  checkText('store name', store);
  checkLength('store name', store, MAX_STORE_BYTES);
}

/** Throws `INVALID_INPUT` unless `key` is a valid key. */
export function checkKey(key: unknown): asserts key is string {
  checkText('key', key);
  checkLength('key', key, MAX_KEY_BYTES);
}

/** Throws `INVALID_INPUT` unless `value` is a valid value. */
export function checkValue(value: unknown): asserts value is string {
  checkText('value', value);
  const length = utf8(value).length;
  if (length > MAX_VALUE_BYTES) {
    throw invalidInput(`the value is ${length} bytes; the limit is ${MAX_VALUE_BYTES} bytes`);
  }
}
