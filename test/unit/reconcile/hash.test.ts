import { describe, expect, it } from 'vitest';
import { serviceHash } from '../../../src/app/service-hash.js';
import { loadProject } from '../../../src/compose/load.js';
import { describeChanges, fieldHashes } from '../../../src/reconcile/hash.js';
import { memoryIO } from '../../support/memory-io.js';

// Hashes that Docker Compose v2.26.1 wrote to com.docker.compose.config-hash for these services
// (recorded on this machine, 2026-11-22): equal hashes mean each tool sees the other's containers
// as up to date.
const compose = `
name: bench-small
services:
  db:
    image: debian:bookworm
    init: true
    command: ["sh", "-c", "touch /tmp/ready && exec sleep infinity"]
    healthcheck:
      test: ["CMD", "test", "-f", "/tmp/ready"]
      interval: 1s
      timeout: 2s
      retries: 5
    volumes: [dbdata:/var/lib/data]
    networks: [back]
  app:
    image: debian:bookworm
    init: true
    command: ["sleep", "infinity"]
    environment:
      DB_HOST: db
    depends_on:
      db: { condition: service_healthy }
    networks: [back]
  proxy:
    image: debian:bookworm
    init: true
    command: ["sleep", "infinity"]
    ports: ["127.0.0.1:18443:443"]
    depends_on: [app]
    networks: [back]
volumes:
  dbdata: {}
networks:
  back: { driver: bridge }
`;

describe('the config hash', () => {
  it("is Docker Compose's own, byte for byte (Go's JSON escapes included)", async () => {
    const { project } = await loadProject({}, memoryIO({ '/project/compose.yaml': compose }));
    expect(serviceHash(project.services.db!)).toBe(
      'dd799784da86564d92ee0c980c16642303573f46551690faafadcc1ab8634678',
    );
    expect(serviceHash(project.services.app!)).toBe(
      '222f7b01809aac87f27d8264d8353c856bf070df23a8650416988e50b950e0e6',
    );
    expect(serviceHash(project.services.proxy!)).toBe(
      '1fdd970111afdef494c350025280e06c939555b892adb2aaec2b040b8c4c4e84',
    );
  });

  it('ignores how the image is built or pulled and how many replicas run', async () => {
    const { project } = await loadProject({}, memoryIO({ '/project/compose.yaml': compose }));
    const app = project.services.app!;
    const same = serviceHash(app);
    expect(serviceHash({ ...app, build: { context: '/project' }, pull_policy: 'always', scale: 3 })).toBe(
      same,
    );
    expect(serviceHash({ ...app, deploy: { replicas: 4 } })).toBe(
      serviceHash({ ...app, deploy: { replicas: 1 } }),
    );
    expect(serviceHash({ ...app, environment: { DB_HOST: 'other' } })).not.toBe(same);
  });

  it('names the changed fields, down to the environment variable', () => {
    const before = fieldHashes({ command: ['a'], entrypoint: null, environment: { A: '1', B: '2' } });
    const after = fieldHashes({
      command: ['a'],
      entrypoint: null,
      environment: { A: '1', B: '3', C: '4' },
      ports: [],
    });
    expect(describeChanges(before, after)).toEqual([
      'environment.B changed',
      'environment.C added',
      'ports added',
    ]);
  });
});
