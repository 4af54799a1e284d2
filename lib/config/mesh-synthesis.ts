import * as path from 'path';
import { App, YamlOutputType } from 'cdk8s';
import { ApplyPhasePlan } from '../output/apply-phase';
import { AtomicOutput, OUTPUT_MARKER_FILE } from '../output/atomic-output';
import { finalizeOutput } from '../output/finalize-output';
import { renderSynthSummary } from '../output/synth-summary';
import { assertValid } from '../validation/assert-valid';
import { MeshValidation } from '../validation/mesh-validation';
import { fileSha256, writeValidationRecord } from '../validation/validation-record';
import { MeshBuild, buildMesh } from './build-mesh';
import { MeshConfigError } from './config-problem';
import { inDocumentOrder } from './key-paths';
import { readMeshConfig } from './load-mesh-config';

/** Props of {@link MeshSynthesis.prepare}. */
export interface MeshSynthesisProps {
  /** The mesh config file, as messages name it (relative to the working directory, or absolute). */
  readonly configPath: string;
  /** The folder that receives the manifests. @default 'dist' */
  readonly outdir?: string;
  /**
   * Where the apps synthesize first: the cdk8s CLI's `output`, passed as CDK8S_OUTDIR. Given, it
   * means the app runs under `cdk8s synth`: the validation record for the CLI's plugin is left
   * there, and a failed synth removes the folder (see {@link MeshSynthesis.fail}).
   * @default - a temporary folder beside outdir
   */
  readonly stagingDir?: string;
}

/** How a synthesis ended. */
export interface SynthResult {
  /** 0 when the output was written, 1 when nothing was written. */
  readonly exitCode: number;
  /** The summary of what was written, or every problem found. */
  readonly report: string;
}

/**
 * A synthesis of a mesh config, in the steps of an app's `main.ts`:
 *
 * ```ts
 * const synthesis = MeshSynthesis.prepare({ configPath: 'mesh.yaml' });
 * try {
 *   synthesis.apps.forEach((app) => app.synth());
 *   result = synthesis.complete();
 * } catch (error) {
 *   result = synthesis.fail(error);
 * }
 * ```
 *
 * {@link prepare} reads the config and builds its charts into apps that write into a staging
 * folder; the app synthesizes them; {@link complete} checks every object (schemas and mesh
 * semantics), adds the Kustomization and reports, and only then replaces `outdir` in one step. On
 * any problem `outdir` stays exactly as it was, and the report lists every problem of the config
 * file at once, each with its key path, or every problem of the output, without a stack trace.
 */
export class MeshSynthesis {
  /** Reads and builds the config; never throws: problems are reported by {@link complete}. */
  public static prepare(props: MeshSynthesisProps): MeshSynthesis {
    let output: AtomicOutput | undefined;
    try {
      output = new AtomicOutput({ outdir: props.outdir || undefined, stagingDir: props.stagingDir || undefined, inputFiles: [props.configPath] });
      return new MeshSynthesis(props, output, buildFromConfig(props.configPath, output.stagingDir));
    } catch (error) {
      return new MeshSynthesis(props, output, undefined, error);
    }
  }

  /** The apps to synthesize, in order; none when the config has problems. */
  public readonly apps: readonly App[];

  private constructor(
    private readonly props: MeshSynthesisProps,
    private readonly output: AtomicOutput | undefined,
    private readonly mesh: MeshBuild | undefined,
    private readonly problem?: unknown,
  ) {
    this.apps = mesh ? [mesh.app, ...(mesh.istioctlApp ? [mesh.istioctlApp] : [])] : [];
    // complete() checks the output once, with the other files beside it: the apps' own check
    // at synth would do the same work again.
    this.apps.forEach((app) => MeshValidation.disable(app));
  }

  /** After the apps were synthesized: validates, finalizes and commits the output. */
  public complete(): SynthResult {
    if (!this.output || !this.mesh) {
      return this.fail(this.problem);
    }
    try {
      const { mesh, output } = this;
      const meshConfigSha256 = fileSha256(this.props.configPath);
      const finalized = finalizeOutput({
        stagingDir: this.output.stagingDir,
        notForApply: mesh.notForApply,
        extraFiles: mesh.extraFiles,
        validate: (manifests) => assertValid(manifests, { externalNamespaces: mesh.externalNamespaces }),
        phases: ApplyPhasePlan.of(mesh.app),
      });
      this.output.commit();
      if (this.props.stagingDir) {
        // After the commit, so that it stays in the CLI's folder and never reaches outdir.
        writeValidationRecord(output.stagingDir, {
          manifests: Object.fromEntries(finalized.manifestFiles.map(({ file }) => [file, fileSha256(path.join(output.stagingDir, file))])),
          objects: finalized.manifestFiles.reduce((total, { manifests }) => total + manifests.length, 0),
          externalNamespaces: mesh.externalNamespaces,
          externalHosts: [],
          meshConfig: { path: path.resolve(this.props.configPath), sha256: meshConfigSha256 },
        });
      }
      return { exitCode: 0, report: renderSynthSummary({ ...finalized, warnings: mesh.warnings, otherFiles: [...finalized.otherFiles, OUTPUT_MARKER_FILE], outdir: path.relative(process.cwd(), this.output.outdir) || '.' }) };
    } catch (error) {
      return this.fail(error);
    }
  }

  /**
   * Drops what was staged and reports `error`; `outdir` is untouched. Under `cdk8s synth` the
   * CLI's output folder goes too (see {@link AtomicOutput.discard}): the CLI answers an app's
   * non-zero exit code with a stack trace of its own, but a missing output folder with one line
   * and exit code 1, so main.ts reports the problems itself and exits 0.
   */
  public fail(error: unknown): SynthResult {
    this.output?.discard();
    return { exitCode: 1, report: `synth failed: ${error instanceof Error ? error.message : String(error)}` };
  }
}

function buildFromConfig(configPath: string, stagingDir: string): MeshBuild {
  const config = readMeshConfig(configPath);
  if (!config.spec) {
    throw new MeshConfigError(configPath, config.problems);
  }
  const app = new App({ outdir: stagingDir, yamlOutputType: YamlOutputType.FILE_PER_CHART });
  let mesh: MeshBuild;
  try {
    mesh = buildMesh(app, config.spec, { file: configPath, skipPaths: config.problems.map((problem) => problem.path) });
  } catch (error) {
    throw MeshConfigError.isMeshConfigError(error)
      ? new MeshConfigError(configPath, inDocumentOrder([...config.problems, ...error.problems], config.spec))
      : error;
  }
  if (config.problems.length > 0) {
    throw new MeshConfigError(configPath, config.problems);
  }
  return mesh;
}
