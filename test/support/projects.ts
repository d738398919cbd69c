// Projects in the canonical model (what the loader produces), for tests that drive the app layer
// directly against the engine.
import type { Project, ServiceConfig } from '../../src/compose/model.js';
import type { LoadedProject } from '../../src/app/compose-service.js';

export const sleeper = (extra: Partial<ServiceConfig> = {}): ServiceConfig => ({
  image: 'debian:bookworm',
  command: ['sleep', 'infinity'],
  entrypoint: null,
  init: true,
  ...extra,
});

export function loaded(project: Project): LoadedProject {
  return {
    project,
    source: {
      configFiles: [`/tmp/${project.name}/compose.yaml`],
      envFiles: [],
      workingDir: `/tmp/${project.name}`,
      environment: {},
      profiles: [],
    },
  };
}

/** db (health check) <- app (service_healthy) <- proxy (service_started), a volume and a network. */
export function smallStack(name: string, port: number): Project {
  return {
    name,
    services: {
      db: sleeper({
        name: 'db',
        command: ['sh', '-c', 'touch /tmp/ready && exec sleep infinity'],
        healthcheck: { test: ['CMD', 'test', '-f', '/tmp/ready'], interval: '1s', timeout: '2s', retries: 5 },
        volumes: [{ type: 'volume', source: 'dbdata', target: '/var/lib/data' }],
        networks: { back: null },
      }),
      app: sleeper({
        name: 'app',
        environment: { DB_HOST: 'db' },
        depends_on: { db: { condition: 'service_healthy', required: true } },
        networks: { back: null },
      }),
      proxy: sleeper({
        name: 'proxy',
        ports: [
          { mode: 'ingress', host_ip: '127.0.0.1', target: 443, published: String(port), protocol: 'tcp' },
        ],
        depends_on: { app: { condition: 'service_started', required: true } },
        networks: { back: null },
      }),
    },
    networks: { back: { driver: 'bridge' } },
    volumes: { dbdata: {} },
  };
}
