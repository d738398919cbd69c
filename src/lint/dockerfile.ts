import { DockerfileParser, type Instruction } from 'dockerfile-ast';

/**
 * A Dockerfile as plain data: its instructions with line numbers, grouped into build stages, with
 * `FROM` images resolved against `ARG` defaults and the build args of the compose file. The parsing
 * (escape directive, continuation lines, heredocs, JSON forms) is dockerfile-ast's.
 */

export interface DockerInstruction {
  /** Upper case: `RUN`, `FROM`, ... */
  keyword: string;
  /** 1-based line of the keyword, and of the instruction's last line. */
  line: number;
  endLine: number;
  /** The arguments after the flags, continuation lines joined (a heredoc's body included). */
  text: string;
  /** `--from=build` → `{ from: 'build' }`. */
  flags: Record<string, string | null>;
  /** The exec form (`["nginx", "-g", "daemon off;"]`) when the arguments are a JSON array of strings. */
  json?: string[];
  /** `ENV` and `ARG` pairs (`ARG NAME` alone has a null value). */
  properties?: { name: string; value: string | null }[];
}

export interface DockerStage {
  /** `FROM ... AS name`, lower case, when named. */
  name?: string;
  /** The image as written (`debian:${VERSION}`) and with the ARGs substituted (`debian:bookworm`). */
  image: string;
  resolvedImage: string;
  /** The stage this one builds on, when `FROM` names an earlier stage. */
  fromStage?: number;
  line: number;
  instructions: DockerInstruction[];
}

export interface ParsedDockerfile {
  /** `ARG`s before the first `FROM`. */
  globalArgs: { name: string; value: string | null; line: number }[];
  stages: DockerStage[];
  /** Every instruction in order (stages' instructions, the FROMs and the global ARGs included). */
  instructions: DockerInstruction[];
}

const lineOf = (i: Instruction) => i.getRange().start.line + 1;

function plain(instruction: Instruction): DockerInstruction {
  const keyword = instruction.getKeyword().toUpperCase();
  const range = instruction.getRange();
  const out: DockerInstruction = {
    keyword,
    line: range.start.line + 1,
    endLine: range.end.line + 1,
    text: instruction.getArgumentsContent() ?? '',
    flags: {},
  };
  const withFlags = instruction as Instruction & {
    getFlags?: () => { getName(): string; getValue(): string | null }[];
  };
  for (const flag of withFlags.getFlags?.() ?? []) out.flags[flag.getName().toLowerCase()] = flag.getValue();
  const json = jsonForm(out.text);
  if (json) out.json = json;
  const withProperties = instruction as Instruction & {
    getProperties?: () => { getName(): string; getValue(): string | null }[];
  };
  if ((keyword === 'ENV' || keyword === 'ARG') && withProperties.getProperties)
    out.properties = withProperties.getProperties().map((p) => ({ name: p.getName(), value: p.getValue() }));
  return out;
}

/** Docker's exec form: the arguments parse as a JSON array of strings; anything else is shell form. */
export function jsonForm(text: string): string[] | undefined {
  const trimmed = text.trim();
  if (!trimmed.startsWith('[')) return undefined;
  try {
    const value: unknown = JSON.parse(trimmed);
    if (Array.isArray(value) && value.every((v) => typeof v === 'string')) return value as string[];
  } catch {
    return undefined;
  }
  return undefined;
}

export function parseDockerfile(
  text: string,
  buildArgs: Record<string, string | null> = {},
): ParsedDockerfile {
  const dockerfile = DockerfileParser.parse(text);
  const parsed: ParsedDockerfile = { globalArgs: [], stages: [], instructions: [] };
  const globals: Record<string, string> = {};
  for (const instruction of dockerfile.getInstructions()) {
    const item = plain(instruction);
    parsed.instructions.push(item);
    if (item.keyword === 'FROM') {
      const words = item.text.split(/\s+/).filter(Boolean);
      const image = words[0] ?? '';
      const name = words[1]?.toLowerCase() === 'as' ? words[2]?.toLowerCase() : undefined;
      const resolvedImage = substitute(image, (k) => globals[k]);
      const fromStage = parsed.stages.findIndex(
        (s) => s.name !== undefined && s.name === resolvedImage.toLowerCase(),
      );
      parsed.stages.push({
        ...(name ? { name } : {}),
        image,
        resolvedImage,
        ...(fromStage >= 0 ? { fromStage } : {}),
        line: lineOf(instruction),
        instructions: [item],
      });
      continue;
    }
    const stage = parsed.stages[parsed.stages.length - 1];
    if (stage) stage.instructions.push(item);
    else if (item.keyword === 'ARG')
      for (const p of item.properties ?? []) {
        parsed.globalArgs.push({ name: p.name, value: p.value, line: item.line });
        const given = Object.hasOwn(buildArgs, p.name) ? buildArgs[p.name] : undefined;
        const value = given ?? p.value;
        if (value !== null && value !== undefined) globals[p.name] = value;
      }
  }
  return parsed;
}

/** `$VAR`, `${VAR}`, `${VAR:-default}` and `${VAR:+alternate}` as Dockerfiles expand them. */
export function substitute(text: string, lookup: (name: string) => string | undefined): string {
  return text.replace(
    /\$(?:\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-+])([^}]*))?\}|([A-Za-z_][A-Za-z0-9_]*))/g,
    (
      _match,
      braced: string | undefined,
      op: string | undefined,
      word: string | undefined,
      bare: string | undefined,
    ) => {
      const value = lookup((braced ?? bare)!);
      if (op === ':-' || op === '-')
        return value === undefined || (op === ':-' && value === '') ? (word ?? '') : value;
      if (op === ':+' || op === '+')
        return value === undefined || (op === ':+' && value === '') ? '' : (word ?? '');
      return value ?? '';
    },
  );
}

/** The stage the image is made of: the last one (compose's `build.target` picks another). */
export function targetStage(parsed: ParsedDockerfile, target?: string): DockerStage | undefined {
  if (target) {
    const named = parsed.stages.find((s) => s.name === target.toLowerCase());
    if (named) return named;
  }
  return parsed.stages[parsed.stages.length - 1];
}

/** The stages that make up the target image: it and the stages it is built `FROM`, nearest first. */
export function stageChain(parsed: ParsedDockerfile, stage: DockerStage): DockerStage[] {
  const chain: DockerStage[] = [stage];
  let current = stage;
  while (current.fromStage !== undefined && chain.length <= parsed.stages.length) {
    current = parsed.stages[current.fromStage]!;
    chain.push(current);
  }
  return chain;
}

/** The last `keyword` instruction of the image's stage chain (CMD, ENTRYPOINT are inherited). */
export function lastInstruction(
  parsed: ParsedDockerfile,
  stage: DockerStage,
  keyword: string,
): DockerInstruction | undefined {
  for (const s of stageChain(parsed, stage)) {
    const found = s.instructions.filter((i) => i.keyword === keyword).pop();
    if (found) return found;
  }
  return undefined;
}
