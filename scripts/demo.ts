// `npm run demo`: the reference key store plugin's flow (check availability, set, get, remove,
// handle errors) through this package's public API, on Node with the host protector.
//
// Each step prints the action, its result as the reference plugin reports it (Success true or
// false) and, on failure, the KeyStoreError code and message. Values are printed masked.
//
// Usage: npm run demo [-- <directory>]   (default: a temporary directory, removed at the end)
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import {
  KeyStoreError,
  canAuthenticate,
  configure,
  getMetadata,
  getSecurityLevel,
  getValue,
  hasKey,
  isAvailable,
  listKeys,
  removeKey,
  setValue,
} from '../src/index';

const STORE = 'demo';
const KEY = 'refresh-token';
// A stand-in secret; the demo never prints it, only its length.
const SECRET = 'rt_8f2b41c9e07d4a6f93b1d5c2';

let stepNumber = 0;

/** Shows a value without revealing it. */
function masked(value: string): string {
  return `${'*'.repeat(8)} (${[...value].length} characters)`;
}

/** Runs one action and prints it the way the reference plugin reports it. */
async function step<T>(
  action: string,
  call: () => Promise<T> | T,
  show: (result: T) => string = () => '',
): Promise<void> {
  stepNumber += 1;
  const label = `${String(stepNumber).padStart(2)}. ${action}`;
  try {
    const result = await call();
    const detail = show(result);
    console.log(`${label}\n      Success: true${detail ? `, ${detail}` : ''}`);
  } catch (error) {
    if (!KeyStoreError.is(error)) throw error;
    console.log(`${label}\n      Success: false, ${error.code}: ${error.message}`);
  }
}

async function main(): Promise<void> {
  const given = process.argv[2];
  const directory = given ?? mkdtempSync(join(tmpdir(), 'rust-keystore-demo-'));

  try {
    await step(
      'configure({ directory })',
      () => configure({ directory }),
      () => directory,
    );
    await step('CheckKeyStorePlugin: isAvailable()', isAvailable, (ok) => `IsAvailable: ${ok}`);
    await step('getSecurityLevel()', getSecurityLevel, (level) => level);
    await step('canAuthenticate()', canAuthenticate, (can) => String(can));

    await step(`SetValue: setValue('${STORE}', '${KEY}', <secret>)`, () =>
      setValue(STORE, KEY, SECRET),
    );
    await step(
      `GetValue: getValue('${STORE}', '${KEY}')`,
      () => getValue(STORE, KEY),
      (value) => `value ${masked(value)}, same as set: ${value === SECRET}`,
    );
    await step(`hasKey('${STORE}', '${KEY}')`, () => hasKey(STORE, KEY), String);
    await step(
      `listKeys('${STORE}')`,
      () => listKeys(STORE),
      (keys) => JSON.stringify(keys),
    );
    await step(
      `getMetadata('${STORE}', '${KEY}')`,
      () => getMetadata(STORE, KEY),
      (m) =>
        `authentication ${m.authentication}, ${m.securityLevel}, ` +
        `created ${m.createdAt.toISOString()}`,
    );

    await step(`RemoveKey: removeKey('${STORE}', '${KEY}')`, () => removeKey(STORE, KEY));
    await step('RemoveKey again (removing a missing key succeeds)', () => removeKey(STORE, KEY));
    await step('GetValue of the removed key (handled error)', () => getValue(STORE, KEY));

    await step(`SetValue with KeyAuthentication: setValue(..., { authentication: true })`, () =>
      setValue(STORE, KEY, SECRET, { authentication: true }),
    );
    await step('GetValue after the refused set (nothing was stored)', () => getValue(STORE, KEY));
    await step('SetValue with a number as the value (handled error)', () =>
      setValue(STORE, KEY, 42 as unknown as string),
    );
  } finally {
    if (given === undefined) rmSync(directory, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error('demo: unexpected failure:', error);
  process.exitCode = 1;
});
