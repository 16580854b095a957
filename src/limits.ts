// The length limits the Rust core checks after the TypeScript checks of ./input.ts, worded as
// the core words them. The native build leaves them to the core; the web build and the Jest
// mock check them here, so every build refuses the same arguments with the same messages.
import { invalidInput } from './errors';

/** Longest store name, in bytes of UTF-8. */
const MAX_STORE_BYTES = 255;
/** Longest key, in bytes of UTF-8. */
const MAX_KEY_BYTES = 1024;
/** Longest value, in bytes of UTF-8. */
const MAX_VALUE_BYTES = 1024 * 1024;

/** The length of well-formed `text` in bytes of UTF-8, without encoding it. */
function utf8Length(text: string): number {
  let bytes = 0;
  for (let i = 0; i < text.length; i += 1) {
    const unit = text.charCodeAt(i);
    if (unit < 0x80) bytes += 1;
    else if (unit < 0x800) bytes += 2;
    else if (unit >= 0xd800 && unit <= 0xdbff) {
      // A surrogate pair (./input.ts has refused lone ones): one four-byte character.
      bytes += 4;
      i += 1;
    } else bytes += 3;
  }
  return bytes;
}

function checkLength(what: 'store name' | 'key', text: string, max: number): void {
  const length = utf8Length(text);
  if (length === 0 || length > max) {
    throw invalidInput(`the ${what} must be 1 to ${max} bytes of UTF-8; it is ${length} bytes`);
  }
}

/** Throws `INVALID_INPUT` for a store name outside 1-255 bytes of UTF-8. */
export function checkStoreLength(store: string): void {
  checkLength('store name', store, MAX_STORE_BYTES);
}

/** Throws `INVALID_INPUT` for a key outside 1-1024 bytes of UTF-8. */
export function checkKeyLength(key: string): void {
  checkLength('key', key, MAX_KEY_BYTES);
}

/** Throws `INVALID_INPUT` for a value over 1 MiB of UTF-8. */
export function checkValueLength(value: string): void {
  const length = utf8Length(value);
  if (length > MAX_VALUE_BYTES) {
    throw invalidInput(`the value is ${length} bytes; the limit is ${MAX_VALUE_BYTES} bytes`);
  }
}
