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

/**
 * A command as help, completion and parsing know it. Every visible command has a summary (one line,
 * in the command list), and two or three examples a user would really type (test/unit/cli-help.test.ts
 * checks); `description` adds a paragraph to the command's own help when the summary is not enough.
 */
export interface CommandSpec {
  name: string;
  summary: string;
  description?: string;
  /** Positional arguments as help shows them, e.g. `[SERVICE...]`. */
  args?: string;
  /**
   * What shell completion offers for the positional arguments: service names from the compose file,
   * command names, or fixed words. Default: services when `args` mentions SERVICE, else nothing.
   */
  completeArgs?: 'services' | 'commands' | readonly string[];
  options?: OptionSpec[];
  examples?: string[];
  /** Left out of help and completion (the completion helper `__complete`). */
  hidden?: boolean;
  /** Everything after the first argument belongs to the command (exec, run). */
  passThrough?: boolean;
  load: () => Promise<{ run: CommandRun }>;
}

/** Every command, in the order help lists them. Implementations live in ./commands/<name>.ts. */
export const commands: CommandSpec[] = [
  {
    name: 'completion',
    summary: 'Print the shell completion script for bash or zsh',
    description:
      'Print a script that completes tscompose commands, options and the service names of the compose\n' +
      'file in the current directory (or of -f files typed before). Load it in your shell profile.',
    args: '<bash|zsh>',
    completeArgs: ['bash', 'zsh'],
    examples: [
      'source <(tscompose completion bash)            # now, in this bash',
      "echo 'source <(tscompose completion bash)' >> ~/.bashrc",
      'tscompose completion zsh > "${fpath[1]}/_tscompose"   # zsh, then restart it',
    ],
    load: () => import('./commands/completion.js'),
  },
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
    name: 'up',
    summary: 'Create and start containers, networks and volumes (converge to the compose file)',
    args: '[SERVICE...]',
    options: [
      { flags: '-d, --detach', description: 'run in the background and return' },
      { flags: '--build', description: 'build images before starting' },
      { flags: '--no-build', description: "don't build images, even when missing" },
      {
        flags: '--pull <policy>',
        description: 'pull images before running',
        choices: ['always', 'missing', 'never'],
      },
      { flags: '--force-recreate', description: 'recreate containers even if nothing changed' },
      { flags: '--no-recreate', description: "don't recreate containers that exist" },
      { flags: '--no-deps', description: "don't start the services the named ones depend on" },
      { flags: '--remove-orphans', description: 'remove containers of services not in the compose file' },
      { flags: '--wait', description: 'wait until services are running or healthy (implies -d)' },
      {
        flags: '--wait-timeout <seconds>',
        description: 'give up waiting after this many seconds',
        kind: 'int',
      },
      { flags: '--abort-on-container-exit', description: 'stop all containers when one exits' },
      {
        flags: '--exit-code-from <service>',
        description: "exit with that service's exit code (implies --abort-on-container-exit)",
      },
      {
        flags: '--scale <service=n>',
        description: 'run n containers of a service (repeatable)',
        kind: 'list',
      },
      {
        flags: '-t, --timeout <seconds>',
        description: 'stop timeout for replaced or stopped containers',
        kind: 'int',
      },
      { flags: '--no-start', description: 'create everything, start nothing' },
      { flags: '--no-color', description: 'monochrome log output' },
      { flags: '--no-log-prefix', description: "don't prefix log lines with the container name" },
      { flags: '--timestamps', description: 'show timestamps in the log output' },
    ],
    examples: [
      'tscompose up -d',
      'tscompose up -d --build --wait',
      'tscompose --dry-run up -d',
      'tscompose up --scale web=3',
    ],
    load: () => import('./commands/up.js'),
  },
  {
    name: 'down',
    summary: 'Stop and remove containers and networks (volumes with -v), from labels if there is no file',
    options: [
      { flags: '-v, --volumes', description: "remove the project's named volumes and anonymous volumes" },
      {
        flags: '--rmi <which>',
        description: 'remove images: local (built ones) or all',
        choices: ['local', 'all'],
      },
      { flags: '--remove-orphans', description: 'remove containers of services not in the compose file' },
      { flags: '-t, --timeout <seconds>', description: 'stop timeout', kind: 'int' },
    ],
    examples: ['tscompose down', 'tscompose -p myproject down -v'],
    load: () => import('./commands/down.js'),
  },
  {
    name: 'ps',
    summary: "List the project's containers",
    args: '[SERVICE...]',
    options: [
      { flags: '-a, --all', description: 'also stopped containers' },
      { flags: '-q, --quiet', description: 'only ids' },
      {
        flags: '--format <format>',
        description: 'output format',
        choices: ['table', 'json'],
        default: 'table',
      },
      { flags: '--services', description: 'only service names' },
      { flags: '--status <status>', description: 'only containers in this state (repeatable)', kind: 'list' },
    ],
    examples: ['tscompose ps', 'tscompose ps -a --format json', 'tscompose ps --status running --services'],
    load: () => import('./commands/ps.js'),
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
    examples: ['tscompose version', 'tscompose version --short', 'tscompose version --format json'],
    load: () => import('./commands/version.js'),
  },
];
