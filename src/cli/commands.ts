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
    name: 'config',
    summary: 'Parse, resolve and render the compose files in canonical form',
    options: [
      {
        flags: '--format <format>',
        description: 'output format',
        choices: ['yaml', 'json'],
        default: 'yaml',
      },
      { flags: '-q, --quiet', description: 'only validate the configuration, print nothing' },
      { flags: '--services', description: 'print the service names, one per line' },
      { flags: '--volumes', description: 'print the volume names, one per line' },
      { flags: '--networks', description: 'print the network names, one per line' },
      { flags: '--profiles', description: 'print the profile names, one per line' },
      { flags: '--images', description: 'print the image names, one per line' },
      { flags: '--variables', description: 'print the variables the files use, with their defaults' },
      { flags: '--environment', description: 'print the environment used for interpolation' },
      {
        flags: '--hash <service>',
        description: 'print the config hash of SERVICE (a comma list, or "*" for all)',
      },
      { flags: '--no-interpolate', description: "don't substitute ${VARIABLES}" },
      { flags: '--no-normalize', description: "don't add Compose's defaults (default network, names…)" },
      { flags: '--no-path-resolution', description: "don't make relative paths absolute" },
      { flags: '-o, --output <file>', description: 'write to FILE instead of stdout' },
    ],
    examples: [
      'tscompose config',
      'tscompose -f a.yaml -f b.yaml config --format json',
      'tscompose config --services',
    ],
    load: () => import('./commands/config.js'),
  },
  {
    name: 'lint',
    summary: 'Judge the project against a rule set: --inception, the 42 Inception subject',
    options: [
      { flags: '--inception', description: "the 42 Inception subject's rules" },
      {
        flags: '--login <login>',
        description: 'your 42 login (/home/LOGIN/data, LOGIN.42.fr); default: read from the project',
      },
      {
        flags: '--subject <version>',
        description: 'the subject version',
        choices: ['v3', 'v5'],
        default: 'v5',
      },
      {
        flags: '--base <images>',
        description: 'allowed base images, comma-separated (default: debian:bookworm,alpine:3.22)',
        kind: 'list',
      },
      {
        flags: '--probe',
        description: 'also probe the running stack (TLS, ports, PID 1, a crash, the users)',
      },
      {
        flags: '--format <format>',
        description: 'output format',
        choices: ['text', 'json'],
        default: 'text',
      },
    ],
    examples: [
      'tscompose lint --inception',
      'tscompose lint --inception --login jdoe --probe',
      'tscompose -f srcs/docker-compose.yml lint --inception --subject v3 --format json',
    ],
    load: () => import('./commands/lint.js'),
  },
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
