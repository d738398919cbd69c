/**
 * Shell completion. The scripts for bash and zsh are thin: on TAB they run
 * `tscompose __complete -- WORDS...` with the words typed so far (the last one is being completed)
 * and offer the lines it prints, `value<TAB>description`. All the knowledge stays here, in one place
 * that tests can call: commands, their options and the values those take, global options before the
 * command, and service names read from the compose file that the typed `-f`/`-p` options select.
 * When nothing is printed, the shells fall back to completing file names.
 */
import type { CommandSpec, OptionSpec } from './commands.js';
import type { GlobalOptions } from './context.js';

export interface Candidate {
  value: string;
  description?: string;
}

export interface CompletionSource {
  commands: readonly CommandSpec[];
  globalOptions: readonly OptionSpec[];
  /** The services of the project the global options select; [] when it cannot be loaded. */
  services: (global: GlobalOptions) => Promise<string[]>;
}

interface ParsedOption {
  names: string[];
  takesValue: boolean;
  spec: OptionSpec;
}

function parseOption(spec: OptionSpec): ParsedOption {
  const names = spec.flags
    .split(/[ ,|]+/)
    .filter((part) => part.startsWith('-'))
    .map((name) => name.replace(/[<[].*$/, ''));
  // an optional value (`--build [when]`) is given as `--build=changed`: the next word is not it
  return { names, takesValue: /</.test(spec.flags), spec };
}

/** The long name of an option, as `GlobalOptions` keys it: `--project-name` → `projectName`. */
function optionKey(option: ParsedOption): string {
  const long = option.names.find((n) => n.startsWith('--')) ?? option.names[0] ?? '';
  return long.replace(/^-+/, '').replace(/-([a-z])/g, (_m, c: string) => c.toUpperCase());
}

const helpOption = parseOption({ flags: '-h, --help', description: 'show help' });

function optionCandidates(options: readonly ParsedOption[], typed: ReadonlySet<string>): Candidate[] {
  return [...options, helpOption]
    .filter((o) => !o.spec.hidden)
    .filter((o) => o.spec.kind === 'list' || !o.names.some((n) => typed.has(n)))
    .flatMap((o) => {
      const long = o.names.filter((n) => n.startsWith('--'));
      return (long.length ? long : o.names).map((value) => ({ value, description: o.spec.description }));
    });
}

/**
 * What may come next after `words` (the words after `tscompose`; the last is the one being
 * completed, possibly empty), filtered by what that word starts with.
 */
export async function complete(words: readonly string[], source: CompletionSource): Promise<Candidate[]> {
  const current = words[words.length - 1] ?? '';
  const before = words.slice(0, -1);
  const globals = source.globalOptions.map(parseOption);
  const global: Record<string, unknown> = {};
  let command: CommandSpec | undefined;
  let commandOptions: ParsedOption[] = [];
  const typed = new Set<string>();
  const positionals: string[] = [];
  let pending: ParsedOption | undefined;

  for (const word of before) {
    if (pending) {
      if (!command) {
        const key = optionKey(pending);
        global[key] = pending.spec.kind === 'list' ? [...((global[key] as string[]) ?? []), word] : word;
      }
      pending = undefined;
      continue;
    }
    const options = command ? commandOptions : globals;
    if (word.startsWith('-') && word !== '-') {
      const name = word.split('=')[0] ?? word;
      const option = options.find((o) => o.names.includes(name));
      typed.add(name);
      if (option?.takesValue && !word.includes('=')) pending = option;
      continue;
    }
    if (!command) {
      command = source.commands.find((c) => c.name === word);
      commandOptions = (command?.options ?? []).map(parseOption);
      if (!command) return []; // an unknown command: nothing sensible to offer
      continue;
    }
    positionals.push(word);
  }

  const starts = (candidates: Candidate[]) => candidates.filter((c) => c.value.startsWith(current));

  // the value of an option: its choices, or nothing (the shell completes file names)
  if (pending) return starts((pending.spec.choices ?? []).map((value) => ({ value })));

  if (current.startsWith('-')) return starts(optionCandidates(command ? commandOptions : globals, typed));

  if (!command)
    return starts(
      source.commands.filter((c) => !c.hidden).map((c) => ({ value: c.name, description: c.summary })),
    );

  const what = command.completeArgs ?? (/SERVICE/.test(command.args ?? '') ? 'services' : undefined);
  if (what === undefined) return [];
  if (what === 'commands')
    return starts(
      source.commands.filter((c) => !c.hidden).map((c) => ({ value: c.name, description: c.summary })),
    );
  if (what === 'services') {
    // exec and run take one service, then the command to run in it
    const oneService = /^\s*SERVICE\b/.test(command.args ?? '') && !/SERVICE\.\.\./.test(command.args ?? '');
    if (oneService && positionals.length > 0) return [];
    const services = await source.services(global as GlobalOptions);
    return starts(services.filter((s) => !positionals.includes(s)).map((value) => ({ value })));
  }
  // fixed words (`completion bash|zsh`) fill the first argument only
  return positionals.length > 0 ? [] : starts(what.map((value) => ({ value })));
}

/** Candidates as the scripts read them: `value<TAB>description`, one per line. */
export function formatCandidates(candidates: readonly Candidate[]): string {
  return candidates
    .map((c) => (c.description ? `${c.value}\t${c.description.replace(/\s+/g, ' ')}` : c.value))
    .map((line) => `${line}\n`)
    .join('');
}
