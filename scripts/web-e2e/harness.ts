// What the end-to-end tests run on: the test page bundled by esbuild, a throwaway HTTP server
// on 127.0.0.1 with a random port, and Debian's Chromium driven by playwright-core with a
// fresh profile. Pages are opened on http://localhost, a secure context, and on
// http://insecure.test (mapped to the same server), which is not one.
import { buildSync } from 'esbuild';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type CDPSession, type Page } from 'playwright-core';

import type { Outcome } from './page';

const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';

/** The bundled page, checked to contain no module of the native build. */
export function bundlePage(): string {
  const result = buildSync({
    entryPoints: [join(__dirname, 'page.ts')],
    bundle: true,
    write: false,
    metafile: true,
    format: 'iife',
    platform: 'browser',
    target: 'chrome120',
  });
  const native = Object.keys(result.metafile.inputs).filter((input) =>
    /generated|native|node_modules/i.test(input),
  );
  if (native.length > 0) throw new Error(`the web bundle reaches ${native.join(', ')}`);
  return result.outputFiles[0].text;
}

/** Serves the page at `/` and its script at `/bundle.js` on 127.0.0.1. */
export async function serve(script: string): Promise<{ server: Server; port: number }> {
  const server = createServer((request, response) => {
    const isScript = request.url === '/bundle.js';
    response.setHeader('content-type', isScript ? 'text/javascript' : 'text/html');
    response.setHeader('cache-control', 'no-store');
    response.end(
      isScript
        ? script
        : '<!doctype html><title>e2e</title><body><script src="/bundle.js"></script></body>',
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, port: (server.address() as AddressInfo).port };
}

/** A browser with a fresh profile; `close` removes the profile too. */
export interface Browser {
  readonly context: BrowserContext;
  readonly origin: string;
  readonly insecureOrigin: string;
  /** Opens a new tab on `origin` (or `url`) and waits for the library to load. */
  open(url?: string): Promise<Page>;
  close(): Promise<void>;
}

/** Launches Chromium headless against the server on `port`. */
export async function launch(port: number): Promise<Browser> {
  const profile = mkdtempSync(join(tmpdir(), 'rust-keystore-web-e2e-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--host-resolver-rules=MAP insecure.test 127.0.0.1',
    ],
  });
  const origin = `http://localhost:${port}`;
  const blank = context.pages();

  return {
    context,
    origin,
    insecureOrigin: `http://insecure.test:${port}`,
    async open(url = `${origin}/`) {
      const page = blank.pop() ?? (await context.newPage());
      await page.goto(url);
      await waitForLibrary(page);
      return page;
    },
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** Waits until the test page has loaded the library (after a navigation or reload). */
export async function waitForLibrary(page: Page): Promise<void> {
  await page.waitForFunction(() => document.body?.dataset.ready === 'true', undefined, {
    timeout: 10_000,
  });
}

/** Runs a function of the API in `page` and returns the reference plugin's outcome. */
export function call(page: Page, name: string, ...args: unknown[]): Promise<Outcome> {
  return page.evaluate(
    ([fn, rest]) =>
      (window as unknown as { outcome: (n: string, ...a: unknown[]) => Promise<Outcome> }).outcome(
        fn,
        ...rest,
      ),
    [name, args] as const,
  );
}

/** The virtual authenticator options of the Chrome DevTools Protocol WebAuthn domain. */
export interface AuthenticatorOptions {
  hasPrf: boolean;
  isUserVerified: boolean;
}

/** Adds a virtual platform authenticator to `page`'s browser; returns its id and session. */
export async function addAuthenticator(
  page: Page,
  options: AuthenticatorOptions,
): Promise<{ cdp: CDPSession; id: string }> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('WebAuthn.enable');
  const { authenticatorId } = await cdp.send('WebAuthn.addVirtualAuthenticator', {
    options: {
      protocol: 'ctap2',
      ctap2Version: 'ctap2_1',
      transport: 'internal',
      hasResidentKey: true,
      hasUserVerification: true,
      automaticPresenceSimulation: true,
      ...options,
    },
  });
  return { cdp, id: authenticatorId };
}
