import { usageError } from '../../core/errors.js';
import { completionScript, type Shell } from '../completion-scripts.js';
import type { CommandRun } from '../context.js';

const shells: readonly Shell[] = ['bash', 'zsh'];

export const run: CommandRun = (ctx, { args }) => {
  const shell = shells.find((s) => s === args[0]);
  if (!shell)
    return Promise.reject(
      usageError(
        args[0] ? `no completion for the shell "${args[0]}"` : 'which shell? bash or zsh',
        'run "tscompose completion bash" or "tscompose completion zsh"',
      ),
    );
  ctx.stdout.write(completionScript(shell));
  return Promise.resolve();
};
