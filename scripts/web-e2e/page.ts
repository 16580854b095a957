/// <reference lib="dom" />
// The page the end-to-end tests load in Chromium: the web build of the library, bundled by
// esbuild, exposed on `window.keystore`, and `window.outcome`, which turns a call into the
// reference plugin's answer: `{ success: true, value }` or `{ success: false, code }`.
import * as keystore from '../../src/index.web';

/** A call's result as the reference plugin reports it. */
export type Outcome =
  { success: true; value: unknown } | { success: false; code: string; message: string };

type Api = typeof keystore;
type AsyncName = {
  [Name in keyof Api]: Api[Name] extends (...args: never[]) => Promise<unknown> ? Name : never;
}[keyof Api];

async function outcome(name: AsyncName, ...args: unknown[]): Promise<Outcome> {
  const call = keystore[name] as (...args: unknown[]) => Promise<unknown>;
  try {
    return { success: true, value: await call(...args) };
  } catch (error) {
    if (!keystore.KeyStoreError.is(error)) throw error;
    return { success: false, code: error.code, message: error.message };
  }
}

Object.assign(window, { keystore, outcome });
document.title = 'react-native-rust-keystore web e2e';
document.body.dataset.ready = 'true';
