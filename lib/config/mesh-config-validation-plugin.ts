import * as os from 'os';
import { App } from 'cdk8s';
import { MeshValidationPlugin, MeshValidationPluginProps } from '../validation/mesh-validation-plugin';
import { buildMesh } from './build-mesh';
import { loadMeshConfig } from './load-mesh-config';

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
 * cdk8s.yaml that a renamed namespace would leave behind.
 *
 * ```yaml
 * validations:
 *   - package: ./lib/validation/cdk8s-plugin.js
 *     version: 0.1.0
 *     class: MeshConfigValidationPlugin
 *     properties:
 *       meshConfig: mesh.yaml
 * ```
 */
export class MeshConfigValidationPlugin extends MeshValidationPlugin {
  constructor(props: MeshConfigValidationPluginProps = {}) {
    const configPath = process.env.MESH_CONFIG || props.meshConfig || 'mesh.yaml';
    // Built, never synthesized: only the derived namespace list is used.
    const mesh = buildMesh(new App({ outdir: os.tmpdir() }), loadMeshConfig(configPath), { file: configPath });
    super({ ...props, externalNamespaces: [...props.externalNamespaces ?? [], ...mesh.externalNamespaces] });
  }
}
