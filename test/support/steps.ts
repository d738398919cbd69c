// Helpers of the engine tests: waiting for a condition, and a clean-up that tries every step.

/**
 * Waits until `check` holds, looking every `everyMs` (fast: for output a test is reading as it
 * comes), or fails naming `what` (and `detail()`, when given) after `timeoutMs`.
 */
export async function waitFor(
  what: string,
  check: () => boolean | Promise<boolean>,
  options: { timeoutMs?: number; everyMs?: number; detail?: () => string } = {},
): Promise<void> {
  const deadline = Date.now() + (options.timeoutMs ?? 15_000);
  while (!(await check())) {
    if (Date.now() > deadline)
      throw new Error(`timed out waiting for ${what}${options.detail ? `: ${options.detail()}` : ''}`);
    await new Promise((resolve) => setTimeout(resolve, options.everyMs ?? 50));
  }
}

/** Polls `probe` every second until it gives a value (errors count as not yet), for `timeoutMs`. */
export async function until<T>(
  what: string,
  timeoutMs: number,
  probe: () => Promise<T | undefined>,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline)
      throw new Error(`${what}: not within ${timeoutMs / 1000} s (${String(last ?? '')})`);
    await new Promise((resolve) => setTimeout(resolve, 1_000));
  }
}

/**
 * A clean-up of several steps: each `attempt` runs even when an earlier one failed; `finish` then
 * throws one error naming every step that failed.
 */
export function cleanup() {
  const problems: string[] = [];
  return {
    attempt: async (what: string, step: () => Promise<unknown>) => {
      try {
        await step();
      } catch (error) {
        problems.push(`${what}: ${String(error)}`);
      }
    },
    finish: () => {
      if (problems.length) throw new Error(`cleanup left things behind:\n${problems.join('\n')}`);
    },
  };
}
