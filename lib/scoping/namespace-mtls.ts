import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { PeerAuthentication, PeerAuthenticationProps, PeerAuthenticationSpecMtlsMode } from '../../imports/istio-security.istio.io';
import { MeshNamespace } from '../core/mesh-namespace';
import { plainApiObject } from '../core/plain-api-object';
import { MtlsMode } from './mesh-mtls';

const MODES: Record<MtlsMode, PeerAuthenticationSpecMtlsMode> = {
  [MtlsMode.STRICT]: PeerAuthenticationSpecMtlsMode.STRICT,
  [MtlsMode.PERMISSIVE]: PeerAuthenticationSpecMtlsMode.PERMISSIVE,
  [MtlsMode.DISABLE]: PeerAuthenticationSpecMtlsMode.DISABLE,
};

/** Props of a {@link NamespaceMtls}. */
export interface NamespaceMtlsProps {
  /** The namespace whose workloads the policy covers (a {@link WorkloadNamespace} or any MeshNamespace). */
  readonly namespace: MeshNamespace;
  /**
   * Mutual TLS mode of the namespace's workloads; it overrides the mesh-wide {@link MeshMtls} there.
   * @default MtlsMode.STRICT
   */
  readonly mode?: MtlsMode;
}

/**
 * A namespace-wide `PeerAuthentication` (security.istio.io/v1) named `default`: pins the mutual
 * TLS mode of one namespace, whatever the mesh-wide default is. Typical use: STRICT namespaces in
 * a mesh that is still PERMISSIVE while workloads migrate, or one PERMISSIVE namespace that still
 * receives plain-text traffic in a STRICT mesh.
 */
export class NamespaceMtls extends Construct {
  public readonly mode: MtlsMode;
  /** The generated PeerAuthentication object. */
  public readonly resource: ApiObject;

  constructor(scope: Construct, id: string, props: NamespaceMtlsProps) {
    super(scope, id);
    this.mode = props.mode ?? MtlsMode.STRICT;
    this.resource = plainApiObject<PeerAuthenticationProps>(this, 'Resource', PeerAuthentication.GVK, {
      metadata: { name: 'default', namespace: props.namespace.name },
      spec: { mtls: { mode: MODES[this.mode] } },
    });
  }
}
