import { describe, expect, it } from 'vitest';
import type { ServiceSpec } from '../../../src/engine/swarm.js';
import { comparableSpec, describeDifferences, scaleOnly } from '../../../src/swarm/compare.js';

const spec = (): ServiceSpec => ({
  Name: 'st_web',
  Labels: { 'com.docker.stack.namespace': 'st' },
  TaskTemplate: {
    ContainerSpec: {
      Image: `sha256:${'1'.repeat(64)}`,
      Env: ['A=1', 'B=2'],
      Secrets: [{ File: { Name: 'pw', UID: '0', GID: '0', Mode: 0o444 }, SecretName: 'st_pw-abc' }],
      Healthcheck: { Test: ['CMD', 'true'], Interval: 1e9, StartPeriod: 0 },
    },
    RestartPolicy: { Condition: 'any', MaxAttempts: 0 },
    Networks: [{ Target: 'st_front', Aliases: ['web'] }],
  },
  Mode: { Replicated: { Replicas: 1 } },
});

describe('comparableSpec', () => {
  it('sees the stored form of a spec as the spec sent: ids, engine defaults and zeros do not count', () => {
    const stored = spec();
    stored.TaskTemplate.Networks = [{ Target: 'netid1', Aliases: ['web'] }];
    stored.TaskTemplate.ContainerSpec.Secrets![0]!.SecretID = 'secretid1';
    stored.TaskTemplate.ContainerSpec.Isolation = 'default';
    stored.TaskTemplate.Runtime = 'container';
    stored.TaskTemplate.ForceUpdate = 2;
    delete stored.TaskTemplate.ContainerSpec.Healthcheck!.StartPeriod;
    const names = new Map([['netid1', 'st_front']]);
    expect(comparableSpec(stored, names)).toEqual(comparableSpec(spec(), new Map()));
  });

  it('names what differs in the compose file’s words', () => {
    const before = comparableSpec(spec(), new Map());
    const edited = spec();
    edited.TaskTemplate.ContainerSpec.Env = ['A=1', 'B=3', 'C=4'];
    edited.TaskTemplate.ContainerSpec.Image = `sha256:${'2'.repeat(64)}`;
    edited.TaskTemplate.ContainerSpec.Healthcheck = { Test: ['CMD', 'false'], Interval: 2e9 };
    delete edited.TaskTemplate.ContainerSpec.Secrets;
    edited.Mode = { Replicated: { Replicas: 2 } };
    expect(describeDifferences(comparableSpec(edited, new Map()), before)).toEqual([
      'deploy.replicas 1 → 2',
      'environment.B changed',
      'environment.C added',
      'healthcheck changed',
      'image changed (111111111111 → 222222222222)',
      'secrets.pw removed',
    ]);
  });

  it('recognises a change of the replica count alone as a scale', () => {
    const scaled = spec();
    scaled.Mode = { Replicated: { Replicas: 3 } };
    expect(scaleOnly(comparableSpec(scaled, new Map()), comparableSpec(spec(), new Map()))).toEqual({
      from: 1,
      to: 3,
    });
    scaled.TaskTemplate.ContainerSpec.Env = ['A=1'];
    expect(scaleOnly(comparableSpec(scaled, new Map()), comparableSpec(spec(), new Map()))).toBeUndefined();
  });
});
