import { describe, expect, it } from 'vitest';
import { sleep, withTimeout } from '../../../src/core/abort.js';
import { InterruptedError, TsComposeError } from '../../../src/core/errors.js';

const timedOut = () => new TsComposeError('too slow', { code: 'test.wait-timeout' });

describe('withTimeout', () => {
  it('gives the work its result when there is no timeout', async () => {
    expect(await withTimeout(undefined, undefined, timedOut, async (signal) => signal)).toBeUndefined();
    expect(await withTimeout(5, undefined, timedOut, async () => 'done')).toBe('done');
  });

  it('turns the timeout into its own error', async () => {
    const error = await withTimeout(0.05, new AbortController().signal, timedOut, (signal) =>
      sleep(5_000, signal),
    ).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'test.wait-timeout' });
  });

  it('leaves an interruption (the outer signal) an InterruptedError', async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 20);
    const error = await withTimeout(5, controller.signal, timedOut, (signal) => sleep(5_000, signal)).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(InterruptedError);
  });
});
