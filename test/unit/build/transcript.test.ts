import { describe, expect, it } from 'vitest';
import { buildFailure, imageOfFromStep } from '../../../src/build/failure.js';
import { BuildTranscript } from '../../../src/build/transcript.js';
import { decodeBuildStream } from '../../../src/engine/build-image.js';
import type { BuildMessage } from '../../../src/engine/engine.js';

// What the classic builder of Engine 20.10 sent for a RUN that fails (recorded on this machine).
const failingRun = [
  '{"stream":"Step 1/4 : FROM debian:bookworm"}\r\n{"stream":"\\n"}\r\n',
  '{"stream":" ---\\u003e f28f71818d7a\\n"}\r\n{"stream":"Step 2/4 : ARG X=1"}\r\n{"stream":"\\n"}\r\n',
  '{"stream":" ---\\u003e Running in a2ae82fce30c\\n"}\r\n{"stream":"Removing intermediate container a2ae82fce30c\\n"}\r\n',
  '{"stream":" ---\\u003e fbe779a98ae0\\n"}\r\n{"stream":"Step 3/4 : RUN echo hello $X \\u0026\\u0026 ls /nonexist; exit 3"}\r\n',
  '{"stream":"\\n"}\r\n{"stream":" ---\\u003e Running in 0a73bbe7de7b\\n"}\r\n{"stream":"hello 5\\n"}\r\n',
  '{"stream":"\\u001b[91mls: cannot access \'/nonexist\': No such file or directory\\n\\u001b[0m"}\r\n',
  '{"stream":"Removing intermediate container 0a73bbe7de7b\\n"}\r\n',
  '{"errorDetail":{"code":3,"message":"The command \'/bin/sh -c echo hello $X \\u0026\\u0026 ls /nonexist; exit 3\' returned a non-zero code: 3"},',
  '"error":"The command \'/bin/sh -c echo hello $X \\u0026\\u0026 ls /nonexist; exit 3\' returned a non-zero code: 3"}\r\n',
];

async function* chunks(parts: string[]) {
  for (const part of parts) yield Buffer.from(part);
}

async function decode(parts: string[]): Promise<BuildMessage[]> {
  const out: BuildMessage[] = [];
  for await (const m of decodeBuildStream(chunks(parts))) out.push(m);
  return out;
}

describe('decodeBuildStream', () => {
  it('decodes JSON objects cut anywhere across chunks', async () => {
    const whole = failingRun.join('');
    const bytewise = await decode(whole.match(/[\s\S]{1,7}/g)!);
    expect(bytewise).toEqual(await decode(failingRun));
    expect(bytewise.at(-1)).toEqual({
      kind: 'error',
      code: 3,
      message: "The command '/bin/sh -c echo hello $X && ls /nonexist; exit 3' returned a non-zero code: 3",
    });
  });

  it('maps the image id, pull status and stray text', async () => {
    expect(
      await decode([
        '{"aux":{"ID":"sha256:abc"}}\n{"status":"Pulling from library/debian","id":"bookworm"}\n',
        'not json\n{"status":"Downloading","progress":"[=>  ]","id":"a1"}\n',
      ]),
    ).toEqual([
      { kind: 'image-id', id: 'sha256:abc' },
      { kind: 'status', text: 'bookworm: Pulling from library/debian' },
      { kind: 'stream', text: 'not json\n' },
      { kind: 'status', text: 'a1: Downloading [=>  ]' },
    ]);
  });
});

describe('BuildTranscript', () => {
  it('assembles lines, tells stderr, follows steps and keeps the failing step’s own output', async () => {
    const transcript = new BuildTranscript();
    const lines = [];
    for (const m of await decode(failingRun)) lines.push(...transcript.push(m));
    lines.push(...transcript.flush());
    expect(lines.map((l) => l.text)).toContain('Step 3/4 : RUN echo hello $X && ls /nonexist; exit 3');
    expect(lines.find((l) => l.text.startsWith('ls:'))).toEqual({
      stream: 'stderr',
      text: "ls: cannot access '/nonexist': No such file or directory",
    });
    expect(transcript.step).toEqual({
      index: 3,
      total: 4,
      instruction: 'RUN echo hello $X && ls /nonexist; exit 3',
    });
    expect(transcript.stepTail()).toEqual([
      'hello 5',
      "ls: cannot access '/nonexist': No such file or directory",
    ]);
    expect(transcript.exitStatus()).toBe(3);
    expect(transcript.log.length).toBe(lines.length);
  });

  it('keeps only the last 20 lines of a long step and drops pull progress bars', () => {
    const transcript = new BuildTranscript();
    transcript.push({ kind: 'stream', text: 'Step 2/2 : RUN seq 100\n' });
    for (let i = 1; i <= 100; i++) transcript.push({ kind: 'stream', text: `${i}\n` });
    expect(transcript.stepTail()).toEqual(Array.from({ length: 20 }, (_, i) => String(81 + i)));
    expect(transcript.push({ kind: 'status', text: 'a1: Downloading [==>   ] 1MB/9MB' })).toEqual([]);
  });
});

describe('buildFailure', () => {
  const dockerfileText =
    'FROM debian:bookworm\n\nARG X=1\n# why\nRUN echo hello $X && \\\n  ls /nonexist; exit 3\n';

  it('names the service, the Dockerfile line, the step, its output and the exit status', async () => {
    const transcript = new BuildTranscript();
    for (const m of await decode(failingRun)) transcript.push(m);
    const error = buildFailure(
      { service: 'web', image: 'p-web', dockerfilePath: '/src/web/Dockerfile', dockerfileText, pull: false },
      transcript,
    );
    expect(error.code).toBe('build.failed');
    expect(error.message).toBe(
      'service "web" failed to build: step 3/4 (RUN echo hello $X && ls /nonexist; exit 3) exited with status 3',
    );
    expect(error.location).toEqual({ file: '/src/web/Dockerfile', line: 5, path: 'services.web.build' });
    expect(error.reason).toBe('step 3/4 exited with status 3');
    expect(error.details).toEqual([
      'step 3/4: RUN echo hello $X && ls /nonexist; exit 3',
      'last 2 lines of its output:',
      '  | hello 5',
      "  | ls: cannot access '/nonexist': No such file or directory",
      "engine: The command '/bin/sh -c echo hello $X && ls /nonexist; exit 3' returned a non-zero code: 3",
    ]);
    expect(error.exitCode).toBe(1);
    expect(error.log.length).toBeGreaterThan(5);
  });

  it('says which base image is missing when no registry answers, and how to create it', async () => {
    const transcript = new BuildTranscript();
    for (const m of await decode([
      '{"stream":"Step 1/3 : FROM debian:bookworm"}\n{"stream":"\\n"}\n',
      '{"errorDetail":{"message":"Get \\"https://registry-1.docker.io/v2/\\": dial tcp: lookup registry-1.docker.io on 10.0.0.1:53: no such host"},"error":"x"}\n',
    ]))
      transcript.push(m);
    const error = buildFailure(
      {
        service: 'db',
        image: 'p-db',
        dockerfilePath: '/src/db/Dockerfile',
        dockerfileText: 'FROM debian:bookworm\n',
        pull: false,
      },
      transcript,
    );
    expect(error.code).toBe('build.base-image-missing');
    expect(error.message).toBe(
      'base image "debian:bookworm" of service "db" is not on the engine and no registry answered',
    );
    expect(error.hint).toContain('make base-image');
    expect(error.hint).toContain('scripts/ensure-base-image.sh');
    expect(imageOfFromStep('FROM --platform=linux/amd64 nginx:1 AS web')).toBe('nginx:1');
  });
});
