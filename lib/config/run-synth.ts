import * as path from 'path';
import { App, YamlOutputType } from 'cdk8s';
import { AtomicOutput } from '../output/atomic-output';
import { finalizeOutput } from '../output/finalize-output';
import { renderSynthSummary } from '../output/synth-summary';
import { assertValid } from '../validation/assert-valid';
import { buildMesh } from './build-mesh';
import { MeshConfigError } from './config-problem';
import { inDocumentOrder } from './key-paths';
import { readMeshConfig } from './load-mesh-config';

/** Props of {@link runSynth}. */
export interface RunSynthProps {
  /** The mesh config file, as messages name it (relative to the working directory, or absolute). */
  readonly configPath: string;
  /** The folder that receives the manifests. @default 'dist' */
  readonly outdir?: string;
  /**
   * Where the app synthesizes first (the cdk8s CLI's `output`, passed as CDK8S_OUTDIR).
   * @default - a temporary folder beside outdir
   */
  readonly stagingDir?: string;
}

/** What {@link runSynth} did. */
export interface SynthResult {
  /** 0 when the output was written, 1 when nothing was written. */
  readonly exitCode: number;
  /** The summary of what was written, or every problem found. */
  readonly report: string;
}

/**
 * The app: reads the mesh config, builds its charts, synthesizes them into a staging folder,
 * checks every object (schemas and mesh semantics), adds the Kustomization and reports, and only
 * then replaces `outdir` in one step. On any problem `outdir` stays exactly as it was.
 *
 * User mistakes are reported without a stack trace: every problem of the config file at once,
 * each with its key path, or every problem of the output.
 */
export function runSynth(props: RunSynthProps): SynthResult {
  let output: AtomicOutput | undefined;
  try {
    output = new AtomicOutput({ outdir: props.outdir || undefined, stagingDir: props.stagingDir || undefined });
    const config = readMeshConfig(props.configPath);
    if (!config.spec) {
      throw new MeshConfigError(props.configPath, config.problems);
    }
    const app = new App({ outdir: output.stagingDir, yamlOutputType: YamlOutputType.FILE_PER_CHART });
    let mesh;
    try {
      mesh = buildMesh(app, config.spec, { file: props.configPath, skipPaths: config.problems.map((problem) => problem.path) });
    } catch (error) {
      throw MeshConfigError.isMeshConfigError(error)
        ? new MeshConfigError(props.configPath, inDocumentOrder([...config.problems, ...error.problems], config.spec))
        : error;
    }
    if (config.problems.length > 0) {
      throw new MeshConfigError(props.configPath, config.problems);
    }

    app.synth();
    mesh.istioctlApp?.synth();
    const finalized = finalizeOutput({
      stagingDir: output.stagingDir,
      notForApply: mesh.notForApply,
      extraFiles: mesh.extraFiles,
      validate: (manifests) => assertValid(manifests, { externalNamespaces: mesh.externalNamespaces }),
    });
    output.commit();
    return { exitCode: 0, report: renderSynthSummary({ ...finalized, outdir: path.relative(process.cwd(), output.outdir) || '.' }) };
  } catch (error) {
    output?.discard();
    return { exitCode: 1, report: `synth failed: ${error instanceof Error ? error.message : String(error)}` };
  }
}
