import type { CommandRun } from './context.js';

/** One command-line option, declared here so that help and parsing never import the command. */
export interface OptionSpec {
  flags: string;
  description: string;
  /** `int` parses a number; `list` collects a repeatable option into an array. */
  kind?: 'int' | 'list';
  default?: string | boolean | number | string[];
  choices?: string[];
  /** For `int`: the smallest and largest value accepted (checked when the command line is parsed). */
  min?: number;
  max?: number;
  /** For `int`: values outside min..max that still mean something (`--parallel -1`: no limit). */
  also?: number[];
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
    name: 'build',
    summary: 'Build or rebuild the images of services',
    args: '[SERVICE...]',
    options: [
      { flags: '--no-cache', description: 'do not use the build cache' },
      { flags: '--pull', description: 'always try to pull newer versions of the base images' },
      {
        flags: '--build-arg <KEY=VALUE>',
        description: 'set a build argument for every service (repeatable; KEY alone reads the environment)',
        kind: 'list',
      },
      { flags: '-q, --quiet', description: 'print nothing but errors' },
      {
        flags: '--parallel <n>',
        description: 'at most n builds at once (-1: no limit)',
        kind: 'int',
        min: 1,
        also: [-1],
      },
    ],
    examples: [
      'tscompose build',
      'tscompose build --no-cache nginx',
      'tscompose build --build-arg PHP_VERSION=8.2 wordpress',
    ],
    load: () => import('./commands/build.js'),
  },
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
    args: '[SERVICE...]',
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
      {
        flags: '--build [when]',
        description: 'build images before starting (--build=changed: only those whose sources changed)',
      },
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
        min: 0,
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
        min: 0,
      },
      { flags: '--no-start', description: 'create everything, start nothing' },
      { flags: '--no-color', description: 'monochrome log output' },
      { flags: '--no-log-prefix', description: "don't prefix log lines with the container name" },
      { flags: '--timestamps', description: 'show timestamps in the log output' },
      {
        flags: '-w, --watch',
        description: 'then watch the services with develop.watch rules and sync or rebuild them (see watch)',
      },
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
    name: 'watch',
    summary: "Watch the services' files and sync, restart or rebuild them as they change",
    args: '[SERVICE...]',
    options: [
      { flags: '--no-up', description: "don't build and start the services before watching" },
      {
        flags: '--build-context',
        description:
          'rebuild a service that has build: but no develop section when its build context changes',
      },
      {
        flags: '--resync',
        description: "at start, sync every sync rule's files that differ from the containers (by content)",
      },
      {
        flags: '--delay <ms>',
        description: 'quiet period before a batch of changes is handled (default 100)',
        kind: 'int',
        min: 0,
        max: 60_000,
      },
      { flags: '--quiet', description: 'hide build output' },
      { flags: '--prune', description: 'remove the replaced image after a rebuild' },
    ],
    examples: ['tscompose watch', 'tscompose watch web --no-up', 'tscompose watch --build-context'],
    load: () => import('./commands/watch.js'),
  },
  {
    name: 'down',
    summary: 'Stop and remove containers and networks (volumes with -v), from labels if there is no file',
    description:
      'Stop and remove containers and networks (volumes with -v), from labels if there is no file.\n' +
      "With SERVICE names, only those services' containers go (and with -v their anonymous volumes);\n" +
      'networks, named volumes and images stay, as Docker Compose does.',
    args: '[SERVICE...]',
    options: [
      { flags: '-v, --volumes', description: "remove the project's named volumes and anonymous volumes" },
      {
        flags: '--rmi <which>',
        description: 'remove images: local (built ones) or all',
        choices: ['local', 'all'],
      },
      { flags: '--remove-orphans', description: 'remove containers of services not in the compose file' },
      { flags: '-t, --timeout <seconds>', description: 'stop timeout', kind: 'int', min: 0 },
    ],
    examples: ['tscompose down', 'tscompose -p myproject down -v', 'tscompose down web'],
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
        description:
          "table, json, or a Go template: '{{.Name}}\\t{{.State}}', 'table {{.Service}}\\t{{.Status}}'",
      },
      { flags: '--no-trunc', description: "don't cut long cells to fit the terminal" },
      { flags: '--services', description: 'only service names' },
      {
        flags: '--status <status>',
        description: 'only containers in this state (repeatable)',
        kind: 'list',
        choices: ['paused', 'restarting', 'removing', 'running', 'dead', 'created', 'exited'],
      },
    ],
    examples: [
      'tscompose ps',
      'tscompose ps -a --format json',
      "tscompose ps --format '{{.Service}}\\t{{.Health}}'",
    ],
    load: () => import('./commands/ps.js'),
  },
  {
    name: 'deploy',
    summary: 'Deploy the project to Docker Swarm as a stack (services, overlay networks, secrets, configs)',
    description:
      'Build the images that are missing, then converge the stack on the swarm this engine manages to the\n' +
      'compose file: only what changed is updated, secrets and configs roll by content. What Swarm cannot\n' +
      'honour is listed per service before anything is deployed; depends_on is kept by deploying in order\n' +
      'and waiting for the tasks a service needs to be healthy.',
    options: [
      { flags: '--stack <name>', description: "the stack's name (default: the project's name)" },
      { flags: '--build', description: 'build every image with a build section, even when it exists' },
      { flags: '--no-build', description: "don't build images; missing ones are pulled by the nodes" },
      {
        flags: '--prune',
        description: 'remove the services of the stack that the compose file no longer has',
      },
      { flags: '--wait', description: 'wait until every service runs (healthy where it has a health check)' },
      {
        flags: '--wait-timeout <seconds>',
        description: 'give up waiting after this many seconds',
        kind: 'int',
        min: 0,
      },
      { flags: '--dry-run', description: 'print the plan, change nothing' },
    ],
    examples: [
      'tscompose deploy',
      'tscompose deploy --dry-run',
      'tscompose -f srcs/docker-compose.yml deploy --stack inception --wait',
    ],
    load: () => import('./commands/deploy.js'),
  },
  {
    name: 'undeploy',
    summary: "Remove a stack's services, networks, secrets and configs from the swarm (volumes are kept)",
    options: [
      { flags: '--stack <name>', description: "the stack's name (default: the project's name)" },
      { flags: '--dry-run', description: 'print what would be removed, change nothing' },
    ],
    examples: ['tscompose undeploy', 'tscompose undeploy --stack inception'],
    load: () => import('./commands/undeploy.js'),
  },
  {
    name: 'stack',
    summary: "List a stack's tasks (stack ps) or services (stack services) on the swarm",
    args: '<ps|services>',
    completeArgs: ['ps', 'services'],
    options: [
      { flags: '--stack <name>', description: "the stack's name (default: the project's name)" },
      { flags: '-q, --quiet', description: 'only ids' },
      {
        flags: '--format <format>',
        description: "table, json, or a Go template: '{{.Name}}\\t{{.CurrentState}}'",
      },
      { flags: '--no-trunc', description: "don't cut ids, images and errors" },
    ],
    examples: [
      'tscompose stack ps',
      'tscompose stack services --stack inception',
      "tscompose stack ps --format '{{.Name}} {{.CurrentState}}'",
    ],
    load: () => import('./commands/stack.js'),
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
    name: 'logs',
    summary: 'Show the output of the services, prefixed with the container name',
    args: '[SERVICE...]',
    options: [
      { flags: '-f, --follow', description: 'keep following new output (and containers that start later)' },
      {
        flags: '-n, --tail <lines>',
        description: 'only the last lines of each container ("all" for everything)',
      },
      { flags: '-t, --timestamps', description: 'show timestamps' },
      { flags: '--since <time>', description: 'since a timestamp or a relative time (42m)' },
      { flags: '--until <time>', description: 'until a timestamp or a relative time' },
      { flags: '--no-color', description: 'monochrome output' },
      { flags: '--no-log-prefix', description: "don't prefix lines with the container name" },
    ],
    examples: [
      'tscompose logs -f',
      'tscompose logs --tail 20 mariadb',
      'tscompose logs -t --since 10m wordpress',
    ],
    load: () => import('./commands/logs.js'),
  },
  {
    name: 'create',
    summary: 'Create the containers (and networks, volumes, images) without starting them',
    args: '[SERVICE...]',
    options: [
      { flags: '--build', description: 'build images before creating containers' },
      { flags: '--no-build', description: "don't build images, even when missing" },
      { flags: '--pull <policy>', description: 'pull images', choices: ['always', 'missing', 'never'] },
      { flags: '--force-recreate', description: 'recreate containers even if nothing changed' },
      { flags: '--no-recreate', description: "don't recreate containers that exist" },
      { flags: '--remove-orphans', description: 'remove containers of services not in the compose file' },
      {
        flags: '--scale <service=n>',
        description: 'create n containers of a service (repeatable)',
        kind: 'list',
      },
    ],
    examples: ['tscompose create', 'tscompose create --build nginx'],
    load: () => import('./commands/create.js'),
  },
  {
    name: 'start',
    summary: 'Start existing containers, dependencies first',
    args: '[SERVICE...]',
    examples: ['tscompose start', 'tscompose start mariadb'],
    load: () => import('./commands/start.js'),
  },
  {
    name: 'stop',
    summary: 'Stop running containers, dependents first, without removing them',
    args: '[SERVICE...]',
    options: [
      {
        flags: '-t, --timeout <seconds>',
        description: 'seconds to wait before killing',
        kind: 'int',
        min: 0,
      },
    ],
    examples: ['tscompose stop', 'tscompose stop -t 2 wordpress'],
    load: () => import('./commands/stop.js'),
  },
  {
    name: 'restart',
    summary: 'Restart the containers of the services',
    args: '[SERVICE...]',
    options: [
      {
        flags: '-t, --timeout <seconds>',
        description: 'seconds to wait before killing',
        kind: 'int',
        min: 0,
      },
    ],
    examples: ['tscompose restart', 'tscompose restart nginx'],
    load: () => import('./commands/restart.js'),
  },
  {
    name: 'kill',
    summary: 'Send a signal to the running containers, SIGKILL by default',
    args: '[SERVICE...]',
    options: [{ flags: '-s, --signal <signal>', description: 'signal to send', default: 'SIGKILL' }],
    examples: ['tscompose kill', 'tscompose kill -s SIGHUP nginx'],
    load: () => import('./commands/kill.js'),
  },
  {
    name: 'rm',
    summary: 'Remove stopped service containers',
    args: '[SERVICE...]',
    options: [
      { flags: '-f, --force', description: "don't ask for confirmation" },
      { flags: '-s, --stop', description: 'stop the containers first if they run' },
      { flags: '-v, --volumes', description: 'remove their anonymous volumes too' },
    ],
    examples: ['tscompose rm -f', 'tscompose rm -s -f wordpress'],
    load: () => import('./commands/rm.js'),
  },
  {
    name: 'pause',
    summary: 'Pause the running containers',
    args: '[SERVICE...]',
    examples: ['tscompose pause', 'tscompose pause wordpress'],
    load: () => import('./commands/pause.js'),
  },
  {
    name: 'unpause',
    summary: 'Unpause paused containers',
    args: '[SERVICE...]',
    examples: ['tscompose unpause', 'tscompose unpause wordpress'],
    load: () => import('./commands/unpause.js'),
  },
  {
    name: 'exec',
    summary: "Run a command in a service's running container; its exit code is returned",
    args: 'SERVICE COMMAND [ARGS...]',
    passThrough: true,
    options: [
      {
        flags: '-T, --no-tty',
        description: "don't allocate a terminal (default: one when stdin is a terminal)",
      },
      {
        flags: '-e, --env <KEY=VALUE>',
        description: 'set an environment variable (repeatable)',
        kind: 'list',
      },
      { flags: '-u, --user <user>', description: 'run as this user' },
      { flags: '-w, --workdir <dir>', description: 'working directory in the container' },
      {
        flags: '--index <n>',
        description: 'which container of a scaled service (default 1)',
        kind: 'int',
        min: 1,
      },
      { flags: '--privileged', description: 'give the command extended privileges' },
      { flags: '-d, --detach', description: 'run the command in the background' },
    ],
    examples: ['tscompose exec mariadb mariadb -u root', 'tscompose exec -T wordpress php -v'],
    load: () => import('./commands/exec.js'),
  },
  {
    name: 'run',
    summary: 'Run a one-off command in a new container of a service',
    args: 'SERVICE [COMMAND] [ARGS...]',
    passThrough: true,
    options: [
      { flags: '--rm', description: 'remove the container when it exits' },
      { flags: '-d, --detach', description: 'run in the background and print the container name' },
      {
        flags: '-e, --env <KEY=VALUE>',
        description: 'set an environment variable (repeatable)',
        kind: 'list',
      },
      { flags: '-l, --label <KEY=VALUE>', description: 'add a label (repeatable)', kind: 'list' },
      { flags: '--entrypoint <command>', description: "override the image's entrypoint" },
      { flags: '--name <name>', description: 'name of the container' },
      { flags: '--no-deps', description: "don't start the services it depends on" },
      { flags: '--service-ports', description: "publish the service's ports" },
      { flags: '-T, --no-tty', description: "don't allocate a terminal" },
      { flags: '-u, --user <user>', description: 'run as this user' },
      { flags: '-w, --workdir <dir>', description: 'working directory in the container' },
      { flags: '--build', description: 'build images before starting the dependencies' },
    ],
    examples: ['tscompose run --rm wordpress php -v', 'tscompose run --rm -e DEBUG=1 mariadb sh'],
    load: () => import('./commands/run.js'),
  },
  {
    name: 'images',
    summary: "List the images the project's containers use",
    args: '[SERVICE...]',
    options: [
      { flags: '-q, --quiet', description: 'only ids' },
      { flags: '--format <format>', description: 'table, json, or a Go template' },
    ],
    examples: ['tscompose images', 'tscompose images --format json'],
    load: () => import('./commands/images.js'),
  },
  {
    name: 'top',
    summary: 'Show the processes running in the containers',
    args: '[SERVICE...]',
    examples: ['tscompose top', 'tscompose top mariadb'],
    load: () => import('./commands/top.js'),
  },
  {
    name: 'port',
    summary: 'Print the public address of a published port',
    args: 'SERVICE PRIVATE_PORT',
    options: [
      {
        flags: '--protocol <protocol>',
        description: 'tcp, udp or sctp',
        choices: ['tcp', 'udp', 'sctp'],
        default: 'tcp',
      },
      {
        flags: '--index <n>',
        description: 'which container of a scaled service (default 1)',
        kind: 'int',
        min: 1,
      },
    ],
    examples: ['tscompose port nginx 443', 'tscompose port --protocol udp dns 53'],
    load: () => import('./commands/port.js'),
  },
  {
    name: 'ls',
    summary: 'List the Compose projects on the engine',
    options: [
      { flags: '-a, --all', description: 'also projects whose containers are all stopped' },
      { flags: '-q, --quiet', description: 'only project names' },
      { flags: '--format <format>', description: 'table, json, or a Go template' },
    ],
    examples: ['tscompose ls', 'tscompose ls -a --format json'],
    load: () => import('./commands/ls.js'),
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
