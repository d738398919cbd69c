import { Dag } from '../graph/dag.js';
import { PathIssue } from './issue.js';
import { isPlainMap, type PlainMap } from './path.js';
import { suggestion } from './validate.js';

/**
 * Phase 7: what no single key can tell: references between services and resources, dependency
 * cycles, and settings that contradict each other. Runs on the normalized project, enabled
 * services only; `disabled` lists the services switched off by profiles.
 */
export function checkConsistency(project: PlainMap, disabled: ReadonlySet<string>): void {
  const services = isPlainMap(project.services) ? project.services : {};
  const names = Object.keys(services);
  const serviceSet = new Set(names);
  const defined = (kind: string) => (isPlainMap(project[kind]) ? Object.keys(project[kind] as PlainMap) : []);
  const networks = defined('networks');
  const volumes = defined('volumes');
  const secrets = defined('secrets');
  const configs = defined('configs');

  const undefinedRef = (
    what: string,
    name: string,
    known: string[],
    path: (string | number)[],
    service: string,
  ) =>
    new PathIssue(
      `service "${service}" refers to undefined ${what} "${name}"`,
      `compose.undefined-${what}`,
      path,
      suggestion(name, known) ?? `declare it under the top-level "${what}s:" key`,
    );

  const dag = new Dag();
  for (const [name, raw] of Object.entries(services)) {
    const s = raw as PlainMap;
    const at = (...rest: (string | number)[]) => ['services', name, ...rest];
    dag.addNode(name);
    if (s.image === undefined && s.build === undefined)
      throw new PathIssue(
        `service "${name}" has neither an image nor a build context specified`,
        'compose.no-image',
        at(),
        'add "image:" or "build:"',
      );
    if (s.network_mode !== undefined && isPlainMap(s.networks) && Object.keys(s.networks).length > 0)
      throw new PathIssue(
        `service "${name}" declares both "network_mode" and "networks", which exclude each other`,
        'compose.conflict',
        at('network_mode'),
      );
    if (isPlainMap(s.networks))
      for (const n of Object.keys(s.networks))
        if (!networks.includes(n)) throw undefinedRef('network', n, networks, at('networks', n), name);
    if (Array.isArray(s.volumes))
      s.volumes.forEach((v, i) => {
        if (
          isPlainMap(v) &&
          v.type === 'volume' &&
          typeof v.source === 'string' &&
          v.source !== '' &&
          !volumes.includes(v.source)
        )
          throw undefinedRef('volume', v.source, volumes, at('volumes', i), name);
      });
    for (const [kind, known] of [
      ['secret', secrets],
      ['config', configs],
    ] as const) {
      const refs = s[`${kind}s`];
      if (Array.isArray(refs))
        refs.forEach((r, i) => {
          const source = isPlainMap(r) ? String(r.source) : String(r);
          if (!known.includes(source)) throw undefinedRef(kind, source, known, at(`${kind}s`, i), name);
        });
    }
    if (isPlainMap(s.build) && Array.isArray(s.build.secrets))
      s.build.secrets.forEach((r, i) => {
        const source = isPlainMap(r) ? String(r.source) : String(r);
        if (!secrets.includes(source))
          throw undefinedRef('secret', source, secrets, at('build', 'secrets', i), name);
      });
    if (isPlainMap(s.depends_on))
      for (const [dep, cfg] of Object.entries(s.depends_on)) {
        const required = !isPlainMap(cfg) || cfg.required !== false;
        if (serviceSet.has(dep)) {
          dag.addEdge(name, dep);
          continue;
        }
        if (!required) continue;
        throw new PathIssue(
          disabled.has(dep)
            ? `service "${name}" depends on service "${dep}", which is disabled by its profiles`
            : `service "${name}" depends on undefined service "${dep}"`,
          'compose.undefined-service',
          at('depends_on', dep),
          disabled.has(dep)
            ? `enable one of its profiles with --profile, or set "required: false"`
            : suggestion(dep, names),
        );
      }
    for (const namespace of ['network_mode', 'ipc', 'pid', 'uts', 'cgroup']) {
      const ref = s[namespace];
      if (typeof ref === 'string' && ref.startsWith('service:')) {
        const target = ref.slice('service:'.length);
        if (!serviceSet.has(target))
          throw new PathIssue(
            `service "${name}" uses ${namespace} of undefined service "${target}"`,
            'compose.undefined-service',
            at(namespace),
            suggestion(target, names),
          );
      }
    }
    conflicts(s, at);
  }
  const cycle = dag.findCycle();
  if (cycle)
    throw new PathIssue(
      `dependency cycle detected: ${(cycle.length > 12 ? [...cycle.slice(0, 6), `… (${cycle.length - 10} more)`, ...cycle.slice(-4)] : cycle).join(' -> ')}`,
      'compose.dependency-cycle',
      ['services', cycle[0]!, 'depends_on'],
      'remove one of these depends_on entries',
    );
}

/** Two ways to set one thing, with different values: Compose refuses the project. */
function conflicts(s: PlainMap, at: (...rest: (string | number)[]) => (string | number)[]): void {
  const deploy = isPlainMap(s.deploy) ? s.deploy : {};
  const resources = isPlainMap(deploy.resources) ? deploy.resources : {};
  const limits = isPlainMap(resources.limits) ? resources.limits : {};
  const reservations = isPlainMap(resources.reservations) ? resources.reservations : {};
  const pairs: [string, unknown, string, unknown][] = [
    ['mem_limit', s.mem_limit, 'deploy.resources.limits.memory', limits.memory],
    ['mem_reservation', s.mem_reservation, 'deploy.resources.reservations.memory', reservations.memory],
    ['cpus', s.cpus, 'deploy.resources.limits.cpus', limits.cpus],
    ['pids_limit', s.pids_limit, 'deploy.resources.limits.pids', limits.pids],
    ['scale', s.scale, 'deploy.replicas', deploy.replicas],
  ];
  for (const [a, va, b, vb] of pairs)
    if (va !== undefined && vb !== undefined && Number(va) !== Number(vb))
      throw new PathIssue(
        `"${a}" (${String(va)}) and "${b}" (${String(vb)}) set different values`,
        'compose.conflict',
        at(a),
        `keep one of the two, or give them the same value`,
      );
}
