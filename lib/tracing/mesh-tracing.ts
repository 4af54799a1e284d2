import { Construct } from 'constructs';
import { IstioSpecValuesMeshConfig } from '../../imports/sail-istio-sailoperator.io';
import { IstioVersion } from '../istio/istio-version';

/** What a control plane tells its tracing setup when it binds it. */
export interface MeshTracingBindOptions {
  /** The Istio release installed: decides which tracing form that release supports best. */
  readonly istioVersion: IstioVersion;
  /** Istio's root namespace, where mesh-wide resources such as `Telemetry` live. */
  readonly rootNamespace: string;
}

/** What a tracing setup contributes to the control plane. */
export interface MeshTracingConfig {
  /** Fragment merged into the control plane's `meshConfig`. */
  readonly meshConfig: IstioSpecValuesMeshConfig;
}

/**
 * How the mesh's proxies report spans. The control plane calls {@link bind} once, merges the
 * returned meshConfig fragment into its own, and lets the tracing setup add any objects it needs
 * (a mesh-wide `Telemetry`, for example) under `scope`.
 */
export abstract class MeshTracing {
  /** Called by the control plane; not meant for users. */
  public abstract bind(scope: Construct, options: MeshTracingBindOptions): MeshTracingConfig;
}
