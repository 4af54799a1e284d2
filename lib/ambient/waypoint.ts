import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { Gateway } from '../../imports/gateway-api-gateway-gateway.networking.k8s.io';
import { requestNamespace } from '../core/namespace-registry';
import { assertDnsLabel } from '../core/names';
import type { MeshService } from '../scoping/mesh-service';
import type { WorkloadNamespace } from '../scoping/workload-namespace';
import { MeshWarningCode, MeshWarnings } from '../validation/mesh-warnings';

/** Istio's GatewayClass of waypoints: istiod deploys an Envoy for each Gateway of this class. */
export const WAYPOINT_GATEWAY_CLASS = 'istio-waypoint';
/** The label a namespace or Service carries to send its traffic through a waypoint. */
export const USE_WAYPOINT_LABEL = 'istio.io/use-waypoint';
/** The label that tells which traffic a waypoint takes (Istio's default: `service`). */
export const WAYPOINT_FOR_LABEL = 'istio.io/waypoint-for';
/** The HBONE port ztunnel tunnels traffic to a waypoint on. */
export const HBONE_PORT = 15008;

/** Which traffic a waypoint handles (`istio.io/waypoint-for`). */
export class WaypointTraffic {
  /** Traffic addressed to the enrolled Services (Istio's default). */
  public static readonly SERVICE = new WaypointTraffic('service');
  /** Traffic addressed to the enrolled pods directly, by pod IP. */
  public static readonly WORKLOAD = new WaypointTraffic('workload');
  /** Both: traffic to the Services and to the pods. */
  public static readonly ALL = new WaypointTraffic('all');
  /** None: a waypoint that takes no traffic yet, e.g. while it is being rolled out. */
  public static readonly NONE = new WaypointTraffic('none');

  private constructor(
    /** The label's value. */
    public readonly value: string,
  ) {}

  public toString(): string {
    return this.value;
  }
}

/** Props of a {@link Waypoint}. */
export interface WaypointProps {
  /** The ambient namespace the waypoint runs in and serves. */
  readonly namespace: WorkloadNamespace;
  /** Name of the Gateway, and of the Deployment and Service istiod creates for it. @default 'waypoint' */
  readonly name?: string;
  /** Which traffic it takes. @default WaypointTraffic.SERVICE */
  readonly trafficFor?: WaypointTraffic;
  /**
   * Enroll the whole namespace: label it `istio.io/use-waypoint=<name>`, so that every Service of
   * it (and every pod, for WORKLOAD and ALL) is served by the waypoint. Turn it off to enroll
   * single services with {@link Waypoint.useFor}.
   * @default true
   */
  readonly enrollNamespace?: boolean;
}

/**
 * An ambient waypoint: the layer 7 proxy of an ambient namespace (HTTP routing, L7
 * authorization, HTTP metrics and the spans of the namespace's traffic), as Istio deploys it from
 * a Gateway API `Gateway` of class `istio-waypoint` with the listener `mesh` on 15008 (HBONE).
 * The namespace, or single services, are enrolled with `istio.io/use-waypoint`. The Gateway API
 * CRDs must be installed: Istio does not install them.
 */
export class Waypoint extends Construct {
  public readonly name: string;
  /** The namespace the waypoint runs in. */
  public readonly namespace: WorkloadNamespace;
  public readonly trafficFor: WaypointTraffic;
  /** Whether the whole namespace is enrolled. */
  public readonly enrollsNamespace: boolean;
  /** The Gateway. */
  public readonly resource: ApiObject;
  private readonly serviceMap = new Map<string, MeshService>();

  /** @throws if the namespace is not ambient or the name is not a DNS label */
  constructor(scope: Construct, id: string, props: WaypointProps) {
    super(scope, id);
    const namespace = props.namespace;
    if (!namespace.ambient) {
      throw new Error(`namespace ${namespace.name} is a sidecar namespace: its sidecars do layer 7 themselves, and a waypoint serves ambient pods only; `
        + 'give the namespace dataPlane: DataPlaneMode.AMBIENT, or leave the waypoint out');
    }
    this.name = props.name ?? 'waypoint';
    assertDnsLabel('waypoint name', this.name);
    this.namespace = namespace;
    this.trafficFor = props.trafficFor ?? WaypointTraffic.SERVICE;
    this.enrollsNamespace = props.enrollNamespace ?? true;
    // Registered first: a second waypoint for the namespace is refused in the namespace's words.
    namespace.registerWaypoint(this);
    const revision = namespace.scoping.revision;
    this.resource = new Gateway(this, 'Resource', {
      metadata: {
        name: this.name,
        namespace: namespace.name,
        labels: {
          [WAYPOINT_FOR_LABEL]: this.trafficFor.value,
          // The revision's istiod is the one that deploys and programs the waypoint.
          ...(revision !== undefined && { 'istio.io/rev': revision }),
        },
      },
      spec: {
        gatewayClassName: WAYPOINT_GATEWAY_CLASS,
        listeners: [{ name: 'mesh', port: HBONE_PORT, protocol: 'HBONE' }],
      },
    });
    if (this.enrollsNamespace) {
      // Merged into the namespace's one Namespace object; a second waypoint enrolling it conflicts there.
      requestNamespace(new Construct(this, 'Enrollment'), namespace.name, { [USE_WAYPOINT_LABEL]: this.name });
    }
    MeshWarnings.of(this).add(this, {
      code: MeshWarningCode.GATEWAY_API_CRDS,
      message: 'the Gateway API CRDs (gateway.networking.k8s.io) are not installed by Istio or by this output',
      fix: 'install the Gateway API v1.5.1 standard channel CRDs (kubectl apply --server-side -f https://github.com/kubernetes-sigs/gateway-api/releases/download/v1.5.1/standard-install.yaml) before the mesh phase',
    });
  }

  /** The Service istiod creates for the waypoint, named like the Gateway. */
  public get serviceName(): string {
    return this.name;
  }

  /** The services enrolled one by one, in declaration order. */
  public get services(): MeshService[] {
    return [...this.serviceMap.values()];
  }

  /**
   * Enrolls one service of the waypoint's namespace: its Service must carry
   * `istio.io/use-waypoint=<name>`. The Service comes with the workload's manifests, not from this
   * output, so a synth warning names the label to add.
   * @throws if the service is in another namespace, or the whole namespace is enrolled already
   */
  public useFor(service: MeshService): this {
    if (service.namespaceName !== this.namespace.name) {
      throw new Error(`service ${service.namespaceName}/${service.name} is not in the waypoint's namespace ${this.namespace.name}: enroll it with a waypoint of its own namespace`);
    }
    if (this.enrollsNamespace) {
      throw new Error(`waypoint ${this.namespace.name}/${this.name} enrolls the whole namespace already, service ${service.name} included: `
        + 'set enrollNamespace: false to enroll single services');
    }
    this.serviceMap.set(service.name, service);
    this.namespace._addWaypointHop(service);
    MeshWarnings.of(this).add(this, {
      code: MeshWarningCode.WAYPOINT_SERVICE_LABEL,
      message: `service ${service.namespaceName}/${service.name} is to use waypoint ${this.name}, but its Service is not part of this output`,
      fix: `label the Service ${USE_WAYPOINT_LABEL}=${this.name} in the workload's manifests (kubectl label service ${service.name} -n ${service.namespaceName} ${USE_WAYPOINT_LABEL}=${this.name})`,
    });
    return this;
  }
}
