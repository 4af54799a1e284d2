import { createHash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { OutputLock } from './output-lock';

/**
 * What cdk8s writes for validation plugins when the CLI asks for construct metadata: it serves
 * `cdk8s synth --validate` in the staging folder, and is no part of the output.
 */
const CONSTRUCT_METADATA_FILE = 'construct-metadata.json';

/**
 * The ownership marker written into every output folder: the files the synth wrote, each with its
 * SHA-256 (the format of `sha256sum`, so `sha256sum -c` checks a copy). A synth replaces a folder
 * only while it holds exactly the files its marker lists. The name has no `.yaml`/`.json` ending,
 * so `kubectl apply -f dist/`, Argo CD and Flux leave it alone.
 */
export const OUTPUT_MARKER_FILE = '.cdk8s-istio-mesh-output';

const MARKER_HEADER = '# Written by cdk8s-istio-mesh: the files of this folder. A synth replaces the folder only while it holds exactly these.';

/**
 * Files of an output folder written before the ownership marker existed (version 0.1.0): such a
 * folder is taken as the synth's own when every file in it has one of these names.
 */
const UNMARKED_OUTPUT_FILES = [/^\d{4}-[^/]+\.k8s\.yaml$/, /^Kustomization$/, /^MESH\.md$/, /^istioctl\/[^/]+\.k8s\.yaml$/, /^reports\/[^/]+\.(?:md|json)$/];

/** How many foreign files an error names before it says "and N more". */
const NAMED_FILES = 4;

/** Props of an {@link AtomicOutput}. */
export interface AtomicOutputProps {
  /**
   * The folder that receives the result. It may be missing, empty, a folder an earlier synth
   * wrote, or a symbolic link to one of these (the link is kept and its target replaced).
   * @default 'dist'
   */
  readonly outdir?: string;
  /**
   * Where the app synthesizes first. When given (the cdk8s CLI passes its own `output` folder as
   * CDK8S_OUTDIR, emptied), it must be missing or empty; it is copied on commit and removed on
   * discard. Otherwise a fresh folder beside `outdir` is used and moved.
   * @default - a new folder beside outdir
   */
  readonly stagingDir?: string;
  /**
   * Files the synth reads, such as the mesh config: an output folder that holds one of them is
   * refused, so that replacing it can never delete them.
   * @default - none
   */
  readonly inputFiles?: readonly string[];
  /**
   * How long to wait for another synth that is writing the same folder before giving up.
   * @default 60
   */
  readonly lockTimeoutSeconds?: number;
}

/**
 * Synthesis output that replaces its folder in one step, or not at all, and only a folder it
 * wrote itself.
 *
 * `cdk8s synth` empties its output folder before the app runs, so a failing app would leave
 * nothing behind. The app synthesizes into {@link stagingDir} instead; {@link commit} swaps the
 * finished folder in with renames, so the old folder stays whole until the new one is complete,
 * and a new synth leaves no stale files. {@link discard} drops the staging folder.
 *
 * Before anything is written, the output folder is checked: a regular file, a folder that holds
 * an input file, a git repository or any file that the synth did not write (by its
 * {@link OUTPUT_MARKER_FILE}) is refused. One synth at a time writes a folder (a lock file beside
 * it), and each start first repairs what a killed synth left: if one died between its two
 * renames, its complete new output is moved into place; any other leftover is removed. So after a
 * kill at any point, the next synth starts from exactly the old or the new output.
 */
export class AtomicOutput {
  /** Reads the staging folder from CDK8S_OUTDIR (set by the cdk8s CLI) and the target from MESH_OUTDIR. */
  public static fromEnvironment(env: Readonly<Record<string, string | undefined>> = process.env): AtomicOutput {
    return new AtomicOutput({ outdir: env.MESH_OUTDIR || undefined, stagingDir: env.CDK8S_OUTDIR || undefined });
  }

  /** The folder that receives the result, as given (a symbolic link stays one). */
  public readonly outdir: string;
  public readonly stagingDir: string;
  /** The folder that is replaced: {@link outdir}, or the target of the link it is. */
  private readonly target: string;
  private readonly ownsStaging: boolean;
  private readonly lock: OutputLock;

  constructor(props: AtomicOutputProps = {}) {
    this.outdir = path.resolve(props.outdir ?? 'dist');
    this.target = linkTarget(this.outdir);
    const cliStaging = props.stagingDir ? path.resolve(props.stagingDir) : undefined;
    if (cliStaging && (isWithin(this.target, cliStaging) || isWithin(this.outdir, cliStaging))) {
      throw new Error(`the staging folder ${cliStaging} must be a folder of its own, outside the output folder ${this.outdir}: `
        + 'the cdk8s CLI empties its output folder before the app runs, so set cdk8s.yaml \'output\' (or --output) to a scratch folder such as .cdk8s-staging');
    }
    if (cliStaging && isWithin(cliStaging, this.target)) {
      throw new Error(`the staging folder ${cliStaging} must not be inside the output folder ${this.outdir}: set cdk8s.yaml 'output' to a folder beside it, such as .cdk8s-staging`);
    }
    refuseInputFolder('output folder', this.outdir, this.target, props.inputFiles ?? []);
    if (cliStaging) {
      // The cdk8s CLI empties its output folder before the app runs; a folder given otherwise must
      // be as empty, since a failed synth removes it.
      refuseInputFolder('staging folder', cliStaging, linkTarget(cliStaging), props.inputFiles ?? []);
      if (fs.existsSync(path.join(cliStaging, '.git'))) {
        throw new Error(`staging folder ${cliStaging} holds a git repository (.git): set cdk8s.yaml 'output' (CDK8S_OUTDIR) to a scratch folder such as .cdk8s-staging`);
      }
      const held = fs.existsSync(cliStaging) ? fs.readdirSync(cliStaging) : [];
      if (held.length > 0) {
        throw new Error(`staging folder ${cliStaging} holds files already (${held.slice(0, NAMED_FILES).join(', ')}${held.length > NAMED_FILES ? ' and more' : ''}): `
          + "the cdk8s CLI empties it before the app runs; set cdk8s.yaml 'output' (CDK8S_OUTDIR) to a scratch folder such as .cdk8s-staging, or leave CDK8S_OUTDIR unset");
      }
    }
    refuseNonFolder(this.outdir, this.target);
    const parent = path.dirname(this.target);
    fs.mkdirSync(parent, { recursive: true });
    this.lock = OutputLock.acquire(path.join(parent, `.${path.basename(this.target)}.lock`), (props.lockTimeoutSeconds ?? 60) * 1000);
    try {
      recoverInterruptedSwap(this.target);
      refuseForeignFolder(this.outdir, this.target);
      this.ownsStaging = !cliStaging;
      this.stagingDir = cliStaging ?? this.newStagingFolder();
    } catch (error) {
      this.lock.release();
      throw error;
    }
  }

  /** Replaces the output folder with the staged files. */
  public commit(): void {
    try {
      const incoming = this.ownsStaging ? this.stagingDir : this.newStagingFolder();
      if (this.ownsStaging) {
        fs.rmSync(path.join(incoming, CONSTRUCT_METADATA_FILE), { force: true });
      } else {
        fs.cpSync(this.stagingDir, incoming, {
          recursive: true,
          filter: (source) => path.relative(this.stagingDir, source) !== CONSTRUCT_METADATA_FILE,
        });
      }
      writeMarker(incoming);
      // mkdtemp creates private folders; the output is meant to be read by other tools and users.
      fs.chmodSync(incoming, 0o755);
      // From here on, every state on disk is one that the next start repairs to the old or the new output.
      const { ready, previous } = swapFolders(this.target);
      fs.renameSync(incoming, ready);
      const hadPrevious = fs.existsSync(this.target);
      if (hadPrevious) {
        fs.renameSync(this.target, previous);
      }
      try {
        fs.renameSync(ready, this.target);
      } catch (error) {
        if (hadPrevious) {
          fs.renameSync(previous, this.target);
        }
        fs.rmSync(ready, { recursive: true, force: true });
        throw error;
      }
      fs.rmSync(previous, { recursive: true, force: true });
    } finally {
      this.lock.release();
    }
  }

  /**
   * Drops what was staged, the cdk8s CLI's staging folder included (it was empty when the synth
   * began, so it holds only what the synth wrote); the output folder is untouched.
   */
  public discard(): void {
    fs.rmSync(this.stagingDir, { recursive: true, force: true });
    this.lock.release();
  }

  private newStagingFolder(): string {
    return fs.mkdtempSync(path.join(path.dirname(this.target), `.${path.basename(this.target)}.staging-`));
  }
}

/** The folders of a swap, beside the target: the complete new output, and the old one moved away. */
function swapFolders(target: string): { ready: string; previous: string } {
  const prefix = path.join(path.dirname(target), `.${path.basename(target)}`);
  return { ready: `${prefix}.incoming`, previous: `${prefix}.previous` };
}

/**
 * Repairs what a synth killed while writing `target` left behind; runs under the lock. The swap
 * renames the complete new output to `.incoming`, the old one to `.previous`, then `.incoming` to
 * the target, then removes `.previous`: a missing target with `.incoming` present was killed
 * between the renames, and is finished. Staging folders and the other leftovers are removed, with
 * the names earlier versions used.
 */
function recoverInterruptedSwap(target: string): void {
  const { ready, previous } = swapFolders(target);
  if (!fs.existsSync(target)) {
    if (fs.existsSync(ready)) {
      fs.renameSync(ready, target);
    } else if (fs.existsSync(previous)) {
      fs.renameSync(previous, target);
    }
  }
  const base = path.basename(target);
  const leftovers = [`.${base}.incoming`, `.${base}.previous`];
  const leftoverPrefixes = [`.${base}.staging-`, `.${base}.incoming-`, `.${base}.previous-`];
  const parent = path.dirname(target);
  for (const entry of fs.readdirSync(parent)) {
    if (leftovers.includes(entry) || leftoverPrefixes.some((prefix) => entry.startsWith(prefix))) {
      fs.rmSync(path.join(parent, entry), { recursive: true, force: true });
    }
  }
}

/** Writes the marker listing every file below `dir` with its SHA-256. */
function writeMarker(dir: string): void {
  const lines = filesBelow(dir).map((file) => `${createHash('sha256').update(fs.readFileSync(path.join(dir, file))).digest('hex')}  ${file}`);
  fs.writeFileSync(path.join(dir, OUTPUT_MARKER_FILE), [MARKER_HEADER, ...lines, ''].join('\n'));
}

/** The files a marker lists, or undefined when there is none. */
function readMarker(dir: string): Set<string> | undefined {
  let text: string;
  try {
    text = fs.readFileSync(path.join(dir, OUTPUT_MARKER_FILE), 'utf8');
  } catch {
    return undefined;
  }
  return new Set(text.split('\n').filter((line) => line !== '' && !line.startsWith('#')).map((line) => line.slice(line.indexOf('  ') + 2)));
}

/**
 * Refuses a folder that holds anything the synth did not write: files its marker does not list
 * (or, without a marker, files not named like an earlier synth's), folders of its own such as
 * `.git`, and links.
 */
function refuseForeignFolder(outdir: string, target: string): void {
  if (!fs.existsSync(target)) {
    return;
  }
  if (fs.existsSync(path.join(target, '.git'))) {
    throw new Error(`output folder ${outdir} holds a git repository (.git): a synth replaces its output folder whole, so point MESH_OUTDIR at a folder of its own, such as dist`);
  }
  const written = readMarker(target);
  const isOurs = (file: string) => written ? written.has(file) : UNMARKED_OUTPUT_FILES.some((pattern) => pattern.test(file));
  // Stops early: a folder such as the home folder is refused without reading all of it.
  const foreign: string[] = [];
  for (const file of walkFiles(target, '')) {
    if (file !== OUTPUT_MARKER_FILE && !isOurs(file)) {
      foreign.push(file);
      if (foreign.length > NAMED_FILES) {
        break;
      }
    }
  }
  if (foreign.length > 0) {
    const named = foreign.slice(0, NAMED_FILES).join(', ') + (foreign.length > NAMED_FILES ? ' and more' : '');
    throw new Error(`output folder ${outdir} holds files this synth did not write (${named}): a synth replaces its output folder whole, `
      + 'so point MESH_OUTDIR at a new or empty folder, or move those files out of it');
  }
}

/** Refuses a folder that is, or holds, one of the input files. */
function refuseInputFolder(role: string, dir: string, target: string, inputFiles: readonly string[]): void {
  for (const file of inputFiles.map((input) => path.resolve(input))) {
    if (isWithin(file, dir) || isWithin(file, target) || isWithin(realPathOf(file), target)) {
      const fix = role === 'output folder' ? 'point MESH_OUTDIR at a folder of its own, such as dist' : "set cdk8s.yaml 'output' (CDK8S_OUTDIR) to a scratch folder such as .cdk8s-staging";
      throw new Error(`${role} ${dir} holds the input file ${file}: a synth replaces its ${role} whole, so ${fix}`);
    }
  }
}

function refuseNonFolder(outdir: string, target: string): void {
  const stat = fs.statSync(target, { throwIfNoEntry: false });
  if (stat && !stat.isDirectory()) {
    throw new Error(`output folder ${outdir} is ${target === outdir ? '' : `a link to ${target}, `}an existing file, not a folder: point MESH_OUTDIR at a folder, such as dist`);
  }
}

/** The folder a path stands for: itself, or the target of the symbolic link(s) it is (which may not exist yet). */
function linkTarget(file: string): string {
  let current = file;
  for (let hops = 0; hops < 32; hops++) {
    const stat = fs.lstatSync(current, { throwIfNoEntry: false });
    if (!stat?.isSymbolicLink()) {
      return path.join(realPathOf(path.dirname(current)), path.basename(current));
    }
    current = path.resolve(path.dirname(current), fs.readlinkSync(current));
  }
  throw new Error(`output folder ${file} is a loop of symbolic links: point MESH_OUTDIR at a folder`);
}

/** The real path of `file`, resolving the part of it that exists. */
function realPathOf(file: string): string {
  try {
    return fs.realpathSync(file);
  } catch {
    const parent = path.dirname(file);
    return parent === file ? file : path.join(realPathOf(parent), path.basename(file));
  }
}

/** Whether `file` is `dir` or below it. */
function isWithin(file: string, dir: string): boolean {
  const relative = path.relative(dir, file);
  return relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative));
}

/** Files below `dir`, relative and sorted. */
function filesBelow(dir: string): string[] {
  return [...walkFiles(dir, '')].sort();
}

/** Every entry below `dir` that is not a folder (files, links, others), relative; links are not followed. */
function* walkFiles(dir: string, relative: string): Generator<string> {
  for (const entry of fs.readdirSync(path.join(dir, relative), { withFileTypes: true })) {
    const file = relative ? `${relative}/${entry.name}` : entry.name;
    if (entry.isDirectory()) {
      yield* walkFiles(dir, file);
    } else {
      yield file;
    }
  }
}
