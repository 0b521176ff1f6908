import { spawn } from 'node:child_process';
import { chmodSync, copyFileSync, cpSync, existsSync, mkdirSync, statSync } from 'node:fs';
import path from 'node:path';

/**
 * The project's Dockerfile run without Docker (this machine has no engine): each stage's filesystem is a directory,
 * `RUN` runs in it with the host's shell and Node, and the build context is the working tree filtered by
 * `.dockerignore`, as Docker would send it. Only the instructions and forms the Dockerfile uses are understood; any
 * other fails the run instead of being skipped, so a test built on this cannot pass by ignoring a new step.
 */

interface Instruction {
  keyword: string;
  args: string;
}

interface Stage {
  name: string | undefined;
  instructions: Instruction[];
}

/** What the last stage leaves to start: its command, its environment, the directory and the user it runs as. */
export interface BuiltImage {
  command: string[];
  env: Record<string, string>;
  cwd: string;
  user: ImageUser | undefined;
}

export function parseDockerfile(text: string): Stage[] {
  const logicalLines = text
    .replace(/\\\r?\n/g, ' ')
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'));
  const stages: Stage[] = [];
  for (const line of logicalLines) {
    const [keyword = '', ...rest] = line.split(/\s+/);
    const args = rest.join(' ');
    if (keyword.toUpperCase() === 'FROM') {
      const named = /^\S+\s+AS\s+(\S+)$/i.exec(args);
      stages.push({ name: named?.[1], instructions: [] });
      continue;
    }
    const stage = stages.at(-1);
    if (stage === undefined) throw new Error(`Dockerfile: "${line}" comes before any FROM`);
    stage.instructions.push({ keyword: keyword.toUpperCase(), args });
  }
  if (stages.length === 0) throw new Error('Dockerfile: no FROM');
  return stages;
}

/** `.dockerignore`'s patterns; negations (`!`) are refused rather than half-understood. */
export function parseDockerignore(text: string): string[] {
  const patterns = text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'));
  const negation = patterns.find((pattern) => pattern.startsWith('!'));
  if (negation !== undefined) throw new Error(`.dockerignore: negated pattern ${negation} is not understood here`);
  return patterns.map((pattern) => pattern.replace(/^\/+|\/+$/g, ''));
}

/** Copies the working tree into `destination` without what `.dockerignore` keeps out of Docker's build context. */
export function copyBuildContext(root: string, destination: string, ignored: readonly string[]): void {
  cpSync(root, destination, {
    recursive: true,
    verbatimSymlinks: true,
    filter: (source) => {
      const relative = path.relative(root, source);
      return relative === '' || !ignored.some((pattern) => path.matchesGlob(relative, pattern));
    },
  });
}

/** A numeric `USER uid[:gid]`: the host has none of the base image's user names. */
export interface ImageUser {
  uid: number;
  gid: number;
}

/**
 * Runs every stage in order under `imageRoot` (one directory per stage, with the host's Node binary copied in as the
 * base image's `/usr/local/bin/node`) and returns what the last one would start. `RUN` and the command run as the
 * stage's `USER`, root until one is given, as in Docker. `EXPOSE` and `VOLUME` concern the running container (which
 * port is published, what is mounted) and are passed over. `progress` receives each instruction as it starts.
 */
export async function runStages(
  stages: readonly Stage[],
  contextDir: string,
  imageRoot: string,
  progress: (line: string) => void,
): Promise<BuiltImage> {
  const roots = new Map<string, string>();
  let image: BuiltImage | undefined;
  for (const [index, stage] of stages.entries()) {
    const root = path.join(imageRoot, `stage-${index}`);
    installBaseNode(root);
    if (stage.name !== undefined) roots.set(stage.name, root);
    let workdir = '/';
    let user: ImageUser | undefined;
    const env: Record<string, string> = baseImageEnv(root);
    let command: string[] | undefined;
    const inStage = (imagePath: string) => path.join(root, path.posix.resolve(workdir, imagePath));
    for (const { keyword, args } of stage.instructions) {
      progress(`stage ${stage.name ?? index}: ${keyword} ${args}`);
      switch (keyword) {
        case 'WORKDIR':
          workdir = path.posix.resolve(workdir, args);
          mkdirSync(inStage('.'), { recursive: true });
          break;
        case 'ENV': {
          const assignment = /^([A-Za-z_][A-Za-z0-9_]*)=(\S*)$/.exec(args);
          if (assignment === null) throw new Error(`Dockerfile: ENV ${args} is not of the form NAME=value`);
          env[assignment[1] as string] = assignment[2] as string;
          break;
        }
        case 'COPY':
          copyInstruction(args, contextDir, roots, inStage);
          break;
        case 'RUN':
          await runShell(args, inStage('.'), env, user);
          break;
        case 'USER':
          user = parseUser(args);
          break;
        case 'CMD':
          command = parseExecForm(args);
          break;
        case 'EXPOSE':
        case 'VOLUME':
          break;
        default:
          throw new Error(`Dockerfile: ${keyword} is not understood here`);
      }
    }
    image = command === undefined ? undefined : { command, env, cwd: inStage('.'), user };
  }
  if (image === undefined) throw new Error('Dockerfile: the last stage has no CMD');
  return image;
}

function installBaseNode(root: string): void {
  const bin = path.join(root, 'usr', 'local', 'bin');
  mkdirSync(bin, { recursive: true });
  copyFileSync(process.execPath, path.join(bin, 'node'));
  chmodSync(path.join(bin, 'node'), 0o755);
}

function parseUser(args: string): ImageUser {
  const ids = /^(\d+)(?::(\d+))?$/.exec(args);
  if (ids === null) throw new Error(`Dockerfile: USER ${args}: only numeric uid[:gid] is understood here`);
  const uid = Number(ids[1]);
  return { uid, gid: ids[2] === undefined ? uid : Number(ids[2]) };
}

function copyInstruction(
  args: string,
  contextDir: string,
  roots: ReadonlyMap<string, string>,
  inStage: (imagePath: string) => string,
): void {
  const words = args.split(/\s+/);
  let from: string | undefined;
  if (words[0]?.startsWith('--from=')) from = words.shift()?.slice('--from='.length);
  if (words.some((word) => word.startsWith('--') || word.startsWith('['))) {
    throw new Error(`Dockerfile: COPY ${args}: only plain sources and --from=<stage> are understood here`);
  }
  const destination = words.pop();
  if (destination === undefined || words.length === 0) throw new Error(`Dockerfile: COPY ${args} has no source`);
  const sourceRoot = from === undefined ? contextDir : roots.get(from);
  if (sourceRoot === undefined) throw new Error(`Dockerfile: COPY --from=${from} names no earlier stage`);
  const target = inStage(destination);
  const intoDirectory = destination.endsWith('/') || words.length > 1;
  for (const source of words) {
    const sourcePath = path.join(sourceRoot, source);
    if (!existsSync(sourcePath)) throw new Error(`Dockerfile: COPY source ${source} is not in the build context`);
    const copyTo =
      statSync(sourcePath).isDirectory() || !intoDirectory ? target : path.join(target, path.basename(source));
    mkdirSync(path.dirname(copyTo), { recursive: true });
    cpSync(sourcePath, copyTo, { recursive: true, verbatimSymlinks: true });
  }
}

function parseExecForm(args: string): string[] {
  const parsed: unknown = JSON.parse(args);
  if (!Array.isArray(parsed) || !parsed.every((part) => typeof part === 'string') || parsed.length === 0) {
    throw new Error(`Dockerfile: CMD ${args} is not in exec form`);
  }
  return parsed;
}

/** How this host reaches the npm registry (a CA to trust, a proxy): a Docker build has its network set up likewise. */
const NETWORK_SETTINGS =
  /^(NODE_EXTRA_CA_CERTS|SSL_CERT_FILE|SSL_CERT_DIR|HTTPS?_PROXY|NO_PROXY|https?_proxy|no_proxy)$/;

/**
 * A base image's environment: its `/usr/local/bin` (the Node binary) first on PATH, then the host's (its npm),
 * npm's cache in the host's HOME and the host's network settings; nothing else of the test's environment (NODE_ENV,
 * npm_config_*) reaches a step.
 */
function baseImageEnv(root: string): Record<string, string> {
  const network = Object.entries(process.env).filter(
    (entry): entry is [string, string] => NETWORK_SETTINGS.test(entry[0]) && entry[1] !== undefined,
  );
  return {
    ...Object.fromEntries(network),
    PATH: `${path.join(root, 'usr', 'local', 'bin')}:${process.env.PATH ?? ''}`,
    HOME: process.env.HOME ?? '/root',
  };
}

function runShell(
  command: string,
  cwd: string,
  env: Record<string, string>,
  user: ImageUser | undefined,
): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn('sh', ['-c', command], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'], ...user });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('error', reject);
    child.once('close', (code) =>
      code === 0 ? resolve() : reject(new Error(`RUN ${command} exited with ${code}:\n${output.slice(-4000)}`)),
    );
  });
}
