import * as fs from 'fs';
import * as path from 'path';

/**
 * What cdk8s writes for validation plugins when the CLI asks for construct metadata: it serves
 * `cdk8s synth --validate` in the staging folder, and is no part of the output.
 */
const CONSTRUCT_METADATA_FILE = 'construct-metadata.json';

/** Props of an {@link AtomicOutput}. */
export interface AtomicOutputProps {
  /** The folder that receives the result. @default 'dist' */
  readonly outdir?: string;
  /**
   * Where the app synthesizes first. When given (the cdk8s CLI passes its own `output` folder as
   * CDK8S_OUTDIR), it is left in place and copied; otherwise a fresh folder beside `outdir` is
   * used and moved.
   * @default - a new temporary folder beside outdir
   */
  readonly stagingDir?: string;
}

/**
 * Synthesis output that replaces its folder in one step, or not at all.
 *
 * `cdk8s synth` empties its output folder before the app runs, so a failing app would leave
 * nothing behind. The app synthesizes into {@link stagingDir} instead; {@link commit} swaps the
 * finished folder in with renames, so the old folder stays whole until the new one is complete,
 * and a new synth leaves no stale files. {@link discard} drops the staging folder.
 */
export class AtomicOutput {
  /** Reads the staging folder from CDK8S_OUTDIR (set by the cdk8s CLI) and the target from MESH_OUTDIR. */
  public static fromEnvironment(env: Readonly<Record<string, string | undefined>> = process.env): AtomicOutput {
    return new AtomicOutput({ outdir: env.MESH_OUTDIR || undefined, stagingDir: env.CDK8S_OUTDIR || undefined });
  }

  public readonly outdir: string;
  public readonly stagingDir: string;
  private readonly ownsStaging: boolean;

  constructor(props: AtomicOutputProps = {}) {
    this.outdir = path.resolve(props.outdir ?? 'dist');
    if (props.stagingDir && path.resolve(props.stagingDir) === this.outdir) {
      throw new Error(`the staging folder must differ from the output folder ${this.outdir}: set cdk8s.yaml 'output' to a folder of its own`);
    }
    // An empty CDK8S_OUTDIR means "not run by the cdk8s CLI", like an unset one.
    this.ownsStaging = !props.stagingDir;
    fs.mkdirSync(path.dirname(this.outdir), { recursive: true });
    this.stagingDir = props.stagingDir
      ? path.resolve(props.stagingDir)
      : fs.mkdtempSync(path.join(path.dirname(this.outdir), `.${path.basename(this.outdir)}.staging-`));
  }

  /** Replaces outdir with the staged files. */
  public commit(): void {
    const parent = path.dirname(this.outdir);
    const incoming = this.ownsStaging ? this.stagingDir : fs.mkdtempSync(path.join(parent, `.${path.basename(this.outdir)}.incoming-`));
    if (this.ownsStaging) {
      fs.rmSync(path.join(incoming, CONSTRUCT_METADATA_FILE), { force: true });
    } else {
      fs.cpSync(this.stagingDir, incoming, {
        recursive: true,
        filter: (source) => path.relative(this.stagingDir, source) !== CONSTRUCT_METADATA_FILE,
      });
    }
    // mkdtemp creates private folders; the output is meant to be read by other tools and users.
    fs.chmodSync(incoming, 0o755);
    const previous = path.join(parent, `.${path.basename(this.outdir)}.previous-${process.pid}`);
    const hadPrevious = fs.existsSync(this.outdir);
    if (hadPrevious) {
      fs.renameSync(this.outdir, previous);
    }
    try {
      fs.renameSync(incoming, this.outdir);
    } catch (error) {
      if (hadPrevious) {
        fs.renameSync(previous, this.outdir);
      }
      throw error;
    }
    fs.rmSync(previous, { recursive: true, force: true });
  }

  /** Drops what was staged; outdir is untouched. */
  public discard(): void {
    if (this.ownsStaging) {
      fs.rmSync(this.stagingDir, { recursive: true, force: true });
    }
  }
}
