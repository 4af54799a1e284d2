import * as os from 'os';
import * as path from 'path';
import { MeshValidationOptions } from '../validation/assert-valid';
import { MeshValidationPlugin, MeshValidationPluginProps } from '../validation/mesh-validation-plugin';
import { ValidationRecord, fileSha256 } from '../validation/validation-record';
import { crdFilesOfCdk8sYaml } from '../validation/user-crds';
import { loadMeshConfig } from './load-mesh-config';
import { MeshSpec } from './mesh-spec';

/** Properties of the {@link MeshConfigValidationPlugin}: its `properties` in cdk8s.yaml. */
export interface MeshConfigValidationPluginProps extends MeshValidationPluginProps {
  /**
   * The mesh config the app synthesizes. MESH_CONFIG overrides it, as it does for the app.
   * @default 'mesh.yaml'
   */
  readonly meshConfig?: string;
}

/**
 * {@link MeshValidationPlugin} for apps synthesized from a mesh config: the namespaces the output
 * refers to but does not create (the existing Prometheus's and Grafana's, declared external
 * ones) come from the config, exactly as the app derives them, instead of from a second list in
 * cdk8s.yaml that a renamed namespace would leave behind. When the app validated these manifests
 * from the same config in this synth, its list is taken as it is, and nothing is built again.
 *
 * ```yaml
 * validations:
 *   - package: ./node_modules/cdk8s-istio-mesh/build/lib/cdk8s-plugin.js
 *     version: 0.1.0
 *     class: MeshConfigValidationPlugin
 *     properties:
 *       meshConfig: mesh.yaml
 * ```
 */
export class MeshConfigValidationPlugin extends MeshValidationPlugin {
  private readonly configPath: string;
  private readonly spec: MeshSpec;

  constructor(props: MeshConfigValidationPluginProps = {}) {
    super(props);
    this.configPath = process.env.MESH_CONFIG || props.meshConfig || 'mesh.yaml';
    this.spec = loadMeshConfig(this.configPath);
  }

  /** @internal */
  protected async validationOptions(record: ValidationRecord | undefined): Promise<MeshValidationOptions> {
    const options = await super.validationOptions(record);
    const sameConfig = record?.meshConfig?.path === path.resolve(this.configPath) && record.meshConfig.sha256 === fileSha256(this.configPath);
    const validation = this.spec.validation ?? {};
    const baseDir = path.dirname(path.resolve(this.configPath));
    return {
      ...options,
      externalNamespaces: [...options.externalNamespaces ?? [], ...sameConfig ? record.externalNamespaces : await this.derivedExternalNamespaces()],
      // The config's CRDs and unchecked kinds, found as the app finds them: relative to the config file.
      crds: [...options.crds ?? [], ...(validation.crds ?? []).map((source) => path.resolve(baseDir, source)),
        ...validation.cdk8sImports ? crdFilesOfCdk8sYaml(validation.cdk8sImports, baseDir) : []],
      uncheckedKinds: [...options.uncheckedKinds ?? [], ...validation.uncheckedKinds ?? []],
      kubernetesVersion: options.kubernetesVersion ?? this.spec.controlPlane?.kubernetesVersion,
    };
  }

  private async derivedExternalNamespaces(): Promise<readonly string[]> {
    // Loaded only here: the constructs are most of the plugin's load time in the CLI, and an
    // output the app validated needs none of them.
    const [{ App }, { buildMesh }] = await Promise.all([import('cdk8s'), import('./build-mesh')]);
    // Built, never synthesized: only the derived namespace list is used.
    return buildMesh(new App({ outdir: os.tmpdir() }), this.spec, { file: this.configPath }).externalNamespaces;
  }
}
