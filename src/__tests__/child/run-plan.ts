// Runs a plan of calls through the public API in a process of its own, for the tests that
// need a fresh copy of the library (never configured) or a second process (reopening what
// another process wrote). Started by `runInChild` in ../harness.ts with
// `node -r scripts/register.js`; reads the plan as JSON on stdin, writes the results as JSON
// on stdout. Values read are compared here and never written out.
import { readFileSync } from 'node:fs';

import {
  KeyStoreError,
  canAuthenticate,
  configure,
  getSecurityLevel,
  getValue,
  isAvailable,
  setValue,
} from '../../index';

/** One call of a plan. */
export type Step =
  | { op: 'isAvailable' }
  | { op: 'canAuthenticate' }
  | { op: 'getSecurityLevel' }
  | { op: 'set'; store: string; key: string; value: string }
  | { op: 'get'; store: string; key: string; expected: string };

/** What to run: `configure({ directory })` first unless `directory` is missing, then `steps`. */
export interface Plan {
  directory?: string;
  steps: Step[];
}

/** How a step ended: its result, or the code and message of its KeyStoreError. */
export type StepResult =
  { ok: true; result?: unknown; matches?: boolean } | { ok: false; code: string; message: string };

async function run(step: Step): Promise<StepResult> {
  switch (step.op) {
    case 'isAvailable':
      return { ok: true, result: isAvailable() };
    case 'canAuthenticate':
      return { ok: true, result: canAuthenticate() };
    case 'getSecurityLevel':
      return { ok: true, result: getSecurityLevel() };
    case 'set':
      await setValue(step.store, step.key, step.value);
      return { ok: true };
    case 'get':
      return { ok: true, matches: (await getValue(step.store, step.key)) === step.expected };
  }
}

async function main(): Promise<void> {
  const plan = JSON.parse(readFileSync(0, 'utf8')) as Plan;
  if (plan.directory !== undefined) configure({ directory: plan.directory });

  const results: StepResult[] = [];
  for (const step of plan.steps) {
    try {
      results.push(await run(step));
    } catch (error) {
      if (!KeyStoreError.is(error)) throw error;
      results.push({ ok: false, code: error.code, message: error.message });
    }
  }
  process.stdout.write(JSON.stringify(results));
}

void main();
