import { posix } from 'node:path';
import type { ServiceVolumeConfig } from '../../compose/model.js';
import type { Facts, ServiceFacts } from '../input.js';
import type { Finding, Place } from '../types.js';
import { staticRule, verdict, type StaticRule } from './rule.js';

/** One place the mandatory stack keeps data: a named volume or a host directory. */
export interface Storage {
  kind: 'volume' | 'bind';
  /** The volume's key, or the host path. */
  name: string;
  /** Where the data is on the host, when it can be told (a bind's path, a local volume's device). */
  hostPath?: string;
  users: { service: ServiceFacts; mount: ServiceVolumeConfig; index: number }[];
}

/**
 * The persistent storages of the mandatory services: named volumes, and host directories mounted
 * from outside the repository (a file of the repository mounted as configuration is not storage).
 */
export function mandatoryStorages(facts: Facts): Storage[] {
  const storages = new Map<string, Storage>();
  const root = facts.input.root;
  for (const service of facts.services) {
    if (!service.role) continue;
    (service.config.volumes ?? []).forEach((mount, index) => {
      if (mount.type === 'volume' && mount.source) {
        const volume = facts.input.compose.project.volumes?.[mount.source];
        const device = volume?.driver_opts?.device;
        const key = `volume:${mount.source}`;
        const storage = storages.get(key) ?? {
          kind: 'volume' as const,
          name: mount.source,
          ...(device ? { hostPath: device } : {}),
          users: [],
        };
        storage.users.push({ service, mount, index });
        storages.set(key, storage);
      } else if (mount.type === 'bind' && mount.source) {
        const inRepository = mount.source === root || mount.source.startsWith(`${root}/`);
        if (inRepository || mount.source.startsWith('/var/run/') || mount.source.startsWith('/run/')) return;
        const key = `bind:${mount.source}`;
        const storage = storages.get(key) ?? {
          kind: 'bind' as const,
          name: mount.source,
          hostPath: mount.source,
          users: [],
        };
        storage.users.push({ service, mount, index });
        storages.set(key, storage);
      }
    });
  }
  return [...storages.values()];
}

const dataDir = (login: string | undefined) => (login ? `/home/${login}/data` : '/home/<login>/data');

function inDataDir(path: string, login: string | undefined): boolean {
  const normalized = posix.normalize(path);
  if (login)
    return normalized.startsWith(`/home/${login}/data/`) && normalized.length > `/home/${login}/data/`.length;
  return /^\/home\/[^/]+\/data\/[^/]/.test(normalized);
}

function placeOf(facts: Facts, storage: Storage): Place {
  if (storage.kind === 'volume') {
    const pos = facts.input.compose.locate(['volumes', storage.name], true);
    if (pos) return { file: facts.rel(pos.file), line: pos.line, column: pos.column };
  }
  const user = storage.users[0]!;
  return facts.composePlace(['services', user.service.name, 'volumes', user.index]);
}

export const volumeRules: StaticRule[] = [
  staticRule(
    'volumes.count',
    'error',
    'volumes',
    'two persistent volumes: the WordPress database and the WordPress files',
    (facts) => {
      const storages = mandatoryStorages(facts);
      const findings: Finding[] = [];
      const names = storages.map((s) => s.name).join(', ') || 'none';
      for (const role of ['mariadb', 'wordpress'] as const) {
        const service = facts.services.find((s) => s.role === role);
        if (!service) {
          findings.push({
            message: `there is no ${role} service`,
            fix: `add the ${role} service (srcs/requirements/${role}/)`,
            place: facts.composePlace(['services'], true),
          });
          continue;
        }
        if (!storages.some((st) => st.users.some((u) => u.service === service)))
          findings.push({
            message: `service "${service.name}" keeps no data in a volume: ${role === 'mariadb' ? 'the database' : 'the site files'} are lost with the container`,
            fix: `mount a volume on ${role === 'mariadb' ? '/var/lib/mysql' : 'the WordPress directory'}`,
            place: facts.composePlace(['services', service.name], true),
          });
      }
      if (findings.length === 0 && storages.length !== 2)
        findings.push({
          message: `the mandatory services use ${storages.length} persistent volumes (${names}); the subject asks for exactly two`,
          fix: 'keep one volume for the database (mariadb) and one for the site files (wordpress, shared with nginx)',
          place: placeOf(facts, storages[2] ?? storages[0]!),
        });
      return verdict(findings, `two volumes: ${names}`);
    },
  ),

  staticRule(
    'volumes.location',
    'error',
    'volumes',
    'the volumes keep their data in /home/<login>/data',
    (facts) => {
      const login = facts.login;
      const findings: Finding[] = [];
      const storages = mandatoryStorages(facts);
      for (const storage of storages) {
        if (storage.hostPath && inDataDir(storage.hostPath, login)) {
          if (storage.kind === 'volume') {
            const volume = facts.input.compose.project.volumes?.[storage.name];
            const options = volume?.driver_opts ?? {};
            if (!/(^|,)r?bind(,|$)/.test(options.o ?? ''))
              findings.push({
                message: `volume "${storage.name}" names device ${storage.hostPath} without o: bind: the local driver cannot mount a directory so`,
                fix: 'set driver_opts: {type: none, o: bind, device: ...}',
                place: placeOf(facts, storage),
              });
          }
          continue;
        }
        findings.push({
          message: storage.hostPath
            ? `${storage.kind === 'volume' ? `volume "${storage.name}"` : 'the bind mount'} keeps its data in ${storage.hostPath}, not in ${dataDir(login)}/`
            : `volume "${storage.name}" keeps its data in Docker's own directory (/var/lib/docker/volumes), not in ${dataDir(login)}/`,
          fix: `declare it with driver: local and driver_opts: {type: none, o: bind, device: ${dataDir(login)}/${storage.users[0]!.service.role === 'mariadb' ? 'mariadb' : 'wordpress'}}`,
          place: placeOf(facts, storage),
        });
      }
      return verdict(findings, `data in ${dataDir(login)}/`);
    },
  ),

  staticRule(
    'volumes.named',
    'error',
    'volumes',
    'the two volumes are named volumes, not bind mounts (subject v5)',
    (facts) => {
      if (facts.input.options.subject !== 'v5')
        return { skip: 'subject v3 lets the volumes be host directories' };
      const findings: Finding[] = [];
      for (const storage of mandatoryStorages(facts))
        if (storage.kind === 'bind')
          for (const user of storage.users)
            findings.push({
              message: `service "${user.service.name}" bind-mounts ${storage.name}: subject v5 wants Docker named volumes`,
              fix: `declare a named volume with driver_opts {type: none, o: bind, device: ${storage.name}} and mount it by name (under subject v3, run with --subject v3)`,
              place: facts.composePlace(['services', user.service.name, 'volumes', user.index]),
            });
      return verdict(findings, 'named volumes only');
    },
  ),
];
