import { ApiObject, Lazy } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { ICaller } from '../authorization/workload-identity';
import { MeshNamespace } from '../core/mesh-namespace';
import { assertDnsLabel, assertLabels } from '../core/names';
import { ClusterPlatform } from '../core/cluster-platform';
import { MeshService } from '../scoping/mesh-service';
import { MeshWarningCode, MeshWarnings } from '../validation/mesh-warnings';
import { Gateway, VirtualService } from '../../imports/istio-networking.istio.io';
import { GatewayPlacement, podPlacement } from './gateway-placement';
import { gatewayServiceFields, GatewayServiceSettings } from './gateway-service';
import { assertPositiveInteger, assertReplicas, resourceQuantities } from './gateway-sizing';
import { assertDnsSubdomain, assertHostname, assertPathPrefix } from './route-checks';

/** How many gateway pods a voluntary disruption (node drain, upgrade) may take down. */
export class GatewayDisruptionBudget {
  /**
   * At least `pods` gateway pods stay up during a drain. Must stay below the autoscaler's
   * `minReplicas`, or a drain could never evict a gateway pod.
   */
  public static minAvailable(pods: number): GatewayDisruptionBudget {
    assertPositiveInteger('disruption budget minAvailable', pods);
    return new GatewayDisruptionBudget(pods, undefined);
  }

  /** At most `pods` gateway pods are down at once during a drain. */
  public static maxUnavailable(pods: number): GatewayDisruptionBudget {
    assertPositiveInteger('disruption budget maxUnavailable', pods);
    return new GatewayDisruptionBudget(undefined, pods);
  }

  private constructor(
    /** Pods that stay available, if the budget is given that way. */
    public readonly minAvailablePods: number | undefined,
    /** Pods that may be unavailable, if the budget is given that way. */
    public readonly maxUnavailablePods: number | undefined,
  ) {}
}

/** CPU and memory of the gateway's proxy container. */
export interface GatewayResources {
  /** CPU request; the autoscaler's utilization is relative to it. @default 100 */
  readonly cpuRequestMillicores?: number;
  /** Memory request. @default 128 */
  readonly memoryRequestMebibytes?: number;
  /** CPU limit. @default 2000 */
  readonly cpuLimitMillicores?: number;
  /** Memory limit. @default 1024 */
  readonly memoryLimitMebibytes?: number;
}

/** Props of an {@link IngressGateway}. */
export interface IngressGatewayProps extends GatewayServiceSettings {
  /**
   * Namespace of the gateway. It must not carry `istio-injection=disabled`: the gateway pods get
   * their proxy from the injector, and without it they would start with image `auto` and fail.
   * @default - a new namespace `istio-ingress` without injection label (the pods ask for injection themselves)
   */
  readonly namespace?: MeshNamespace;
  /** Name of the Deployment, Service and ServiceAccount; `app` label. @default 'istio-ingressgateway' */
  readonly name?: string;
  /**
   * Labels of the gateway pods that select them: the Deployment's and the Service's selector, and
   * what `Gateway` resources name in their `selector` (see {@link IngressGateway.selectorLabels}).
   * @default - `{ app: <name>, istio: <name without the istio- prefix> }`, as Istio's gateway chart: `{ app: istio-ingressgateway, istio: ingressgateway }`
   */
  readonly labels?: Record<string, string>;
  /**
   * Control plane revision, or revision tag, whose injector configures the gateway (`istio.io/rev` pod
   * label): with revisions the gateway moves only when this changes.
   * @default - the default revision
   */
  readonly revision?: string;
  /**
   * Fewest gateway pods. Two by default (Istio's chart has one) so that a node drain or a crash
   * never leaves the mesh without an entrance.
   * @default 2
   */
  readonly minReplicas?: number;
  /** Most gateway pods. @default 5 */
  readonly maxReplicas?: number;
  /** Average CPU use, in percent of the request, the autoscaler keeps the pods at. @default 80 */
  readonly targetCpuUtilizationPercent?: number;
  /** Pods a voluntary disruption may take down. @default GatewayDisruptionBudget.minAvailable(1) */
  readonly disruptionBudget?: GatewayDisruptionBudget;
  /** CPU and memory of the proxy. @default - Istio's gateway chart: 100m/128Mi requested, 2000m/1024Mi limit */
  readonly resources?: GatewayResources;
  /** Nodes, tolerations and spread of the gateway pods. @default - any node, spread over nodes and zones where possible */
  readonly placement?: GatewayPlacement;
}

/** Options of {@link IngressGateway.expose}. */
export interface IngressGatewayExposeOptions {
  /** Host the service answers on outside the cluster (`shop.example.com`, or `*.example.com`). */
  readonly hostname: string;
  /** Requests whose path starts with this prefix (whole segments) go to the service. @default '/' */
  readonly pathPrefix?: string;
  /** The service's port the requests go to. @default - the service's first port */
  readonly port?: number;
  /**
   * Serve the hostname over HTTPS (port 443) with the certificate and key of this
   * `kubernetes.io/tls` Secret in the gateway's namespace (an Istio gateway reads certificates from
   * its own namespace only); plain HTTP for the hostname then answers with a redirect to HTTPS.
   * @default - plain HTTP on port 80
   */
  readonly certificateSecretName?: string;
  /**
   * Name of the hostname's VirtualService, in the service's namespace (one per hostname, holding
   * all its paths).
   * @default `<gateway name>-<hostname with '-' for '.'>`, `*.` as `wildcard-`
   */
  readonly routeName?: string;
}

/** One path of an exposed hostname, and the service it goes to. */
interface ExposedPath {
  readonly pathPrefix: string;
  readonly service: string;
  readonly destination: { readonly host: string; readonly port: { readonly number: number } };
}

/** One hostname the gateway serves: from which namespace, how, and its VirtualService. */
interface ExposedHost {
  readonly namespace: string;
  readonly certificateSecretName?: string;
  readonly virtualService: ApiObject;
  readonly paths: ExposedPath[];
}

const HTTP_PORT = 80;
const HTTPS_PORT = 443;

// The port the injected proxy serves its Prometheus metrics on (merged with the app's).
const PROXY_METRICS_PORT = 15020;

/**
 * An Istio ingress gateway the way Istio's `gateway` Helm chart renders it: a Deployment whose
 * pods ask the sidecar injector for the `gateway` template (container image `auto` is replaced at
 * admission), in its own namespace, with its Service, ServiceAccount, the Role to read TLS
 * secrets, a HorizontalPodAutoscaler and a PodDisruptionBudget.
 *
 * Gateway objects find it by {@link selectorLabels} (`istio: ingressgateway`).
 */
export class IngressGateway extends Construct implements ICaller {
  public readonly name: string;
  public readonly namespace: MeshNamespace;
  /** Labels that select the gateway pods: pass them to a Gateway's `selector`. */
  public readonly selectorLabels: Readonly<Record<string, string>>;
  /** The generated Deployment. */
  public readonly resource: ApiObject;
  /** Hostnames exposed through the gateway, by hostname. */
  private readonly hosts = new Map<string, ExposedHost>();
  private istioGateway?: ApiObject;

  /** The gateway's namespace, where its pods run. */
  public get namespaceName(): string {
    return this.namespace.name;
  }

  /** The gateway pods' ServiceAccount, which this construct renders under the gateway's name. */
  public get callerServiceAccountName(): string {
    return this.name;
  }

  constructor(scope: Construct, id: string, props: IngressGatewayProps = {}) {
    super(scope, id);
    this.name = props.name ?? 'istio-ingressgateway';
    assertDnsLabel('gateway name', this.name);
    if (props.revision !== undefined) {
      assertDnsLabel('revision', props.revision);
    }
    const minReplicas = props.minReplicas ?? 2;
    const maxReplicas = props.maxReplicas ?? 5;
    const targetCpuUtilizationPercent = props.targetCpuUtilizationPercent ?? 80;
    const budget = props.disruptionBudget ?? GatewayDisruptionBudget.minAvailable(1);
    assertReplicas(minReplicas, maxReplicas, targetCpuUtilizationPercent, budget);
    const quantities = resourceQuantities(props.resources ?? {});
    const resources: k8s.ResourceRequirements = {
      requests: { cpu: k8s.Quantity.fromString(quantities.requests.cpu), memory: k8s.Quantity.fromString(quantities.requests.memory) },
      limits: { cpu: k8s.Quantity.fromString(quantities.limits.cpu), memory: k8s.Quantity.fromString(quantities.limits.memory) },
    };

    this.namespace = props.namespace ?? new MeshNamespace(this, 'Namespace', { name: 'istio-ingress' });
    assertInjectable(this.namespace, props.revision);
    const namespace = this.namespace.name;

    assertLabels('labels', props.labels);
    if (props.labels !== undefined && Object.keys(props.labels).length === 0) {
      throw new Error('labels must hold at least one label: they select the gateway pods, and an empty selector selects every pod of the namespace');
    }
    // The chart's selector labels: `app: <name>`, `istio: <name without istio- prefix>`.
    this.selectorLabels = props.labels ?? { app: this.name, istio: this.name.replace(/^istio-/, '') };
    const labels = { ...this.selectorLabels, 'app.kubernetes.io/name': this.name };
    const metadata = { name: this.name, namespace, labels };
    const service = gatewayServiceFields(props);
    const placement = podPlacement(props.placement ?? {}, this.selectorLabels);

    this.resource = new k8s.KubeDeployment(this, 'Resource', {
      metadata,
      spec: {
        // No replicas: the autoscaler owns the count.
        selector: { matchLabels: { ...this.selectorLabels } },
        template: {
          metadata: {
            labels: {
              'sidecar.istio.io/inject': 'true',
              ...(props.revision === undefined ? {} : { 'istio.io/rev': props.revision }),
              ...labels,
            },
            annotations: {
              'inject.istio.io/templates': 'gateway',
              'prometheus.io/port': String(PROXY_METRICS_PORT),
              'prometheus.io/scrape': 'true',
              'prometheus.io/path': '/stats/prometheus',
            },
          },
          spec: {
            serviceAccountName: this.name,
            // Lets the proxy bind 80 and 443 without root or NET_BIND_SERVICE; the sysctl is
            // namespaced and allowed by default since Kubernetes 1.22.
            securityContext: { sysctls: [{ name: 'net.ipv4.ip_unprivileged_port_start', value: '0' }] },
            ...placement,
            containers: [{
              name: 'istio-proxy',
              // Replaced by the injector with the proxy image of the control plane's revision.
              image: 'auto',
              securityContext: {
                capabilities: { drop: ['ALL'] },
                allowPrivilegeEscalation: false,
                privileged: false,
                readOnlyRootFilesystem: true,
                // The proxy's own UID, which the injector's gateway template sets too; OpenShift
                // assigns one from the namespace's range instead (the injector follows it).
                ...ClusterPlatform.of(this).fixedIds({ runAsUser: 1337, runAsGroup: 1337 }),
                runAsNonRoot: true,
              },
              ports: [{ containerPort: 15090, protocol: 'TCP', name: 'http-envoy-prom' }],
              resources,
            }],
            terminationGracePeriodSeconds: 30,
          },
        },
      },
    });

    new k8s.KubeService(this, 'Service', {
      metadata: { ...metadata, annotations: service.annotations },
      spec: {
        ...service.spec,
        selector: { ...this.selectorLabels },
        ports: [
          { name: 'status-port', port: 15021, protocol: 'TCP', targetPort: k8s.IntOrString.fromNumber(15021) },
          { name: 'http2', port: 80, protocol: 'TCP', targetPort: k8s.IntOrString.fromNumber(80) },
          { name: 'https', port: 443, protocol: 'TCP', targetPort: k8s.IntOrString.fromNumber(443) },
        ],
      },
    });

    new k8s.KubeServiceAccount(this, 'ServiceAccount', { metadata });

    // Gateways read the TLS certificates of their Gateway objects from secrets of their namespace.
    new k8s.KubeRole(this, 'Role', {
      metadata,
      rules: [{ apiGroups: [''], resources: ['secrets'], verbs: ['get', 'watch', 'list'] }],
    });
    new k8s.KubeRoleBinding(this, 'RoleBinding', {
      metadata,
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: this.name },
      subjects: [{ kind: 'ServiceAccount', name: this.name }],
    });

    new k8s.KubeHorizontalPodAutoscalerV2(this, 'Autoscaler', {
      metadata,
      spec: {
        scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: this.name },
        minReplicas,
        maxReplicas,
        metrics: [{
          type: 'Resource',
          resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: targetCpuUtilizationPercent } },
        }],
      },
    });

    new k8s.KubePodDisruptionBudget(this, 'DisruptionBudget', {
      metadata,
      spec: {
        selector: { matchLabels: { ...this.selectorLabels } },
        minAvailable: budget.minAvailablePods === undefined ? undefined : k8s.IntOrString.fromNumber(budget.minAvailablePods),
        maxUnavailable: budget.maxUnavailablePods === undefined ? undefined : k8s.IntOrString.fromNumber(budget.maxUnavailablePods),
      },
    });
  }

  /**
   * Exposes `service` on `hostname` (under `pathPrefix`): the hostname's VirtualService, in the
   * service's namespace, bound to this gateway's Istio `Gateway` (one per gateway, in its
   * namespace, selecting its pods), which serves the hostname over HTTP, or over HTTPS with
   * `certificateSecretName` (HTTP then redirects). Each hostname has one VirtualService holding
   * all its paths, longest prefix first: Istio merges several VirtualServices of one host on a
   * gateway in no defined order, so a `/` route could shadow `/static`.
   *
   * @throws if the hostname is exposed already with another certificate, from another namespace
   * or under another route name, or the path is taken
   */
  public expose(service: MeshService, options: IngressGatewayExposeOptions): ApiObject {
    assertHostname('hostname', options.hostname);
    const pathPrefix = (options.pathPrefix ?? '/').replace(/(.)\/$/, '$1');
    assertPathPrefix(pathPrefix);
    const backend = service.endpoint(options.port);
    if (options.certificateSecretName !== undefined) {
      assertDnsSubdomain('certificateSecretName', options.certificateSecretName);
    }
    if (options.routeName !== undefined) {
      assertDnsSubdomain('routeName', options.routeName);
    }
    const host = this.hosts.get(options.hostname) ?? this.addHost(service.namespaceName, options);
    const how = (certificate?: string) => (certificate === undefined ? 'plain HTTP' : `HTTPS with certificate Secret ${certificate}`);
    if (host.certificateSecretName !== options.certificateSecretName) {
      throw new Error(`hostname ${options.hostname} is exposed already over ${how(host.certificateSecretName)}, so it cannot also be served over ${how(options.certificateSecretName)}: `
        + 'give every exposure of one hostname the same certificateSecretName');
    }
    if (host.namespace !== service.namespaceName) {
      throw new Error(`hostname ${options.hostname} is exposed already from namespace ${host.namespace}: one hostname's routes must come from one namespace, `
        + `or each team could take over another's paths; use another hostname for ${service.namespaceName}/${service.name}`);
    }
    if (options.routeName !== undefined && options.routeName !== host.virtualService.name) {
      throw new Error(`routeName ${options.routeName}: hostname ${options.hostname} has its VirtualService ${host.virtualService.name} already, which holds all its paths; leave routeName out or give it ${host.virtualService.name}`);
    }
    const taken = host.paths.find((path) => path.pathPrefix === pathPrefix);
    if (taken) {
      throw new Error(`pathPrefix ${pathPrefix} of hostname ${options.hostname} goes to ${taken.service} already: expose ${service.name} under another pathPrefix or hostname`);
    }
    host.paths.push({ pathPrefix, service: service.name, destination: { host: service.fqdn, port: { number: backend.port } } });
    // The route makes the gateway a caller of the service; its policy allows it once authorization is on.
    service.acceptCallsFrom(this);
    if (options.certificateSecretName !== undefined) {
      MeshWarnings.of(this).add(this, {
        code: MeshWarningCode.GATEWAY_CERTIFICATE_SECRET,
        message: `the HTTPS server of Gateway ${this.namespace.name}/${this.name} for ${options.hostname} serves the certificate of Secret `
          + `${this.namespace.name}/${options.certificateSecretName}, which the output does not contain`,
        fix: 'create it in the gateway\'s namespace before the hostname is needed (a cert-manager Certificate, or kubectl create secret tls); until it exists the server is not programmed',
      });
    }
    return host.virtualService;
  }

  /** The VirtualService of a newly exposed hostname, whose routes are read at synth time. */
  private addHost(namespace: string, options: IngressGatewayExposeOptions): ExposedHost {
    const gateway = this.gateway();
    const name = options.routeName ?? `${this.name}-${options.hostname.replace(/^\*\./, 'wildcard.').replace(/\./g, '-')}`;
    assertDnsSubdomain('routeName', name);
    const paths: ExposedPath[] = [];
    const virtualService = new VirtualService(this, `Route-${namespace}-${name}`, {
      metadata: { name, namespace },
      spec: {
        hosts: [options.hostname],
        gateways: [`${this.namespace.name}/${gateway.name}`],
        // Longest prefix first, as the Gateway API orders PathPrefix matches.
        http: Lazy.any({
          produce: () => [...paths].sort((a, b) => b.pathPrefix.length - a.pathPrefix.length || (a.pathPrefix < b.pathPrefix ? -1 : 1)).map((path) => ({
            // An Istio prefix matches characters, not segments: /shop would take /shopping too.
            match: path.pathPrefix === '/' ? [{ uri: { prefix: '/' } }] : [{ uri: { exact: path.pathPrefix } }, { uri: { prefix: `${path.pathPrefix}/` } }],
            route: [{ destination: path.destination }],
          })),
        }) as any,
      },
    });
    const host: ExposedHost = { namespace, certificateSecretName: options.certificateSecretName, virtualService, paths };
    this.hosts.set(options.hostname, host);
    return host;
  }

  /** The Istio Gateway of this gateway's pods, made on the first exposure: without one it would serve nothing. */
  private gateway(): ApiObject {
    if (this.istioGateway) {
      return this.istioGateway;
    }
    const namespace = this.namespace.name;
    this.istioGateway = new Gateway(this, 'Gateway', {
      metadata: { name: this.name, namespace },
      spec: {
        selector: { ...this.selectorLabels },
        servers: Lazy.any({ produce: () => this.servers() }) as any,
      },
    });
    return this.istioGateway;
  }

  /**
   * Plain hostnames on port 80; HTTPS hostnames on 443, one server per certificate (chosen by SNI),
   * and a port 80 server for them that only redirects.
   */
  private servers(): Record<string, unknown>[] {
    const hosts = [...this.hosts.entries()].map(([hostname, host]) => ({ ...host, gatewayHost: `${host.namespace}/${hostname}` }));
    // `<namespace>/<hostname>`: the Gateway admits VirtualServices for the host from that namespace only.
    const hostsOf = (selected: typeof hosts) => selected.map((host) => host.gatewayHost).sort();
    const plain = hosts.filter((host) => host.certificateSecretName === undefined);
    const secure = hosts.filter((host) => host.certificateSecretName !== undefined);
    const certificates = [...new Set(secure.map((host) => host.certificateSecretName!))].sort();
    const servers: Record<string, unknown>[] = [];
    if (plain.length > 0) {
      servers.push({ name: 'http', port: { name: 'http', number: HTTP_PORT, protocol: 'HTTP' }, hosts: hostsOf(plain) });
    }
    if (secure.length > 0) {
      servers.push({ name: 'http-to-https', port: { name: 'http-to-https', number: HTTP_PORT, protocol: 'HTTP' }, hosts: hostsOf(secure), tls: { httpsRedirect: true } });
    }
    certificates.forEach((certificate, index) => {
      const name = `https-${index + 1}`;
      servers.push({
        name,
        port: { name, number: HTTPS_PORT, protocol: 'HTTPS' },
        hosts: hostsOf(secure.filter((host) => host.certificateSecretName === certificate)),
        tls: { mode: 'SIMPLE', credentialName: certificate },
      });
    });
    return servers;
  }
}

function assertInjectable(namespace: MeshNamespace, revision: string | undefined): void {
  const labels = namespace.injection.labels;
  if (labels['istio-injection'] === 'disabled') {
    throw new Error(`the ingress gateway's namespace ${namespace.name} has istio-injection=disabled: the injector would skip the gateway pods, which would then start with image 'auto' and fail. Give the namespace SidecarInjection.none() (the pods ask for injection themselves) or enable injection`);
  }
  // A namespace injection label wins over the pod's istio.io/rev in Istio's webhook selectors.
  const namespaceRevision = labels['istio-injection'] === 'enabled' ? 'default' : labels['istio.io/rev'];
  if (revision !== undefined && namespaceRevision !== undefined && namespaceRevision !== revision) {
    throw new Error(`ingress gateway revision '${revision}' conflicts with namespace ${namespace.name} (injection ${namespace.injection.description}): the namespace label wins, so the gateway would get the ${namespaceRevision} revision's proxy. Give the namespace SidecarInjection.none() or SidecarInjection.revision('${revision}')`);
  }
}

