import type { CommandRun } from './context.js';

/** One command-line option, declared here so that help and parsing never import the command. */
export interface OptionSpec {
  flags: string;
  description: string;
  /** `int` parses a number; `list` collects a repeatable option into an array. */
  kind?: 'int' | 'list';
  default?: string | boolean | number | string[];
  choices?: string[];
  hidden?: boolean;
}

export interface CommandSpec {
  name: string;
  summary: string;
  /** Positional arguments as help shows them, e.g. `[SERVICE...]`. */
  args?: string;
  options?: OptionSpec[];
  examples?: string[];
  /** Everything after the first argument belongs to the command (exec, run). */
  passThrough?: boolean;
  load: () => Promise<{ run: CommandRun }>;
}

/** Every command, in the order help lists them. Implementations live in ./commands/<name>.ts. */
export const commands: CommandSpec[] = [
  {
    name: 'version',
    summary: 'Show the tscompose version and the engine version',
    options: [
      {
        flags: '--format <format>',
        description: 'output format',
        choices: ['pretty', 'json'],
        default: 'pretty',
      },
      { flags: '--short', description: "print only tscompose's version" },
    ],
    examples: ['tscompose version', 'tscompose version --short'],
    load: () => import('./commands/version.js'),
  },
];
