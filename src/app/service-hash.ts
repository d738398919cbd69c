import type { ServiceConfig } from '../compose/model.js';
import { printableService } from '../compose/serialize.js';
import { composeServiceHash } from '../reconcile/hash.js';

/** Docker Compose's com.docker.compose.config-hash of a service (also what `config --hash` prints). */
export function serviceHash(service: ServiceConfig): string {
  return composeServiceHash(printableService(service));
}
