// The calls wait for their protector on worker threads, so the JavaScript thread keeps running
// while they are pending. Measured by counting the ticks of an interval timer.
import { getValue, setValue } from '../index';
import { freshKeystore, testingPromptCount, testingRunInline } from './harness';

const LOAD_DELAY_MS = 300;
const TICK_MS = 10;
// At least one LOAD_DELAY_MS passes with reads pending, room for LOAD_DELAY_MS / TICK_MS
// ticks; a sixth of that leaves room for scheduling noise. A blocked thread gets none.
const MIN_TICKS = LOAD_DELAY_MS / TICK_MS / 6;

/**
 * Starts `calls` reads of one entry that requires authentication, each of which loads its data
 * key through a protector that blocks for LOAD_DELAY_MS, and counts the ticks of a TICK_MS
 * interval timer that fire while any read is pending.
 */
async function ticksWhileReading(calls: number): Promise<number> {
  let pending = calls;
  let ticks = 0;
  const timer = setInterval(() => {
    if (pending > 0) ticks += 1;
  }, TICK_MS);

  try {
    const reads = Array.from({ length: calls }, () =>
      getValue('session', 'token', { prompt: { title: 'Unlock' } }).finally(() => {
        pending -= 1;
      }),
    );
    expect(await Promise.all(reads)).toEqual(Array(calls).fill('s3cr3t'));
  } finally {
    clearInterval(timer);
  }
  return ticks;
}

describe('the JavaScript thread', () => {
  beforeEach(async () => {
    freshKeystore(LOAD_DELAY_MS);
    await setValue('session', 'token', 's3cr3t', { authentication: true });
  });

  it('keeps running timers while 100 calls wait on a slow protector', async () => {
    const ticks = await ticksWhileReading(100);

    expect(ticks).toBeGreaterThanOrEqual(MIN_TICKS);
    expect(testingPromptCount()).toBe(100);
  });

  it('would be starved if the calls ran on the JavaScript thread', async () => {
    // The control for the test above: the same reads, run inline by the polling thread.
    testingRunInline(true);

    const ticks = await ticksWhileReading(5);

    expect(ticks).toBeLessThan(MIN_TICKS);
  });
});
