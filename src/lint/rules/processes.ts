import { posix } from 'node:path';
import { jsonForm, stageChain } from '../dockerfile.js';
import type { Facts, ServiceFacts } from '../input.js';
import { isShellScript } from '../input.js';
import {
  basename,
  finalCommand,
  isEndlessCondition,
  isExec,
  isShell,
  keepAliveCommand,
  parseShell,
  type ShellScript,
} from '../shell.js';
import type { Finding, Place } from '../types.js';
import { plural, staticRule, verdict, type StaticRule } from './rule.js';

/** Where a file of the build context lands in the image, from the COPY/ADD of the image's stages. */
function imagePaths(facts: Facts, service: ServiceFacts): Map<string, string> {
  const out = new Map<string, string>();
  const { dockerfile, stage, context } = service;
  if (!dockerfile || !stage || context === undefined) return out;
  const files = [...facts.input.files.keys()];
  for (const s of stageChain(dockerfile, stage).reverse()) {
    let workdir = '/';
    for (const i of s.instructions) {
      if (i.keyword === 'WORKDIR') workdir = posix.resolve(workdir, i.text.trim() || '/');
      if ((i.keyword !== 'COPY' && i.keyword !== 'ADD') || i.flags.from !== undefined) continue;
      const words = i.json ?? jsonForm(i.text) ?? i.text.trim().split(/\s+/);
      if (words.length < 2) continue;
      const sources = words.slice(0, -1);
      const rawDest = words[words.length - 1]!;
      const dest = posix.resolve(workdir, rawDest);
      const intoDir = rawDest.endsWith('/') || sources.length > 1;
      for (const source of sources) {
        const from: string = posix.normalize(posix.join(context, source)).replace(/\/$/, '');
        const single = facts.input.files.has(from);
        if (single) out.set(intoDir ? posix.join(dest, posix.basename(from)) : dest, from);
        else
          for (const f of files)
            if (f.startsWith(`${from}/`) || from === '.' || (from === context && f.startsWith(`${context}/`)))
              out.set(posix.join(dest, f.slice(from.length + 1)), f);
      }
    }
  }
  return out;
}

/** The script file the container runs as `path`, when it comes from the build context. */
function scriptAt(facts: Facts, service: ServiceFacts, path: string): string | undefined {
  const copied = imagePaths(facts, service);
  const exact = copied.get(posix.normalize(path));
  if (exact) return exact;
  // a relative or unusual path: a file of the context with that name, if there is only one
  const name = posix.basename(path);
  const candidates = [...facts.input.files.keys()].filter(
    (f) => service.context !== undefined && f.startsWith(`${service.context}/`) && posix.basename(f) === name,
  );
  return candidates.length === 1 ? candidates[0] : undefined;
}

interface StartScript {
  service: ServiceFacts;
  /** A file of the repository, or the text of `sh -c "..."`. */
  file?: string;
  inline?: string;
  script: ShellScript;
  place: Place;
}

/**
 * What each container runs: a script (file or `sh -c` text) or a program. A script that ends with
 * `exec "$@"` hands over to the rest of the command line (the CMD), which is followed in turn.
 */
function startScripts(facts: Facts): {
  scripts: StartScript[];
  programs: { service: ServiceFacts; argv: string[]; place: Place }[];
} {
  const scripts: StartScript[] = [];
  const programs: { service: ServiceFacts; argv: string[]; place: Place }[] = [];
  for (const service of facts.services) {
    const start = service.start;
    if (!start || start.shellForm) continue; // processes.exec-form
    let argv = start.argv;
    for (let hops = 0; hops < 4 && argv.length > 0; hops++) {
      const [first, second, third] = argv;
      const offset = start.argv.length - argv.length;
      const place = start.cmd && offset >= start.cmd.index ? start.cmd.place : start.place;
      if (isShell(first!) && second === '-c' && third !== undefined) {
        scripts.push({ service, inline: third, script: parseShell(third), place });
        break;
      }
      const byShell = isShell(first!) && second !== undefined && !second.startsWith('-');
      const path = byShell ? second! : first!;
      const file = scriptAt(facts, service, path);
      const text = file ? facts.text(file) : undefined;
      if (!file || text === undefined || !isShellScript(file, text)) {
        programs.push({ service, argv, place });
        break;
      }
      const script = parseShell(text);
      scripts.push({ service, file, script, place: { file, line: 1 } });
      const last = finalCommand(script);
      if (!isExec(last) || !/^\$\{?@\}?$/.test(last!.words[1] ?? '')) break;
      argv = argv.slice(byShell ? 2 : 1);
    }
  }
  return { scripts, programs };
}

export const processRules: StaticRule[] = [
  staticRule(
    'processes.exec-form',
    'error',
    'processes',
    'CMD and ENTRYPOINT are written in exec form',
    (facts) => {
      const findings: Finding[] = [];
      const seen = new Set<string>();
      for (const s of facts.services) {
        const shellForm = s.start?.shellForm;
        if (!shellForm) continue;
        const key = `${shellForm.place.file}:${shellForm.place.line}`;
        if (seen.has(key)) continue;
        seen.add(key);
        const text = s.start!.argv[2] ?? '';
        if (isExec(finalCommand(parseShell(text)))) continue;
        const words = parseShell(text).commands[0]?.words ?? [];
        findings.push({
          message: `${shellForm.keyword} is in shell form: PID 1 is /bin/sh -c, the daemon only its child (signals and docker stop miss it)`,
          fix: `write it as a JSON array: ${shellForm.keyword} ${JSON.stringify(words.length ? words : ['daemon', '--foreground'])}`,
          place: shellForm.place,
        });
      }
      return verdict(findings, 'every CMD and ENTRYPOINT is a JSON array');
    },
  ),

  staticRule(
    'processes.exec',
    'error',
    'processes',
    'entrypoint scripts end by exec-ing the daemon',
    (facts) => {
      const findings: Finding[] = [];
      const { scripts } = startScripts(facts);
      const seen = new Set<string>();
      for (const start of scripts) {
        const key = start.file ?? `${start.place.file}:${start.place.line}`;
        if (seen.has(key)) continue;
        seen.add(key);
        const last = finalCommand(start.script);
        if (isExec(last) && basename(last!.words[1]!) === 'mysqld_safe') {
          findings.push({
            message:
              'the script ends with exec mysqld_safe, itself a shell script: PID 1 is a shell, mariadbd its child',
            fix: 'exec mariadbd (or mysqld) directly',
            place: start.file ? { file: start.file, line: last!.line } : start.place,
          });
          continue;
        }
        if (isExec(last)) continue;
        const what = start.file ?? `the sh -c command of "${start.service.name}"`;
        findings.push({
          message: last
            ? `${what} ends with "${last.words.join(' ')}" without exec: the shell stays PID 1 and the daemon never gets docker's signals`
            : `${what} runs no command: the container stops at once`,
          fix: last
            ? `write "exec ${last.words.join(' ')}" (or end with exec "$@" and put the daemon in CMD)`
            : 'end it with exec <daemon in the foreground>',
          place: start.file && last ? { file: start.file, line: last.line } : start.place,
        });
      }
      return verdict(findings, `${plural(seen.size, 'entrypoint script')} end in exec`);
    },
  ),

  staticRule(
    'processes.keep-alive',
    'error',
    'processes',
    'no keep-alive hack (tail -f, sleep infinity, while true, bash)',
    (facts) => {
      const findings: Finding[] = [];
      const hack = 'a keep-alive hack: the container must live because its daemon runs in the foreground';
      const fix =
        'run the daemon itself in the foreground (nginx -g "daemon off;", php-fpm -F, mariadbd) with exec';
      const inspect = (script: ShellScript, placeOf: (line: number) => Place) => {
        for (const command of script.commands) {
          const words = command.words[0] === 'exec' ? command.words.slice(1) : command.words;
          const found = keepAliveCommand(words);
          if (found) findings.push({ message: `"${found}" is ${hack}`, fix, place: placeOf(command.line) });
        }
        for (const loop of script.loops)
          if (isEndlessCondition(loop) && !loop.canLeave)
            findings.push({
              message: `an endless loop (${loop.keyword} ${loop.condition.join(' ')}) is ${hack}`,
              fix,
              place: placeOf(loop.line),
            });
      };
      for (const { path, text } of facts.scripts) inspect(parseShell(text), (line) => ({ file: path, line }));
      const { scripts, programs } = startScripts(facts);
      for (const start of scripts) if (start.inline !== undefined) inspect(start.script, () => start.place);
      for (const program of programs) {
        const found = keepAliveCommand(program.argv);
        if (found) findings.push({ message: `"${found}" is ${hack}`, fix, place: program.place });
        else if (program.argv.length === 1 && isShell(program.argv[0]!))
          findings.push({
            message: `"${basename(program.argv[0]!)}" alone as the command is ${hack}`,
            fix,
            place: program.place,
          });
      }
      return verdict(
        findings,
        `${plural(facts.scripts.length, 'script')} and the start commands run their daemons`,
      );
    },
  ),

  staticRule(
    'processes.loop-style',
    'warning',
    'processes',
    'wait loops do not look like endless loops',
    (facts) => {
      const findings: Finding[] = [];
      for (const { path, text } of facts.scripts)
        for (const loop of parseShell(text).loops)
          if (isEndlessCondition(loop) && loop.canLeave)
            findings.push({
              message: `"${loop.keyword} ${loop.condition.join(' ')}" with a break reads as the forbidden infinite loop`,
              fix: 'say what you wait for: until <check>; do sleep 1; done',
              place: { file: path, line: loop.line },
            });
      return verdict(findings, 'no while-true wait loop');
    },
  ),
];
