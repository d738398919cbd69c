import { InterruptedError, type TsComposeError } from './errors.js';

/** Throws InterruptedError when the signal has fired; call between steps of long operations. */
export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new InterruptedError();
}

/** Resolves after `ms`, or rejects with InterruptedError as soon as the signal fires. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(new InterruptedError());
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(new InterruptedError());
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * Runs `work` with `signal`, cut after `seconds` when given (`--wait-timeout`): running out of time
 * throws `timedOut()`, not the InterruptedError that a Ctrl-C (the signal itself) still throws.
 */
export async function withTimeout<T>(
  seconds: number | undefined,
  signal: AbortSignal | undefined,
  timedOut: () => TsComposeError,
  work: (signal: AbortSignal | undefined) => Promise<T>,
): Promise<T> {
  const timeout = seconds ? AbortSignal.timeout(seconds * 1000) : undefined;
  const both = timeout && signal ? AbortSignal.any([signal, timeout]) : (timeout ?? signal);
  try {
    return await work(both);
  } catch (error) {
    if (error instanceof InterruptedError && timeout?.aborted && !signal?.aborted) throw timedOut();
    throw error;
  }
}
