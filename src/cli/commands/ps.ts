import type { ContainerSummary } from '../../engine/engine.js';
import { formatTable } from '../../ui/plain-lines.js';
import type { CommandRun } from '../context.js';
import { openSession, projectFromCli } from '../session.js';

interface PsFlags {
  all?: boolean;
  quiet?: boolean;
  format?: 'table' | 'json';
  services?: boolean;
  status?: string[];
}

const ago = (seconds: number, now: number) => {
  const s = Math.max(0, Math.floor(now / 1000 - seconds));
  const units: [number, string][] = [
    [86_400, 'day'],
    [3600, 'hour'],
    [60, 'minute'],
    [1, 'second'],
  ];
  for (const [size, unit] of units)
    if (s >= size) {
      const n = Math.floor(s / size);
      return `${n} ${unit}${n > 1 ? 's' : ''} ago`;
    }
  return 'Less than a second ago';
};

/** `127.0.0.1:8080->80/tcp, 443/tcp`, as docker ps prints them. */
export function formatPorts(ports: ContainerSummary['ports']): string {
  const seen = new Set<string>();
  return ports
    .map((p) =>
      p.publicPort
        ? `${p.ip || '0.0.0.0'}:${p.publicPort}->${p.privatePort}/${p.type}`
        : `${p.privatePort}/${p.type}`,
    )
    .filter((p) => !seen.has(p) && seen.add(p))
    .join(', ');
}

const quoted = (command: string) => `"${command.length > 20 ? `${command.slice(0, 19)}…` : command}"`;

export const run: CommandRun = async (ctx, { args, options, global }) => {
  const flags = options as PsFlags;
  const { name } = await projectFromCli(ctx, global);
  const session = await openSession(ctx, global);
  try {
    const containers = await session.compose.ps(name, {
      all: flags.all,
      services: args,
      status: flags.status,
    });
    if (flags.services) {
      const services = [...new Set(containers.map((c) => c.labels['com.docker.compose.service'] ?? ''))];
      ctx.stdout.write(services.map((s) => `${s}\n`).join(''));
      return;
    }
    if (flags.quiet) {
      ctx.stdout.write(containers.map((c) => `${c.id}\n`).join(''));
      return;
    }
    if (flags.format === 'json') {
      for (const c of containers)
        ctx.stdout.write(
          `${JSON.stringify({
            ID: c.id,
            Name: c.name,
            Image: c.image,
            Command: c.command,
            Project: name,
            Service: c.labels['com.docker.compose.service'] ?? '',
            Created: c.created,
            State: c.state,
            Status: c.status,
            Health: c.health === undefined || c.health === 'none' ? '' : c.health,
            ExitCode: 0,
            Publishers: c.ports.map((p) => ({
              URL: p.ip ?? '',
              TargetPort: p.privatePort,
              PublishedPort: p.publicPort ?? 0,
              Protocol: p.type,
            })),
            Labels: Object.entries(c.labels)
              .map(([k, v]) => `${k}=${v}`)
              .join(','),
          })}\n`,
        );
      return;
    }
    const now = Date.now();
    ctx.stdout.write(
      formatTable(
        ['NAME', 'IMAGE', 'COMMAND', 'SERVICE', 'CREATED', 'STATUS', 'PORTS'],
        containers.map((c) => [
          c.name,
          c.image,
          quoted(c.command),
          c.labels['com.docker.compose.service'] ?? '',
          ago(c.created, now),
          c.status,
          formatPorts(c.ports),
        ]),
      ),
    );
  } finally {
    session.close();
  }
};
