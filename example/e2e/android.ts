// The Android emulator driven from the host with adb: a PIN for the lock screen, and answers
// to the system prompt. The prompt is a window of the system, outside the app, so Detox cannot
// see it; these helpers wait for it to take the focus, answer it with key events, and wait for
// the app to have the focus again, after which Detox can read the app's screen.
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';

import { device } from 'detox';

/** The PIN the tests set on the emulator's lock screen, and type into the prompt. */
export const PIN = '1234';

/** The example's application id (android/app/build.gradle). */
const APP_ID = 'com.rustkeystoreexample';

/** How long the prompt may take to appear, or to go away once answered. */
const FOCUS_TIMEOUT_MS = 10000;

/** How long the prompt is given, once it has the focus, to focus its PIN field. */
const PROMPT_SETTLE_MS = 1000;

/** Room for `dumpsys window`, which prints every window of the device. */
const MAX_OUTPUT_BYTES = 16 * 1024 * 1024;

/** The Android key codes the tests send: `KEYCODE_ENTER` and `KEYCODE_BACK`. */
const KEYCODE_ENTER = '66';
const KEYCODE_BACK = '4';

const run = promisify(execFile);

/** The value of the emulator's "stay awake while charging" setting before setPin changed it. */
let stayOnBefore: string | undefined;

/** adb from the SDK Detox uses (`ANDROID_SDK_ROOT` or `ANDROID_HOME`), else from the PATH. */
function adbPath(): string {
  const sdk = process.env.ANDROID_SDK_ROOT ?? process.env.ANDROID_HOME;
  return sdk ? path.join(sdk, 'platform-tools', 'adb') : 'adb';
}

/** Runs `adb shell <args>` on the device under test and returns what it printed. */
async function shell(...args: string[]): Promise<string> {
  const { stdout } = await run(adbPath(), ['-s', device.id, 'shell', ...args], {
    maxBuffer: MAX_OUTPUT_BYTES,
  });
  return stdout.trim();
}

/** The window that has the focus, as `dumpsys window` names it, or '' when none has. */
async function focusedWindow(): Promise<string> {
  const dump = await shell('dumpsys', 'window');
  return /mCurrentFocus=(Window\{[^}]*\})/.exec(dump)?.[1] ?? '';
}

/** Polls the focused window until `wanted` accepts it; throws `what` after the timeout. */
async function waitForFocus(wanted: (focused: string) => boolean, what: string): Promise<void> {
  const deadline = Date.now() + FOCUS_TIMEOUT_MS;
  let focused = await focusedWindow();
  while (!wanted(focused)) {
    if (Date.now() > deadline) {
      throw new Error(
        `${what} within ${FOCUS_TIMEOUT_MS} ms; the focus is on ${focused || 'nothing'}`,
      );
    }
    await sleep(250);
    focused = await focusedWindow();
  }
}

/** Resolves after `ms` milliseconds. */
function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Answers the system prompt the app just asked for with `keys`, then waits for the app. */
async function answerPrompt(...keys: string[][]): Promise<void> {
  await waitForFocus(
    (focused) => focused !== '' && !focused.includes(APP_ID),
    'the system prompt did not appear',
  );
  // The prompt's window takes the focus before its PIN field does; keys sent in between are lost.
  await sleep(PROMPT_SETTLE_MS);

  for (const key of keys) await shell('input', ...key);
  await waitForFocus((focused) => focused.includes(APP_ID), 'the app did not get the focus back');
}

/**
 * Sets `PIN` on the emulator's lock screen, which makes it secure: entries with authentication
 * can then be set, and `canAuthenticate()` is true from the app's next start. The screen is kept
 * on first: a screen that turned off would lock behind the PIN, out of Detox's reach.
 */
export async function setPin(): Promise<void> {
  stayOnBefore = await shell('settings', 'get', 'global', 'stay_on_while_plugged_in');
  await shell('svc', 'power', 'stayon', 'true');
  await shell('locksettings', 'set-pin', PIN);
}

/** Removes the PIN setPin set, and gives the screen back its previous setting. */
export async function removePin(): Promise<void> {
  await shell('locksettings', 'clear', '--old', PIN);
  if (stayOnBefore !== undefined && /^\d+$/.test(stayOnBefore)) {
    await shell('settings', 'put', 'global', 'stay_on_while_plugged_in', stayOnBefore);
  }
  stayOnBefore = undefined;
}

/** Approves the system prompt by typing the PIN and pressing Enter. */
export async function enterPin(): Promise<void> {
  await answerPrompt(['text', PIN], ['keyevent', KEYCODE_ENTER]);
}

/** Dismisses the system prompt with the Back key, which cancels it. */
export async function cancelPrompt(): Promise<void> {
  await answerPrompt(['keyevent', KEYCODE_BACK]);
}
