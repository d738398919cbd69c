import type { Finding } from '../types.js';
import type { Facts, ServiceFacts } from '../input.js';
import type { DockerStage } from '../dockerfile.js';
import { plural, staticRule, verdict, type StaticRule } from './rule.js';

export interface ImageRef {
  /** Without registry `docker.io/` and `library/`: `debian`, `myuser/tool`. */
  name: string;
  tag?: string;
  digest?: string;
}

export function parseImageRef(ref: string): ImageRef {
  let rest = ref.trim();
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
  }
  let tag: string | undefined;
  const colon = rest.lastIndexOf(':');
  if (colon > rest.lastIndexOf('/')) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
  }
  const name = rest
    .replace(/^(docker\.io|index\.docker\.io|registry-1\.docker\.io)\//, '')
    .replace(/^library\//, '');
  return { name: name.toLowerCase(), ...(tag !== undefined ? { tag } : {}), ...(digest ? { digest } : {}) };
}

const DEBIAN_RELEASES: Record<string, string> = {
  buster: '10',
  bullseye: '11',
  bookworm: '12',
  trixie: '13',
  forky: '14',
  duke: '15',
};
/** Tags that follow a moving target: today's meaning changes without the Dockerfile changing. */
const MOVING = /^(latest|stable|oldstable|oldoldstable|testing|unstable|sid|edge|rolling|current)(-slim)?$/;

/** debian:bookworm also accepts 12, 12.8, bookworm-slim, bookworm-20250113; alpine:3.22 accepts 3.22.2. */
export function matchesBase(ref: ImageRef, base: string): boolean {
  const wanted = parseImageRef(base);
  if (ref.name !== wanted.name || ref.tag === undefined || wanted.tag === undefined) return false;
  const tag = ref.tag.replace(/-slim$/, '').replace(/-\d{8}(-slim)?$/, '');
  if (tag === wanted.tag) return true;
  if (wanted.name === 'debian') {
    const version = DEBIAN_RELEASES[wanted.tag] ?? wanted.tag;
    const codename = Object.entries(DEBIAN_RELEASES).find(([, v]) => v === version)?.[0];
    return tag === version || tag === codename || tag.startsWith(`${version}.`);
  }
  return tag.startsWith(`${wanted.tag}.`) && /^\d+(\.\d+)*$/.test(tag);
}

interface External {
  service: ServiceFacts;
  stage: DockerStage;
  ref: ImageRef;
  place: { file: string; line: number };
}

/** The `FROM` lines that pull an image (not an earlier stage, not scratch). */
function externalFroms(facts: Facts): External[] {
  const out: External[] = [];
  for (const service of facts.services) {
    if (!service.dockerfile || !service.dockerfilePath) continue;
    for (const stage of service.dockerfile.stages) {
      if (stage.fromStage !== undefined || stage.resolvedImage.toLowerCase() === 'scratch') continue;
      out.push({
        service,
        stage,
        ref: parseImageRef(stage.resolvedImage),
        place: { file: service.dockerfilePath, line: stage.line },
      });
    }
  }
  // two services built from one Dockerfile: one finding per line
  return out.filter(
    (e, i) => out.findIndex((o) => o.place.file === e.place.file && o.place.line === e.place.line) === i,
  );
}

function shown(e: External): string {
  return e.stage.image === e.stage.resolvedImage
    ? e.stage.image
    : `${e.stage.image} (${e.stage.resolvedImage})`;
}

export const imageRules: StaticRule[] = [
  staticRule(
    'services.build',
    'error',
    'images',
    'every service is built from its own Dockerfile',
    (facts) => {
      const findings: Finding[] = facts.services
        .filter((s) => !s.config.build)
        .map((s) => ({
          message: `service "${s.name}" has no build: it runs the ready-made image ${s.config.image ?? '(none)'}`,
          fix: `write srcs/requirements/${s.name}/Dockerfile FROM the allowed Debian or Alpine, and add build: requirements/${s.name}`,
          place: facts.composePlace(
            ['services', s.name, s.config.image ? 'image' : 'build'],
            !s.config.image,
          ),
        }));
      return verdict(findings, `${plural(facts.services.length, 'service')} built locally`);
    },
  ),

  staticRule(
    'images.base',
    'error',
    'images',
    'images are built FROM the penultimate stable Debian or Alpine',
    (facts) => {
      const bases = facts.input.options.bases;
      const findings: Finding[] = [];
      const froms = externalFroms(facts);
      for (const e of froms) {
        const { ref } = e;
        if (ref.tag === undefined && !ref.digest) continue; // images.untagged
        if (ref.tag === 'latest') continue; // images.latest
        if (ref.tag && /^oldstable(-slim)?$/.test(ref.tag) && ref.name === 'debian') continue; // images.moving-tag
        if (bases.some((b) => matchesBase(ref, b))) continue;
        const unresolved = /\$/.test(e.stage.resolvedImage) || e.stage.resolvedImage.endsWith(':');
        findings.push({
          message: unresolved
            ? `FROM ${e.stage.image} depends on a build argument with no value: the base cannot be told`
            : ref.digest && ref.tag === undefined
              ? `FROM ${shown(e)} is pinned by digest only: its version cannot be told`
              : `FROM ${shown(e)} is not one of the allowed bases (${bases.join(', ')})`,
          fix: `build FROM ${bases.join(' or ')} (the penultimate stable Debian or Alpine; set others with --base)`,
          place: e.place,
        });
      }
      return verdict(findings, `${plural(froms.length, 'FROM')} on ${bases.join(', ')}`);
    },
  ),

  staticRule(
    'images.moving-tag',
    'warning',
    'images',
    'base images are pinned, not on a moving tag',
    (facts) => {
      const findings: Finding[] = [];
      for (const e of externalFroms(facts))
        if (e.ref.tag && MOVING.test(e.ref.tag) && e.ref.tag !== 'latest')
          findings.push({
            message: `FROM ${shown(e)} follows a moving tag: the same Dockerfile builds on another release once Debian or Alpine moves on`,
            fix: `name the release: ${facts.input.options.bases.join(' or ')}`,
            place: e.place,
          });
      return verdict(findings, 'every FROM names a release');
    },
  ),

  staticRule('images.latest', 'error', 'images', 'no "latest" tag', (facts) => {
    const findings: Finding[] = [];
    for (const e of externalFroms(facts))
      if (e.ref.tag === 'latest')
        findings.push({
          message: `FROM ${shown(e)} uses the forbidden "latest" tag`,
          fix: `name the release: ${facts.input.options.bases.join(' or ')}`,
          place: e.place,
        });
    for (const s of facts.services)
      if (s.config.image && parseImageRef(s.config.image).tag === 'latest')
        findings.push({
          message: `service "${s.name}" is tagged "latest" (image: ${s.config.image})`,
          fix: `give it a version tag: image: ${s.name}:1.0`,
          place: facts.composePlace(['services', s.name, 'image']),
        });
    return verdict(findings, 'no image is tagged latest');
  }),

  staticRule('images.untagged', 'error', 'images', 'every image has a tag (no implicit latest)', (facts) => {
    const findings: Finding[] = [];
    for (const e of externalFroms(facts))
      if (e.ref.tag === undefined && !e.ref.digest)
        findings.push({
          message: `FROM ${shown(e)} has no tag: Docker takes "latest"`,
          fix: `name the release: ${facts.input.options.bases.join(' or ')}`,
          place: e.place,
        });
    for (const s of facts.services) {
      if (!s.config.image) continue;
      const ref = parseImageRef(s.config.image);
      if (ref.tag === undefined && !ref.digest)
        findings.push({
          message: `image: ${s.config.image} of "${s.name}" has no tag: it is built and run as ${ref.name}:latest`,
          fix: `give it a version tag: image: ${ref.name}:1.0`,
          place: facts.composePlace(['services', s.name, 'image']),
        });
    }
    return verdict(findings, 'every FROM and image: has a tag');
  }),

  staticRule('images.name', 'error', 'images', 'each image has the name of its service', (facts) => {
    const findings: Finding[] = [];
    for (const s of facts.services) {
      if (!s.config.build) continue;
      if (!s.config.image) {
        findings.push({
          message: `service "${s.name}" has no image: name: Compose names its image ${facts.input.compose.project.name}-${s.name}`,
          fix: `add image: ${s.name}:1.0 (any tag but latest)`,
          place: facts.composePlace(['services', s.name], true),
        });
        continue;
      }
      const name = parseImageRef(s.config.image).name;
      const last = name.slice(name.lastIndexOf('/') + 1);
      if (last !== s.name)
        findings.push({
          message: `service "${s.name}" builds an image named "${name}"`,
          fix: `name it like the service: image: ${s.name}:${parseImageRef(s.config.image).tag ?? '1.0'}`,
          place: facts.composePlace(['services', s.name, 'image']),
        });
    }
    return verdict(findings, 'image names match service names');
  }),

  staticRule(
    'images.no-nginx',
    'error',
    'images',
    'no nginx in the WordPress and MariaDB images',
    (facts) => {
      const findings: Finding[] = [];
      const install =
        /\b(?:apt-get|apt|aptitude|apk|dnf|yum)\b[^;&|]*?\b(?:install|add)\b[^;&|]*?(?:^|\s)(nginx(?:-[a-z0-9.+-]+)?)(?=\s|$|;|&|\|)/;
      for (const s of facts.services) {
        if ((s.role !== 'wordpress' && s.role !== 'mariadb') || !s.dockerfile || !s.dockerfilePath) continue;
        for (const i of s.dockerfile.instructions) {
          if (i.keyword !== 'RUN') continue;
          const m = install.exec(i.text.replace(/\s+/g, ' '));
          if (m)
            findings.push({
              message: `the ${s.role} image installs ${m[1]}: nginx belongs to the nginx container only`,
              fix: `remove ${m[1]} from this RUN`,
              place: { file: s.dockerfilePath, line: i.line },
            });
        }
      }
      return verdict(findings, 'nginx is installed only in the nginx image');
    },
  ),
];
