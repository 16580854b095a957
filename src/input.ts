// Argument checks that run before the bindings see anything.
//
// The bindings take UTF-8 strings and would throw a TypeError (or silently replace a lone
// surrogate with U+FFFD) for anything else, so types and well-formedness are checked here. The
// length limits are the core's alone (store name 1-255 bytes of UTF-8, key 1-1024, value up to
// 1 MiB); its messages read like these ("invalid input: the key must be ...").
import { invalidInput } from './errors';
import type { Prompt } from './types';

/** The arguments whose names appear in messages, in the core's words. */
type Argument = 'store name' | 'key' | 'value' | 'directory' | `options.prompt.${string}`;

// The arguments whose text the library hands back (values, and keys in listKeys); store
// names are refused too so that one rule covers every name.
const RETURNED: ReadonlySet<Argument> = new Set<Argument>(['store name', 'key', 'value']);

/** How a value that is not what was asked for is described, without showing it. */
export function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  const type = typeof value;
  if (type === 'undefined') return 'undefined';
  return type === 'object' ? 'an object' : `a ${type}`;
}

/**
 * Whether `text` has a UTF-16 surrogate without its pair. Such a string is not Unicode text:
 * it cannot be encoded as UTF-8, so it could not be read back unchanged.
 */
function hasLoneSurrogate(text: string): boolean {
  for (let i = 0; i < text.length; i += 1) {
    const unit = text.charCodeAt(i);
    if (unit >= 0xd800 && unit <= 0xdbff) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        i += 1;
        continue;
      }
      return true;
    }
    if (unit >= 0xdc00 && unit <= 0xdfff) return true;
  }
  return false;
}

/**
 * Throws `INVALID_INPUT` unless `value` is a string of well-formed Unicode text. Store names,
 * keys and values must also not start with U+FEFF: the generated bindings decode the text the
 * library returns with a `TextDecoder`, which drops a leading byte order mark, so such a value
 * or key (in `listKeys`) would come back without it.
 */
export function checkText(argument: Argument, value: unknown): asserts value is string {
  if (typeof value !== 'string') {
    throw invalidInput(`the ${argument} must be a string; it is ${describe(value)}`);
  }
  if (hasLoneSurrogate(value)) {
    throw invalidInput(
      `the ${argument} contains a lone UTF-16 surrogate, which is not text and cannot be ` +
        'stored as UTF-8; pass well-formed text (String.prototype.isWellFormed)',
    );
  }
  if (RETURNED.has(argument) && value.startsWith('\uFEFF')) {
    throw invalidInput(
      `the ${argument} starts with U+FEFF (a byte order mark), which would be lost when it ` +
        'is read back; remove it, or put another character first',
    );
  }
}

/**
 * Throws `INVALID_INPUT` unless `options` is `undefined` or a plain object whose properties
 * are all in `allowed`. Unknown properties are refused so a misspelt option (for example
 * `authenticate: true`) cannot silently store an entry with less protection than meant.
 */
export function checkOptions(
  what: string,
  options: unknown,
  allowed: readonly string[],
): Record<string, unknown> {
  if (options === undefined) return {};
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw invalidInput(`the ${what} must be an object; it is ${describe(options)}`);
  }
  for (const name of Object.keys(options)) {
    if (!allowed.includes(name)) {
      throw invalidInput(
        `unknown property "${name}" in the ${what}; expected ${allowed.join(', ')}`,
      );
    }
  }
  return options as Record<string, unknown>;
}

/** Checks the `options.prompt` of `getValue`; returns the texts given, or `undefined` for none. */
export function checkPrompt(prompt: unknown): Prompt | undefined {
  if (prompt === undefined) return undefined;
  const texts = checkOptions('options.prompt', prompt, ['title', 'subtitle', 'cancel']);
  const result: Prompt = {};
  for (const name of ['title', 'subtitle', 'cancel'] as const) {
    const text = texts[name];
    if (text === undefined) continue;
    checkText(`options.prompt.${name}`, text);
    result[name] = text;
  }
  return result;
}
