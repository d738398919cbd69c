// Helpers of the end-to-end tests: waiting for a condition, and a clean-up that tries every step.

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
