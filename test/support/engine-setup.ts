// Global setup of the integration and e2e projects: a Docker engine, the offline base image and
// Docker Compose v2 (for the interoperability tests) must be there. It sets them up itself (the scripts are idempotent and take well under a second when all
// is in place) and fails loudly when it cannot: tests that need Docker never skip silently.
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));

export default function setup(): void {
  for (const script of [
    'scripts/ensure-engine.sh',
    'scripts/ensure-base-image.sh',
    'scripts/ensure-compose-v2.sh',
  ]) {
    try {
      execFileSync('bash', [script], { cwd: root, stdio: ['ignore', 'inherit', 'pipe'] });
    } catch (error) {
      const stderr = (error as { stderr?: Buffer }).stderr?.toString() ?? '';
      throw new Error(`tests that need Docker cannot run: ${script} failed\n${stderr}`);
    }
  }
}
