import { usageError } from '../core/errors.js';
import type { Project } from './model.js';
import { withoutUnusedResources } from './normalize.js';
import type { PlainMap } from './path.js';

/**
 * The project reduced to the named services and everything they depend on (transitively), with
 * only the networks, volumes, secrets and configs those use: what `config SERVICE…` prints.
 */
export function withSelectedServices(project: Project, names: readonly string[]): Project {
  if (names.length === 0) return project;
  const keep = new Set<string>();
  const visit = (name: string) => {
    if (keep.has(name)) return;
    const service = project.services[name];
    if (!service) {
      const known = Object.keys(project.services).sort();
      throw usageError(
        `no such service: ${name}`,
        known.length ? `services: ${known.join(', ')}` : undefined,
      );
    }
    keep.add(name);
    for (const dep of Object.keys(service.depends_on ?? {})) if (project.services[dep]) visit(dep);
  };
  for (const name of names) visit(name);
  const services: Project['services'] = {};
  for (const name of Object.keys(project.services))
    if (keep.has(name)) services[name] = project.services[name]!;
  return withoutUnusedResources({ ...project, services } as unknown as PlainMap) as unknown as Project;
}
