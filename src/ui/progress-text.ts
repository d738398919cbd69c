/** The words and numbers every progress sink prints the same way. */
import type { ResourceKind } from '../core/events.js';

const kindWords: Record<ResourceKind, string> = {
  network: 'Network',
  volume: 'Volume',
  container: 'Container',
  image: 'Image',
  service: 'Service',
  secret: 'Secret',
  config: 'Config',
};

/** How a resource is named on a progress line, as Compose does: `Container myproj-web-1`. */
export function resourceLabel(kind: ResourceKind, id: string): string {
  return `${kindWords[kind]} ${id}`;
}

/** `0.4s`, `12.3s`, `95.0s`: seconds with one decimal, as Compose prints step durations. */
export function formatDuration(ms: number): string {
  return `${(Math.max(0, ms) / 1000).toFixed(1)}s`;
}

/**
 * One line of a build's or a step's output as it can be shown: colours and cursor moves removed,
 * and of a line redrawn with carriage returns only what was drawn last.
 */
export function cleanOutputLine(line: string): string {
  // eslint-disable-next-line no-control-regex
  const text = line.replace(/\u001b\[[0-9;?]*[ -/]*[@-~]/g, '').replace(/[\r\n]+$/, '');
  const lastRedraw = text.lastIndexOf('\r');
  return (lastRedraw >= 0 ? text.slice(lastRedraw + 1) : text).replace(/\t/g, '    ').trimEnd();
}
