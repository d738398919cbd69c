import { usageError } from '../../core/errors.js';
import type { PortConfigSpec, SwarmNode, SwarmService, SwarmTask } from '../../engine/swarm.js';
import { parseFormat, timeAgo, type Column } from '../../ui/format-output.js';
import type { CommandRun } from '../context.js';
import { writeRecords } from '../output.js';
import { projectFromCli } from '../session.js';
import { openStackSession } from '../stack-session.js';

interface StackFlags {
  stack?: string;
  format?: string;
  quiet?: boolean;
  trunc?: boolean;
}

const imageLabel = 'com.docker.stack.image';

/** `*:443->443/tcp`, as `docker service ls` prints published ports (host mode: the node's port). */
export function formatServicePorts(ports: readonly PortConfigSpec[]): string {
  // a task publishing in host mode lists a port once per address family: shown once
  const shown = ports
    .filter((p) => p.PublishedPort)
    .map((p) => `${p.PublishMode === 'host' ? '' : '*'}:${p.PublishedPort}->${p.TargetPort}/${p.Protocol}`);
  return [...new Set(shown)].join(', ');
}

/** What a service runs, as the compose file names it (tscompose runs local images by id). */
function serviceImage(service: SwarmService | undefined, taskImage: string, noTrunc: boolean): string {
  const named = service?.spec.Labels?.[imageLabel];
  if (taskImage.startsWith('sha256:')) return named && !noTrunc ? named : taskImage;
  return noTrunc ? taskImage : taskImage.replace(/@sha256:[0-9a-f]+$/, '');
}

const capital = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/** One service as `docker stack services --format json` shows it. */
export function serviceRecord(s: SwarmService, noTrunc: boolean) {
  const global = 'Global' in s.spec.Mode;
  const desired = s.desiredTasks ?? ('Replicated' in s.spec.Mode ? s.spec.Mode.Replicated.Replicas : 0);
  return {
    ID: noTrunc ? s.id : s.id.slice(0, 12),
    Name: s.spec.Name,
    Mode: global ? 'global' : 'replicated',
    Replicas: `${s.runningTasks ?? 0}/${desired}`,
    Image: serviceImage(s, s.spec.TaskTemplate.ContainerSpec.Image, noTrunc),
    Ports: formatServicePorts(s.endpointPorts.length ? s.endpointPorts : (s.spec.EndpointSpec?.Ports ?? [])),
  };
}
type ServiceRecord = ReturnType<typeof serviceRecord>;

/** One task as `docker stack ps --format json` shows it; older tasks of a slot are indented. */
export function taskRecord(
  t: SwarmTask,
  services: ReadonlyMap<string, SwarmService>,
  nodes: ReadonlyMap<string, SwarmNode>,
  options: { noTrunc: boolean; older: boolean; now: number },
) {
  const service = services.get(t.serviceId);
  const name = `${service?.spec.Name ?? t.serviceId}.${t.slot || t.nodeId}`;
  return {
    ID: options.noTrunc ? t.id : t.id.slice(0, 12),
    Name: options.older ? ` \\_ ${name}` : name,
    Image: serviceImage(service, t.containerSpec.Image, options.noTrunc),
    Node: nodes.get(t.nodeId)?.hostname ?? t.nodeId,
    DesiredState: capital(t.desiredState),
    CurrentState: `${capital(t.state)} ${timeAgo(Date.parse(t.timestamp), options.now)}`,
    Error: t.error
      ? options.noTrunc || t.error.length <= 40
        ? `"${t.error}"`
        : `"${t.error.slice(0, 38)}…"`
      : '',
    Ports: formatServicePorts(t.ports),
  };
}
type TaskRecord = ReturnType<typeof taskRecord>;

/** Tasks by service, slot, newest first, as docker stack ps lists them. */
function orderTasks(tasks: SwarmTask[], services: ReadonlyMap<string, SwarmService>) {
  const key = (t: SwarmTask) =>
    `${services.get(t.serviceId)?.spec.Name ?? t.serviceId}\u0000${String(t.slot).padStart(6, '0')}${t.nodeId}`;
  const sorted = [...tasks].sort((a, b) => {
    const ka = key(a);
    const kb = key(b);
    return ka < kb ? -1 : ka > kb ? 1 : a.createdAt < b.createdAt ? 1 : a.createdAt > b.createdAt ? -1 : 0;
  });
  return sorted.map((t, i) => ({ task: t, older: i > 0 && key(sorted[i - 1]!) === key(t) }));
}

export const run: CommandRun = async (ctx, { args, options, global }) => {
  const flags = options as StackFlags;
  const [what, ...rest] = args;
  if (what !== 'ps' && what !== 'services')
    throw usageError(
      `stack takes "ps" or "services", not ${what ? `"${what}"` : 'nothing'}`,
      'tscompose stack ps, or tscompose stack services',
    );
  if (rest.length) throw usageError(`unexpected arguments: ${rest.join(' ')}`);
  parseFormat(flags.format);
  const noTrunc = flags.trunc === false;
  const stack = flags.stack ?? (await projectFromCli(ctx, global)).name;
  const { stacks, close } = await openStackSession(ctx, global);
  try {
    if (what === 'services') {
      const services = await stacks.services(stack);
      // as docker stack services: no table at all for an empty stack, and a word on stderr
      if (!services.length && !flags.format && !flags.quiet)
        return void ctx.stderr.write(`Nothing found in stack: ${stack}\n`);
      if (flags.quiet)
        return void ctx.stdout.write(services.map((s) => `${noTrunc ? s.id : s.id.slice(0, 12)}\n`).join(''));
      const columns: Column<ServiceRecord>[] = [
        { header: 'ID', field: 'ID' },
        { header: 'NAME', field: 'Name' },
        { header: 'MODE', field: 'Mode' },
        { header: 'REPLICAS', field: 'Replicas' },
        { header: 'IMAGE', field: 'Image', shrink: true },
        { header: 'PORTS', field: 'Ports', shrink: true },
      ];
      writeRecords(
        ctx,
        services.map((s) => serviceRecord(s, noTrunc)),
        { format: flags.format, columns, json: 'lines', noTrunc },
      );
      return;
    }
    const { services, tasks, nodes } = await stacks.tasks(stack);
    if (!tasks.length && !flags.format && !flags.quiet)
      return void ctx.stderr.write(`Nothing found in stack: ${stack}\n`);
    const byId = new Map(services.map((s) => [s.id, s]));
    const ordered = orderTasks(tasks, byId);
    if (flags.quiet)
      return void ctx.stdout.write(
        ordered.map(({ task }) => `${noTrunc ? task.id : task.id.slice(0, 12)}\n`).join(''),
      );
    const nodeById = new Map(nodes.map((n) => [n.id, n]));
    const now = Date.now();
    const columns: Column<TaskRecord>[] = [
      { header: 'ID', field: 'ID' },
      { header: 'NAME', field: 'Name' },
      { header: 'IMAGE', field: 'Image', shrink: true },
      { header: 'NODE', field: 'Node' },
      { header: 'DESIRED STATE', field: 'DesiredState' },
      { header: 'CURRENT STATE', field: 'CurrentState' },
      { header: 'ERROR', field: 'Error', shrink: true },
      { header: 'PORTS', field: 'Ports', shrink: true },
    ];
    writeRecords(
      ctx,
      ordered.map(({ task, older }) => taskRecord(task, byId, nodeById, { noTrunc, older, now })),
      { format: flags.format, columns, json: 'lines', noTrunc },
    );
  } finally {
    await close();
  }
};
