import { Construct } from 'constructs';
import { PeerAuthentication, PeerAuthenticationSpecMtlsMode } from '../../imports/istio-security.istio.io';
import { assertDnsLabel } from '../core/names';

/** Mutual TLS mode of a PeerAuthentication. */
export enum MtlsMode {
  /** Proxies accept only mutual TLS: plain-text traffic is refused. */
  STRICT = 'STRICT',
  /** Proxies accept mutual TLS and plain text: for migrating workloads into the mesh. */
  PERMISSIVE = 'PERMISSIVE',
  /** Proxies accept plain text only. */
  DISABLE = 'DISABLE',
}

const MODES: Record<MtlsMode, PeerAuthenticationSpecMtlsMode> = {
  [MtlsMode.STRICT]: PeerAuthenticationSpecMtlsMode.STRICT,
  [MtlsMode.PERMISSIVE]: PeerAuthenticationSpecMtlsMode.PERMISSIVE,
  [MtlsMode.DISABLE]: PeerAuthenticationSpecMtlsMode.DISABLE,
};

/** Props of a {@link MeshMtls}. */
export interface MeshMtlsProps {
  /**
   * Istio's root namespace, where a PeerAuthentication applies to the whole mesh. Pass
   * `scoping.rootNamespace` of the mesh's {@link SidecarScoping}.
   * @default 'istio-system'
   */
  readonly rootNamespace?: string;
  /**
   * Mutual TLS mode of every workload without a more specific PeerAuthentication.
   *
   * STRICT by default, secure by default: workload identities are verified on every connection
   * and nothing outside the mesh can talk to a workload in plain text. Use PERMISSIVE only while
   * migrating workloads that still receive traffic from clients without a proxy, then switch back.
   * @default MtlsMode.STRICT
   */
  readonly mode?: MtlsMode;
}

/** The mesh-wide `PeerAuthentication` (security.istio.io/v1) named `default` in the root namespace. */
export class MeshMtls extends Construct {
  public readonly mode: MtlsMode;
  /** The generated PeerAuthentication object. */
  public readonly resource: PeerAuthentication;

  constructor(scope: Construct, id: string, props: MeshMtlsProps = {}) {
    super(scope, id);
    const rootNamespace = props.rootNamespace ?? 'istio-system';
    assertDnsLabel('rootNamespace', rootNamespace);
    this.mode = props.mode ?? MtlsMode.STRICT;
    this.resource = new PeerAuthentication(this, 'Resource', {
      metadata: { name: 'default', namespace: rootNamespace },
      spec: { mtls: { mode: MODES[this.mode] } },
    });
  }
}
