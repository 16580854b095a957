// What the tests use besides the public API (which they import from `../index`, as an app
// does): the `testing_*` hooks that only the Node build of the library exports, fresh
// directories, and a child `node` process running the public API with the host protector.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

import { KeyStoreError, configure } from '../index';
import type { KeyStoreErrorCode } from '../index';
import { testingConfigure } from '../generated/napi/keystore_ffi';
import type { Plan, StepResult } from './child/run-plan';

export {
  TestAuthOutcome,
  testingPromptCount,
  testingPushOutcome,
  testingRunInline,
  testingSetAuthenticationUnavailable,
  testingSetDefaultOutcome,
  testingSetPlatformFailure,
} from '../generated/napi/keystore_ffi';

const ROOT = resolve(__dirname, '..', '..');
const directories: string[] = [];

afterAll(() => {
  for (const directory of directories) rmSync(directory, { recursive: true, force: true });
});

/** A new empty directory, removed after the test file. */
export function tempDirectory(): string {
  const directory = mkdtempSync(join(tmpdir(), 'rust-keystore-test-'));
  directories.push(directory);
  return directory;
}

/**
 * Configures a fresh key store in a new directory, with data keys in memory and a scripted
 * user who approves every prompt. Each key load sleeps `loadDelayMs` on its worker thread.
 */
export function freshKeystore(loadDelayMs = 0): string {
  const directory = tempDirectory();
  testingConfigure(directory, loadDelayMs);
  return directory;
}

/** Configures the key store in a new directory the way an app on Node does: the host protector. */
export function hostKeystore(directory = tempDirectory()): string {
  configure({ directory });
  return directory;
}

/**
 * What `call` rejects with, checked to be a {@link KeyStoreError}. Fails the test when `call`
 * throws synchronously instead of returning a promise, or when the promise resolves.
 */
export async function rejectionOf(call: () => Promise<unknown>): Promise<KeyStoreError> {
  let promise: Promise<unknown>;
  try {
    promise = call();
  } catch (error) {
    throw new Error('the call threw synchronously instead of rejecting', { cause: error });
  }
  const outcome = await promise.then(
    () => ({ resolved: true as const }),
    (error: unknown) => ({ resolved: false as const, error }),
  );
  if (outcome.resolved) throw new Error('the call resolved; it was expected to reject');

  expect(outcome.error).toBeInstanceOf(KeyStoreError);
  expect(outcome.error).toBeInstanceOf(Error);
  expect(KeyStoreError.is(outcome.error)).toBe(true);
  return outcome.error as KeyStoreError;
}

/** The code `call` rejects with. */
export async function codeOf(call: () => Promise<unknown>): Promise<KeyStoreErrorCode> {
  return (await rejectionOf(call)).code;
}

/**
 * Runs `plan` in a new `node` process through the public API (see `child/run-plan.ts`) and
 * returns one result per step. The process has its own, unconfigured, copy of the library.
 */
export function runInChild(plan: Plan): StepResult[] {
  const child = spawnSync(
    process.execPath,
    ['-r', join(ROOT, 'scripts', 'register.js'), join(__dirname, 'child', 'run-plan.ts')],
    { cwd: ROOT, input: JSON.stringify(plan), encoding: 'utf8', timeout: 60_000 },
  );
  if (child.status !== 0) {
    throw new Error(`the child process failed (${child.status}): ${child.stderr}`);
  }
  return JSON.parse(child.stdout) as StepResult[];
}
