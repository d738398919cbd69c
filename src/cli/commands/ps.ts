import type { ContainerSummary } from '../../engine/engine.js';
import { formatRecords, parseFormat, type Column } from '../../ui/format-output.js';
import type { CommandRun } from '../context.js';
import { terminalWidth } from '../output.js';
import { openSession, projectFromCli } from '../session.js';

interface PsFlags {
  all?: boolean;
  quiet?: boolean;
  format?: string;
  services?: boolean;
  status?: string[];
  noTrunc?: boolean;
  trunc?: boolean;
}

/** `2 minutes ago`, as docker ps says how long ago a container was created. */
export function ago(seconds: number, nowMs: number): string {
  const s = Math.max(0, Math.floor(nowMs / 1000 - seconds));
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
}

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

/** A container as `docker compose ps --format json` prints it (the fields templates can read). */
function record(c: ContainerSummary, project: string, now: number) {
  return {
    Command: JSON.stringify(c.command),
    CreatedAt: new Date(c.created * 1000).toISOString(),
    ExitCode: Number(/^Exited \((\d+)\)/.exec(c.status)?.[1] ?? 0),
    Health: c.health === undefined || c.health === 'none' ? '' : c.health,
    ID: c.id,
    Image: c.image,
    Labels: Object.entries(c.labels)
      .map(([k, v]) => `${k}=${v}`)
      .join(','),
    Name: c.name,
    Names: c.name,
    Networks: c.networks.join(','),
    Ports: formatPorts(c.ports),
    Project: project,
    Publishers: c.ports.map((p) => ({
      URL: p.ip ?? '',
      TargetPort: p.privatePort,
      PublishedPort: p.publicPort ?? 0,
      Protocol: p.type,
    })),
    RunningFor: ago(c.created, now),
    Service: c.labels['com.docker.compose.service'] ?? '',
    State: c.state,
    Status: c.status,
  };
}
type PsRecord = ReturnType<typeof record>;

const columns: Column<PsRecord>[] = [
  { header: 'NAME', field: 'Name' },
  { header: 'IMAGE', field: 'Image' },
  { header: 'COMMAND', field: 'Command', shrink: true },
  { header: 'SERVICE', field: 'Service' },
  { header: 'CREATED', field: 'RunningFor' },
  { header: 'STATUS', field: 'Status' },
  { header: 'PORTS', field: 'Ports', shrink: true },
];

export const run: CommandRun = async (ctx, { args, options, global }) => {
  const flags = options as PsFlags;
  parseFormat(flags.format); // a broken template is a usage error before the engine is asked
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
    const now = Date.now();
    ctx.stdout.write(
      formatRecords(
        containers.map((c) => record(c, name, now)),
        {
          format: flags.format,
          columns,
          json: 'lines',
          width: terminalWidth(ctx),
          noTrunc: flags.noTrunc || flags.trunc === false,
        },
      ),
    );
  } finally {
    await session.close();
  }
};
