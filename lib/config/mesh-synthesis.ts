import * as path from 'path';
import { App, Chart, YamlOutputType } from 'cdk8s';
import { ImageMirror } from '../core/image-mirror';
import { ApplyPhasePlan } from '../output/apply-phase';
import { addArgoCdSyncWaves } from '../output/argocd-sync-waves';
import { AtomicOutput, OUTPUT_MARKER_FILE } from '../output/atomic-output';
import { finalizeOutput } from '../output/finalize-output';
import { imageListFile } from '../output/image-list';
import { inputFilesOf } from '../output/input-files';
import { renderSynthSummary } from '../output/synth-summary';
import { AccessMatrix } from '../authorization/access-matrix';
import { ScopeReport, renderedServices } from '../scoping/scope-report';
import { SidecarScoping } from '../scoping/sidecar-scoping';
import { MeshValidationError, MeshValidationOptions, assertValid, formatFinding } from '../validation/assert-valid';
import { MeshFinding } from '../validation/mesh-analysis';
import { MeshValidation } from '../validation/mesh-validation';
import { MeshWarnings, formatMeshWarning } from '../validation/mesh-warnings';
import { crdFilesOfCdk8sYaml } from '../validation/user-crds';
import { fileSha256, writeValidationRecord } from '../validation/validation-record';
import { MeshBuild, buildMesh } from './build-mesh';
import { MeshConfigError } from './config-problem';
import { inDocumentOrder } from './key-paths';
import { ParsedMeshConfig, readMeshConfig } from './load-mesh-config';
import { MeshSpec } from './mesh-spec';
import { inMeshYamlWords } from './mesh-yaml-wording';

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

/** Props of {@link MeshSynthesis.ofApp}. */
export interface AppSynthesisProps {
  /** The folder that receives the manifests. @default - MESH_OUTDIR, else 'dist' */
  readonly outdir?: string;
  /**
   * Where the app synthesizes first (see {@link MeshSynthesisProps.stagingDir}).
   * @default - CDK8S_OUTDIR when the cdk8s CLI runs the app, else a temporary folder beside outdir
   */
  readonly stagingDir?: string;
  /**
   * Annotates every object with the Argo CD sync wave of its apply phase.
   * @default true
   */
  readonly argoCdSyncWaves?: boolean;
}

/** How a synthesis ended. */
export interface SynthResult {
  /** 0 when the output was written, 1 when nothing was written. */
  readonly exitCode: number;
  /** The summary of what was written, or every problem found. */
  readonly report: string;
}

/** What a synthesis writes besides what the apps render, and how it checks them. */
interface SynthesisPlan {
  /** The apps to synthesize, the first the one whose charts are applied. */
  readonly apps: readonly App[];
  /** Folders of the output that are not for `kubectl apply`. */
  readonly notForApply: readonly string[];
  /** Reports beside the manifests, by path; read after the apps were synthesized. */
  readonly extraFiles: () => Readonly<Record<string, string>>;
  readonly warnings: () => readonly string[];
  /** What the output is checked with; none: not checked (the app opted out). */
  readonly validation?: Required<Pick<MeshValidationOptions, 'externalNamespaces' | 'externalHosts'>> & MeshValidationOptions;
  /** The mesh config the apps were built from; its findings are then reported in mesh.yaml words. */
  readonly configPath?: string;
}

/**
 * The output pipeline of a mesh, for the apps of a mesh config ({@link prepare}, what `main.ts`
 * and `npm run synth` run) and for an app a consumer composed in TypeScript ({@link ofApp}):
 *
 * ```ts
 * const app = new App();
 * // ... the charts ...
 * MeshSynthesis.ofApp(app).run();   // instead of app.synth()
 * ```
 *
 * The apps synthesize into a staging folder; {@link complete} checks every object (schemas and
 * mesh semantics), splits the manifests into apply-phase files, adds the Kustomization, `MESH.md`
 * and the reports, and only then replaces `outdir` in one step. On any problem `outdir` stays
 * exactly as it was, and the report lists every problem of the config file at once, each with its
 * key path, or every problem of the output, without a stack trace. Under `cdk8s synth` (the CLI
 * passes its `output` folder as CDK8S_OUTDIR) the same happens, with the CLI's folder as the
 * staging folder.
 */
export class MeshSynthesis {
  /** Reads and builds the config; never throws: problems are reported by {@link complete}. */
  public static prepare(props: MeshSynthesisProps): MeshSynthesis {
    let output: AtomicOutput | undefined;
    try {
      // Read first, touching nothing: the files the config names are inputs the output folder
      // must not hold, like the config itself.
      const config = readMeshConfig(props.configPath);
      output = new AtomicOutput({
        outdir: props.outdir || undefined,
        stagingDir: props.stagingDir || undefined,
        inputFiles: [props.configPath, ...configInputFiles(props.configPath, config.spec)],
      });
      const mesh = buildFromConfig(props.configPath, config, output.stagingDir);
      // complete() checks the output once, with the other files beside it: the apps' own check
      // at synth would do the same work again.
      const apps = [mesh.app, ...(mesh.istioctlApp ? [mesh.istioctlApp] : [])];
      apps.forEach((app) => MeshValidation.disable(app));
      return new MeshSynthesis(output, {
        apps,
        notForApply: mesh.notForApply,
        extraFiles: () => mesh.extraFiles,
        warnings: () => mesh.warnings,
        validation: { externalNamespaces: [...mesh.externalNamespaces], externalHosts: [], declaredWorkloads: mesh.scoping?.declaredWorkloads ?? [], ...mesh.validation },
        configPath: props.configPath,
      }, Boolean(props.stagingDir));
    } catch (error) {
      return new MeshSynthesis(output, undefined, Boolean(props.stagingDir), error);
    }
  }

  /**
   * The pipeline for `app`, composed in TypeScript: call it once every chart is added, instead
   * of `app.synth()`. The app's {@link MeshValidation} (its external namespaces and hosts, or its
   * opt-out) decides how the output is checked; the report of each {@link SidecarScoping} goes
   * to `reports/`. The app must write a file per chart (`YamlOutputType.FILE_PER_CHART` and the
   * `.k8s.yaml` extension, cdk8s's defaults). Never throws: problems are reported by
   * {@link complete}.
   */
  public static ofApp(app: App, props: AppSynthesisProps = {}): MeshSynthesis {
    const stagingDir = props.stagingDir ?? (process.env.CDK8S_OUTDIR || undefined);
    let output: AtomicOutput | undefined;
    try {
      if (app.yamlOutputType !== YamlOutputType.FILE_PER_CHART || app.outputFileExtension !== '.k8s.yaml') {
        throw new Error('MeshSynthesis.ofApp needs an app that writes a file per chart: new App() with the defaults yamlOutputType: '
          + `YamlOutputType.FILE_PER_CHART and outputFileExtension: '.k8s.yaml' (got ${YamlOutputType[app.yamlOutputType]} and '${app.outputFileExtension}')`);
      }
      const validation = MeshValidation.of(app);
      const validationOptions = validation.isEnabled ? validation.validationOptions() : undefined;
      output = new AtomicOutput({
        outdir: props.outdir ?? (process.env.MESH_OUTDIR || undefined),
        stagingDir,
        // What the parts and the checks read: the user's dashboard JSON files and CRD files.
        inputFiles: [...inputFilesOf(app), ...validationOptions?.crds ?? []],
      });
      // cdk8s writes into `outdir`, read when the app synthesizes: the staging folder, whatever
      // the app was given (under the CLI it is the same folder already).
      (app as { outdir: string }).outdir = output.stagingDir;
      // Checked once, by complete(), as the files were written.
      MeshValidation.disable(app);
      if (props.argoCdSyncWaves ?? true) {
        addArgoCdSyncWaves(app.charts);
      }
      const scopings = app.node.findAll().filter((node): node is SidecarScoping => node instanceof SidecarScoping);
      return new MeshSynthesis(output, {
        apps: [app],
        notForApply: [],
        extraFiles: () => ({ ...scopeReportFiles(app, scopings), ...imageListFile(ImageMirror.of(app)) }),
        // In the words of the TypeScript API, as the parts added them.
        warnings: () => MeshWarnings.of(app).all.map(formatMeshWarning),
        validation: validationOptions && { ...validationOptions, externalNamespaces: [...validationOptions.externalNamespaces ?? []], externalHosts: [...validationOptions.externalHosts ?? []] },
      }, Boolean(stagingDir));
    } catch (error) {
      return new MeshSynthesis(output, undefined, Boolean(stagingDir), error);
    }
  }

  /** The apps to synthesize, in order; none when the config has problems. */
  public readonly apps: readonly App[];

  private constructor(
    private readonly output: AtomicOutput | undefined,
    private readonly plan: SynthesisPlan | undefined,
    /** Whether the cdk8s CLI runs the app: its output folder is the staging folder. */
    private readonly underCdk8sCli: boolean,
    private readonly problem?: unknown,
  ) {
    this.apps = plan?.apps ?? [];
  }

  /**
   * Synthesizes the apps and completes the output, or reports what stopped it; never throws.
   */
  public synthesize(): SynthResult {
    try {
      this.apps.forEach((app) => app.synth());
      return this.complete();
    } catch (error) {
      return this.fail(error);
    }
  }

  /**
   * {@link synthesize}, then prints the result and sets the exit code, as `main.ts` does: the
   * summary on stdout, problems on stderr and exit code 1. Under `cdk8s synth`, which keeps the
   * app's stdout to itself and answers an exit code other than 0 with a stack trace, everything
   * goes to stderr, and a failed synth exits 0 once it removed the CLI's output folder: the CLI
   * then says in one line that the app created no output, and exits 1.
   */
  public run(): SynthResult {
    const result = this.synthesize();
    if (result.exitCode === 0 && !this.underCdk8sCli) {
      console.log(result.report);
    } else {
      console.error(result.report);
    }
    const stagingRemoved = this.output !== undefined;
    process.exitCode = result.exitCode !== 0 && this.underCdk8sCli && stagingRemoved ? 0 : result.exitCode;
    return result;
  }

  /** After the apps were synthesized: validates, finalizes and commits the output. */
  public complete(): SynthResult {
    if (!this.output || !this.plan) {
      return this.fail(this.problem);
    }
    try {
      const { plan, output } = this;
      const configSha256 = plan.configPath ? fileSha256(plan.configPath) : undefined;
      const validation = plan.validation;
      const finalized = finalizeOutput({
        stagingDir: output.stagingDir,
        notForApply: plan.notForApply,
        extraFiles: plan.extraFiles(),
        validate: validation && ((manifests) => assertValid(manifests, validation)),
        phases: ApplyPhasePlan.of(plan.apps[0]),
      });
      const warnings = plan.warnings();
      output.commit();
      if (this.underCdk8sCli && validation) {
        // After the commit, so that it stays in the CLI's folder and never reaches outdir.
        writeValidationRecord(output.stagingDir, {
          manifests: Object.fromEntries(finalized.manifestFiles.map(({ file }) => [file, fileSha256(path.join(output.stagingDir, file))])),
          objects: finalized.manifestFiles.reduce((total, { manifests }) => total + manifests.length, 0),
          externalNamespaces: validation.externalNamespaces,
          externalHosts: validation.externalHosts,
          ...validation.declaredWorkloads && validation.declaredWorkloads.length > 0 ? { declaredWorkloads: validation.declaredWorkloads } : {},
          ...plan.configPath && configSha256 ? { meshConfig: { path: path.resolve(plan.configPath), sha256: configSha256 } } : {},
        });
      }
      return { exitCode: 0, report: renderSynthSummary({ ...finalized, warnings, otherFiles: [...finalized.otherFiles, OUTPUT_MARKER_FILE], outdir: displayPath(output.outdir) }) };
    } catch (error) {
      return this.fail(error);
    }
  }

  /**
   * Drops what was staged and reports `error`, saying what became of the folders: `outdir` is
   * untouched; under `cdk8s synth` the CLI's output folder, which the CLI emptied before the app
   * ran, is removed too (see {@link AtomicOutput.discard}).
   */
  public fail(error: unknown): SynthResult {
    this.output?.discard();
    const words = this.plan?.configPath ? inMeshYamlWords : (finding: MeshFinding) => finding;
    const problems = error instanceof MeshValidationError
      ? [`the output has ${error.findings.length} problem${error.findings.length === 1 ? '' : 's'}:`, ...error.findings.map((finding) => formatFinding(words(finding)))].join('\n')
      : error instanceof Error ? error.message : String(error);
    const outcome = !this.output
      ? 'Nothing was written.'
      : `${displayPath(this.output.outdir)} was left as it was`
        + (this.underCdk8sCli ? `; the cdk8s CLI's output folder ${displayPath(this.output.stagingDir)}, which the CLI empties before the app runs, was removed.` : '.');
    return { exitCode: 1, report: `synth failed: ${problems}\n${outcome}` };
  }
}

function displayPath(dir: string): string {
  return path.relative(process.cwd(), dir) || '.';
}

/** The scope reports of the app's Sidecar scopings: in `reports/`, in a folder per scoping when there are several. */
function scopeReportFiles(app: App, scopings: readonly SidecarScoping[]): Record<string, string> {
  const otherServices = renderedServices(app);
  return Object.fromEntries(scopings.flatMap((scoping) => {
    const folder = scopings.length === 1 ? 'reports' : `reports/${Chart.of(scoping).node.id}-${scoping.node.id}`;
    const files = { ...ScopeReport.of(scoping, { otherServices }).files(), ...AccessMatrix.of(scoping).files() };
    return Object.entries(files).map(([file, content]) => [`${folder}/${file}`, content]);
  }));
}

/**
 * The files a mesh config names, relative to it: dashboard JSON files (`dashboards.files`), CRD
 * files and folders (`validation.crds`), the cdk8s.yaml of `validation.cdk8sImports` and the CRD
 * files its imports name. One that cannot be read is left to the build, which reports it by key.
 */
function configInputFiles(configPath: string, spec: MeshSpec | undefined): string[] {
  const baseDir = path.dirname(path.resolve(configPath));
  const named = [
    ...(spec?.dashboards?.files ?? []).map((entry) => entry.file),
    ...spec?.validation?.crds ?? [],
    ...spec?.validation?.cdk8sImports !== undefined ? [spec.validation.cdk8sImports] : [],
  ].filter((file): file is string => typeof file === 'string').map((file) => path.resolve(baseDir, file));
  let imported: string[] = [];
  if (typeof spec?.validation?.cdk8sImports === 'string') {
    try {
      imported = crdFilesOfCdk8sYaml(spec.validation.cdk8sImports, baseDir);
    } catch {
      // Reported at validation.cdk8sImports by the build.
    }
  }
  return [...named, ...imported];
}

function buildFromConfig(configPath: string, config: ParsedMeshConfig, stagingDir: string): MeshBuild {
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
