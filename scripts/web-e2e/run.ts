// Runs the web build's end-to-end cases in headless Chromium and prints one line per case and
// a closing `web e2e: N passed, M failed`; exits non-zero when any case fails.
//
//   node -r ./scripts/register.js scripts/web-e2e/run.ts
import { bundlePage, launch, serve } from './harness';
import { AUTHENTICATION_CASES, CASES } from './tests';

async function main(): Promise<number> {
  const { server, port } = await serve(bundlePage());
  const browser = await launch(port);
  let passed = 0;
  let failed = 0;
  try {
    for (const testCase of [...CASES, ...AUTHENTICATION_CASES]) {
      try {
        await testCase.run(browser);
        passed += 1;
        console.log(`  ok    ${testCase.name}`);
      } catch (error) {
        failed += 1;
        const reason = error instanceof Error ? error.message.split('\n')[0] : String(error);
        console.log(`  FAIL  ${testCase.name}: ${reason}`);
      }
    }
  } finally {
    await browser.close();
    server.close();
  }
  console.log(`web e2e: ${passed} passed, ${failed} failed`);
  return failed === 0 ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error('web e2e: could not run:', error instanceof Error ? error.message : error);
    process.exit(2);
  },
);
