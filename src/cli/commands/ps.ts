import { SOURCES_CHANGED } from '../../app/compose-service.js';
import type { ContainerSummary } from '../../engine/engine.js';
import type { TemplateValue } from '../../ui/go-template.js';
import { parseFormat, timeAgo, type Column } from '../../ui/format-output.js';
import type { CommandRun } from '../context.js';
import { writeRecords } from '../output.js';
import { openSession, projectFromCli } from '../session.js';

interface PsFlags {
  all?: boolean;
  quiet?: boolean;
  format?: string;
  services?: boolean;
  status?: string[];
  trunc?: boolean;
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

/** `2026-11-22 04:48:04 +0000 UTC`, as Compose prints CreatedAt. */
const createdAt = (seconds: number) =>
  `${new Date(seconds * 1000)
    .toISOString()
    .replace('T', ' ')
    .replace(/\.\d+Z$/, '')} +0000 UTC`;

/**
 * One container as `docker compose ps --format json` and its templates show it: the same field
 * names and value shapes that scripts written for Compose read (`{{.Name}}`, `{{.Publishers}}`,
 * `{{.Label "com.docker.compose.service"}}`).
 */
export function psRecord(c: ContainerSummary, project: string, now: number) {
  const exited = /^Exited \((\d+)\)/.exec(c.status);
  const volumes = c.mounts.filter((m) => m.type === 'volume');
  return {
    Command: JSON.stringify(c.command),
    CreatedAt: createdAt(c.created),
    ExitCode: exited ? Number(exited[1]) : 0,
    Health: c.health === undefined || c.health === 'none' ? '' : c.health,
    ID: c.id.slice(0, 12),
    Image: c.image,
    Labels: Object.entries(c.labels)
      .map(([k, v]) => `${k}=${v}`)
      .join(','),
    Label: (key: TemplateValue) => c.labels[String(key)] ?? '',
    LocalVolumes: String(volumes.length),
    Mounts: c.mounts.map((m) => m.name ?? m.source).join(','),
    Name: c.name,
    Names: c.name,
    Networks: c.networks.join(','),
    Ports: formatPorts(c.ports),
    Project: project,
    Publishers: c.ports.length
      ? c.ports.map((p) => ({
          URL: p.ip ?? '',
          TargetPort: p.privatePort,
          PublishedPort: p.publicPort ?? 0,
          Protocol: p.type,
        }))
      : null,
    RunningFor: timeAgo(c.created * 1000, now),
    Service: c.labels['com.docker.compose.service'] ?? '',
    State: c.state,
    Status: c.status,
  };
}
type PsRecord = ReturnType<typeof psRecord>;

/** Docker cuts COMMAND to 20 characters in tables unless --no-trunc. */
const shortCommand = (r: PsRecord) => (r.Command.length > 22 ? `${r.Command.slice(0, 20)}…"` : r.Command);

export const run: CommandRun = async (ctx, { args, options, global }) => {
  const flags = options as PsFlags;
  const noTrunc = flags.trunc === false;
  parseFormat(flags.format); // a broken template is a usage error before the engine is asked
  const { name, loaded } = await projectFromCli(ctx, global);
  const session = await openSession(ctx, global);
  try {
    const containers = await session.compose.ps(name, {
      all: flags.all,
      services: args,
      status: flags.status,
    });
    // crash loops are said on stderr, so that the table and --format output stay as Compose prints them
    if (!flags.quiet)
      for (const loop of await session.compose.crashLoops(containers))
        ctx.stderr.write(
          `WARN container ${loop.container} (service ${loop.service}) keeps restarting: restarted ${loop.restartCount} time${loop.restartCount === 1 ? '' : 's'}, last exit code ${loop.exitCode}${
            loop.lastLines.length
              ? `; its last log lines:\n${loop.lastLines.map((l) => `  ${l}\n`).join('')}`
              : '\n'
          }`,
        );
    if (flags.services) {
      const services = [...new Set(containers.map((c) => c.labels['com.docker.compose.service'] ?? ''))];
      ctx.stdout.write(services.map((s) => `${s}\n`).join(''));
      return;
    }
    if (flags.quiet) {
      ctx.stdout.write(containers.map((c) => `${noTrunc ? c.id : c.id.slice(0, 12)}\n`).join(''));
      return;
    }
    const now = Date.now();
    const columns: Column<PsRecord>[] = [
      { header: 'NAME', field: 'Name' },
      { header: 'IMAGE', field: 'Image' },
      { header: 'COMMAND', field: 'Command', cell: noTrunc ? undefined : shortCommand, shrink: true },
      { header: 'SERVICE', field: 'Service' },
      { header: 'CREATED', field: 'RunningFor' },
      { header: 'STATUS', field: 'Status' },
      { header: 'PORTS', field: 'Ports', shrink: true },
    ];
    writeRecords(
      ctx,
      containers.map((c) => psRecord(c, name, now)),
      { format: flags.format, columns, json: 'lines', noTrunc },
    );
    // the table is for people: say which images are older than their sources (on stderr)
    if (loaded && (flags.format === undefined || flags.format === 'table')) {
      const services = containers.map((c) => c.labels['com.docker.compose.service'] ?? '');
      for (const service of await session.compose.changedSources(loaded, services))
        ctx.stderr.write(`${service}: ${SOURCES_CHANGED}\n`);
    }
  } finally {
    await session.close();
  }
};
