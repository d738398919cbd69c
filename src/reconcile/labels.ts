/**
 * The labels Docker Compose v2 writes, by the same names, so that `docker compose ps/logs/down` see
 * what tscompose made and the other way round; the engine is the database.
 */
export const Label = {
  project: 'com.docker.compose.project',
  service: 'com.docker.compose.service',
  containerNumber: 'com.docker.compose.container-number',
  oneoff: 'com.docker.compose.oneoff',
  configHash: 'com.docker.compose.config-hash',
  /** The id of the image the container was created from. */
  image: 'com.docker.compose.image',
  /** `service:condition:restart`, comma-separated. */
  dependsOn: 'com.docker.compose.depends_on',
  version: 'com.docker.compose.version',
  workingDir: 'com.docker.compose.project.working_dir',
  configFiles: 'com.docker.compose.project.config_files',
  environmentFile: 'com.docker.compose.project.environment_file',
  /** On a recreated container: the id of the container it replaced. */
  replace: 'com.docker.compose.replace',
  /** On one-off (`run`) containers: a random slug. */
  slug: 'com.docker.compose.slug',
  network: 'com.docker.compose.network',
  volume: 'com.docker.compose.volume',
  /**
   * tscompose's own: a short hash per top-level service field (and per environment variable), so that
   * a recreation can say which fields changed. Compose ignores it.
   */
  fieldHashes: 'tscompose.config-fields',
} as const;

export const projectFilter = (project: string) => ({ label: [`${Label.project}=${project}`] });

/** Facts about how the project was loaded that Compose records on every container. */
export interface ProjectLabels {
  workingDir: string;
  configFiles: string[];
  envFiles: string[];
  /** Written to com.docker.compose.version. */
  version: string;
}

export function isOneOff(labels: Record<string, string>): boolean {
  return labels[Label.oneoff] === 'True';
}

/** `db:service_healthy:false,cache:service_started:false` → the service names. */
export function dependenciesFromLabel(value: string | undefined): string[] {
  if (!value) return [];
  return value
    .split(',')
    .map((part) => part.split(':')[0] ?? '')
    .filter(Boolean);
}
