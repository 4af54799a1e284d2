import { ApiObject, Lazy } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import * as yaml from 'js-yaml';
import { ICaller } from '../authorization/workload-identity';
import { defined } from '../core/defined';
import { MeshNamespace } from '../core/mesh-namespace';
import { assertDnsLabel, assertLabels } from '../core/names';
import { ServiceEndpoint } from '../core/service-endpoint';
import { MeshService } from '../scoping/mesh-service';
import { MeshWarningCode, MeshWarnings } from '../validation/mesh-warnings';
import { Gateway } from '../../imports/gateway-api-gateway-gateway.networking.k8s.io';
import { HttpRoute } from '../../imports/gateway-api-httproute-gateway.networking.k8s.io';
import { ReferenceGrant } from '../../imports/gateway-api-referencegrant-gateway.networking.k8s.io';
import { GatewayPlacement, podPlacement, podPlacementJson } from './gateway-placement';
import { assertAnnotationKeys, gatewayServiceFields, GatewayServiceSettings, sortedRecord } from './gateway-service';
import { assertReplicas, resourceQuantities } from './gateway-sizing';
import { assertDnsSubdomain, assertHostname, assertPathPrefix } from './route-checks';
import { GatewayDisruptionBudget, GatewayResources } from './ingress-gateway';

/** The GatewayClass whose Gateways istiod deploys itself (a Deployment and Service per Gateway). */
const ISTIO_GATEWAY_CLASS = 'istio';
const GATEWAY_API_GROUP = 'gateway.networking.k8s.io';
/** Label the Gateway API puts on everything the implementation generates for a Gateway, pods included. */
const GATEWAY_NAME_LABEL = 'gateway.networking.k8s.io/gateway-name';

/** Props of an HTTP listener. */
export interface HttpListenerProps {
  /** Listener name, what routes name in `sectionName`. @default 'http' */
  readonly name?: string;
  /** Port the gateway listens on. @default 80 */
  readonly port?: number;
  /** Only requests for this host (or wildcard `*.example.com`) are taken. @default - any host */
  readonly hostname?: string;
}

/** Props of an HTTPS listener, which terminates TLS with a certificate from a Secret. */
export interface HttpsListenerProps extends HttpListenerProps {
  /**
   * Name of the `kubernetes.io/tls` Secret with the certificate and key (written by cert-manager,
   * or `kubectl create secret tls`). The output does not contain it: it must exist before the
   * listener is ready.
   */
  readonly certificateSecretName: string;
  /**
   * Namespace of the Secret. Another namespace than the gateway's gets a ReferenceGrant there
   * that lets this Gateway read it.
   * @default - the gateway's namespace
   */
  readonly certificateNamespace?: string;
}

/** A listener of a {@link GatewayApiIngress}: a port, protocol and optional hostname. */
export class GatewayListener {
  /** Plain HTTP. @default port 80, name `http` */
  public static http(props: HttpListenerProps = {}): GatewayListener {
    return new GatewayListener('HTTP', props.name ?? 'http', props.port ?? 80, props.hostname, undefined);
  }

  /** HTTPS, TLS terminated at the gateway. @default port 443, name `https` */
  public static https(props: HttpsListenerProps): GatewayListener {
    assertDnsSubdomain('certificateSecretName', props.certificateSecretName);
    if (props.certificateNamespace !== undefined) {
      assertDnsLabel('certificateNamespace', props.certificateNamespace);
    }
    return new GatewayListener('HTTPS', props.name ?? 'https', props.port ?? 443, props.hostname,
      { secretName: props.certificateSecretName, namespace: props.certificateNamespace });
  }

  private constructor(
    /** The Gateway API protocol. */
    public readonly protocol: 'HTTP' | 'HTTPS',
    public readonly name: string,
    public readonly port: number,
    public readonly hostname: string | undefined,
    /** The certificate of an HTTPS listener. */
    public readonly certificate: { readonly secretName: string; readonly namespace?: string } | undefined,
  ) {
    assertDnsLabel('listener name', name);
    if (!Number.isInteger(port) || port < 1 || port > 65535) {
      throw new Error(`listener ${name}: port must be an integer from 1 to 65535, got ${port}`);
    }
    if (hostname !== undefined) {
      assertHostname(`listener ${name}: hostname`, hostname);
    }
  }

  /** Whether requests for `hostname` can arrive on this listener. */
  public admits(hostname: string): boolean {
    if (this.hostname === undefined || this.hostname === hostname) {
      return true;
    }
    // A wildcard listener `*.example.com` takes any host below example.com, also `*.a.example.com`.
    return this.hostname.startsWith('*.') && hostname.endsWith(this.hostname.slice(1)) && hostname.length > this.hostname.length - 1;
  }
}

/** Options of {@link GatewayApiIngress.expose}. */
export interface GatewayExposeOptions {
  /** Host the service answers on outside the cluster (`shop.example.com`, or `*.example.com`). */
  readonly hostname: string;
  /** Requests whose path starts with this prefix (whole segments) go to the service. @default '/' */
  readonly pathPrefix?: string;
  /** The service's port the requests go to. @default - the service's first port */
  readonly port?: number;
  /** Listeners (by name) the route attaches to. @default - every listener that admits the hostname */
  readonly listeners?: string[];
  /** Name of the HTTPRoute, in the service's namespace. @default `<gateway name>-<service name>` */
  readonly routeName?: string;
}

/** Props of a {@link GatewayApiIngress}. */
export interface GatewayApiIngressProps extends GatewayServiceSettings {
  /**
   * Namespace of the Gateway and of the Deployment and Service istiod creates for it. Its pods are
   * labelled `sidecar.istio.io/inject: "false"` by istiod, so the namespace's injection label does
   * not matter.
   * @default - a new namespace `istio-ingress` without injection label
   */
  readonly namespace?: MeshNamespace;
  /** Name of the Gateway; istiod names its Deployment and Service `<name>-istio`. @default 'ingress' */
  readonly name?: string;
  /** Listeners of the Gateway. @default - one HTTP listener on port 80 */
  readonly listeners?: GatewayListener[];
  /**
   * Control plane revision, or revision tag, that deploys and configures the gateway (`istio.io/rev`
   * label of the Gateway; istiod honours its tags there too).
   * @default - the default revision
   */
  readonly revision?: string;
  /**
   * Labels of the Gateway's infrastructure (`spec.infrastructure.labels`): istiod copies them
   * onto every object it generates, pods included.
   * @default - none
   */
  readonly infrastructureLabels?: Record<string, string>;
  /** Annotations istiod copies onto every object it generates (`spec.infrastructure.annotations`). @default - none */
  readonly infrastructureAnnotations?: Record<string, string>;
  /** Fewest gateway pods. @default 2 */
  readonly minReplicas?: number;
  /** Most gateway pods. @default 5 */
  readonly maxReplicas?: number;
  /** Average CPU use, in percent of the request, the autoscaler keeps the pods at. @default 80 */
  readonly targetCpuUtilizationPercent?: number;
  /** Pods a voluntary disruption may take down. @default GatewayDisruptionBudget.minAvailable(1) */
  readonly disruptionBudget?: GatewayDisruptionBudget;
  /** CPU and memory of the proxy. @default - 100m/128Mi requested, 2000m/1024Mi limit, as the injected gateway */
  readonly resources?: GatewayResources;
  /** Nodes, tolerations and spread of the gateway pods. @default - any node, spread over nodes and zones where possible */
  readonly placement?: GatewayPlacement;
  /**
   * Answer every plain HTTP request with a `301` redirect to HTTPS: the HTTP listeners get one
   * HTTPRoute in the gateway's namespace that redirects, and {@link GatewayApiIngress.expose}
   * attaches services to the HTTPS listeners only. Needs an HTTPS listener.
   * @default false
   */
  readonly redirectHttpToHttps?: boolean;
}

/**
 * Istio's recommended ingress: a Gateway API `Gateway` of class `istio`, which istiod deploys
 * itself (a Deployment, Service, ServiceAccount, and with the parameters here an autoscaler and
 * a disruption budget, all named `<name>-istio`), configured through the Gateway's
 * `spec.infrastructure.parametersRef` ConfigMap with Istio's customization keys.
 *
 * Services are exposed with {@link expose}: each gets an HTTPRoute in its own namespace, whose
 * team owns it, attached to this Gateway; the listeners admit routes from exactly the namespaces
 * of exposed services (and the gateway's own). A certificate Secret in another namespace gets a
 * ReferenceGrant there.
 *
 * The Gateway API CRDs are not installed by Istio: they must be in the cluster before the output's
 * mesh phase is applied.
 */
export class GatewayApiIngress extends Construct implements ICaller {
  public readonly name: string;
  public readonly namespace: MeshNamespace;
  /** Name of the Deployment and Service istiod creates for the Gateway: `<name>-istio`. */
  public readonly serviceName: string;
  /** The gateway's namespace, where its pods run. */
  public get namespaceName(): string {
    return this.namespace.name;
  }

  /** The ServiceAccount istiod creates for the gateway's pods: `<name>-istio`, as its Deployment and Service. */
  public get callerServiceAccountName(): string {
    return this.serviceName;
  }

  /** Labels of the gateway pods (istiod's `gateway.networking.k8s.io/gateway-name` label). */
  public readonly selectorLabels: Readonly<Record<string, string>>;
  public readonly listeners: readonly GatewayListener[];
  /** The generated Gateway. */
  public readonly resource: ApiObject;
  private readonly routes = new Map<string, ApiObject>();
  /** Namespaces each listener admits routes from, by listener name: the gateway's and those of routes attached to it. */
  private readonly routeNamespaces = new Map<string, Set<string>>();
  /** Whether the HTTP listeners only redirect to HTTPS, so that services attach to the HTTPS listeners. */
  private readonly redirectsHttp: boolean;

  constructor(scope: Construct, id: string, props: GatewayApiIngressProps = {}) {
    super(scope, id);
    this.name = props.name ?? 'ingress';
    assertDnsLabel('gateway name', this.name);
    // istiod's objects are `<name>-istio`, and a Service name is a DNS label.
    this.serviceName = `${this.name}-${ISTIO_GATEWAY_CLASS}`;
    assertDnsLabel(`gateway name (istiod names its Service ${this.serviceName})`, this.serviceName);
    if (props.revision !== undefined) {
      assertDnsLabel('revision', props.revision);
    }
    this.listeners = props.listeners ?? [GatewayListener.http()];
    assertListeners(this.listeners);
    const minReplicas = props.minReplicas ?? 2;
    const maxReplicas = props.maxReplicas ?? 5;
    const targetCpuUtilizationPercent = props.targetCpuUtilizationPercent ?? 80;
    const budget = props.disruptionBudget ?? GatewayDisruptionBudget.minAvailable(1);
    assertReplicas(minReplicas, maxReplicas, targetCpuUtilizationPercent, budget);
    const resources = resourceQuantities(props.resources ?? {});
    const service = gatewayServiceFields(props);
    assertLabels('infrastructureLabels', props.infrastructureLabels);
    assertAnnotationKeys('infrastructureAnnotations', props.infrastructureAnnotations);
    this.redirectsHttp = props.redirectHttpToHttps ?? false;
    const redirectPort = this.redirectsHttp ? httpsRedirectPort(this.listeners) : undefined;

    this.namespace = props.namespace ?? new MeshNamespace(this, 'Namespace', { name: 'istio-ingress' });
    const namespace = this.namespace.name;
    this.selectorLabels = { [GATEWAY_NAME_LABEL]: this.name };
    const placement = podPlacement(props.placement ?? {}, this.selectorLabels);
    for (const listener of this.listeners) {
      this.routeNamespaces.set(listener.name, new Set([namespace]));
    }

    // Istio's customization keys: each is a strategic merge patch of the object istiod generates;
    // the autoscaler and disruption budget are generated only when their key is present.
    const parametersName = `${this.name}-gateway-options`;
    new k8s.KubeConfigMap(this, 'Parameters', {
      metadata: { name: parametersName, namespace },
      data: {
        deployment: toYaml({ spec: { template: { spec: defined({ ...podPlacementJson(placement), containers: [{ name: 'istio-proxy', resources }] }) } } }),
        horizontalPodAutoscaler: toYaml({
          spec: {
            minReplicas,
            maxReplicas,
            metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: targetCpuUtilizationPercent } } }],
          },
        }),
        podDisruptionBudget: toYaml({
          spec: budget.minAvailablePods !== undefined ? { minAvailable: budget.minAvailablePods } : { maxUnavailable: budget.maxUnavailablePods },
        }),
        service: toYaml(defined({
          metadata: service.annotations && { annotations: service.annotations },
          spec: service.spec,
        })),
      },
    });

    // Each listener admits routes from exactly the namespaces whose routes attach to it.
    const allowedRoutes = (listener: GatewayListener) => ({
      namespaces: Lazy.any({
        produce: () => ({
          from: 'Selector',
          selector: {
            matchExpressions: [{ key: 'kubernetes.io/metadata.name', operator: 'In', values: [...this.routeNamespaces.get(listener.name)!].sort() }],
          },
        }),
      }),
    });
    this.resource = new Gateway(this, 'Resource', {
      metadata: {
        name: this.name,
        namespace,
        // The revision's istiod is the one that deploys and programs the gateway.
        labels: props.revision === undefined ? undefined : { 'istio.io/rev': props.revision },
      },
      spec: {
        gatewayClassName: ISTIO_GATEWAY_CLASS,
        infrastructure: {
          labels: props.infrastructureLabels && sortedRecord(props.infrastructureLabels),
          annotations: props.infrastructureAnnotations && sortedRecord(props.infrastructureAnnotations),
          parametersRef: { group: '', kind: 'ConfigMap', name: parametersName },
        },
        listeners: this.listeners.map((listener) => ({
          name: listener.name,
          port: listener.port,
          protocol: listener.protocol,
          hostname: listener.hostname,
          tls: listener.certificate && {
            mode: 'Terminate',
            certificateRefs: [{
              group: '',
              kind: 'Secret',
              name: listener.certificate.secretName,
              namespace: listener.certificate.namespace,
            }],
          },
          allowedRoutes: allowedRoutes(listener) as any,
        })) as any,
      },
    });

    this.grantCertificates(namespace);
    if (redirectPort !== undefined) {
      this.redirectToHttps(namespace, redirectPort);
    }
    for (const listener of this.listeners) {
      if (listener.certificate) {
        MeshWarnings.of(this).add(this, {
          code: MeshWarningCode.GATEWAY_CERTIFICATE_SECRET,
          message: `the HTTPS listener ${listener.name} of Gateway ${namespace}/${this.name} serves the certificate of Secret `
            + `${listener.certificate.namespace ?? namespace}/${listener.certificate.secretName}, which the output does not contain`,
          fix: 'create it before the listener is needed (a cert-manager Certificate, or kubectl create secret tls); until it exists the listener is not programmed',
        });
      }
    }
    MeshWarnings.of(this).add(this, {
      code: MeshWarningCode.GATEWAY_API_CRDS,
      message: 'the Gateway API CRDs (gateway.networking.k8s.io) are not installed by Istio or by this output',
      fix: 'install the Gateway API v1.5.1 standard channel CRDs (kubectl apply --server-side -f https://github.com/kubernetes-sigs/gateway-api/releases/download/v1.5.1/standard-install.yaml) before the mesh phase',
    });
  }

  /** The gateway's Service inside the cluster, on the first listener's port. */
  public get endpoint(): ServiceEndpoint {
    return new ServiceEndpoint({ serviceName: this.serviceName, namespace: this.namespace.name, port: this.listeners[0].port });
  }

  /**
   * Exposes `service` on `hostname`: an HTTPRoute in the service's namespace with this Gateway as
   * parent, and that namespace admitted by the listeners.
   *
   * @throws if no listener admits the hostname, or the route name is taken
   */
  public expose(service: MeshService, options: GatewayExposeOptions): ApiObject {
    assertHostname('hostname', options.hostname);
    const pathPrefix = options.pathPrefix ?? '/';
    assertPathPrefix(pathPrefix);
    const backend = service.endpoint(options.port);
    // The route makes the gateway a caller of the service; its policy allows it once authorization is on.
    service.acceptCallsFrom(this);
    const routeName = options.routeName ?? `${this.name}-${service.name}`;
    assertDnsSubdomain('routeName', routeName);
    const key = `${service.namespaceName}/${routeName}`;
    if (this.routes.has(key)) {
      throw new Error(`routeName ${routeName} is taken in namespace ${service.namespaceName}: give this exposure of ${service.name} its own routeName`);
    }
    const listeners = this.selectListeners(options);
    const admitting = listeners.filter((listener) => listener.admits(options.hostname));
    if (admitting.length === 0) {
      throw new Error(`hostname ${options.hostname} is admitted by none of the listeners it would attach to (${listeners.map(describeListener).join(', ')}): `
        + 'use a hostname below a listener\'s, or add a listener for it');
    }
    admitting.forEach((listener) => this.routeNamespaces.get(listener.name)!.add(service.namespaceName));
    const route = new HttpRoute(this, `Route-${service.namespaceName}-${routeName}`, {
      metadata: { name: routeName, namespace: service.namespaceName },
      spec: {
        // Without sectionName the route attaches to every listener, so a new listener needs no route edit.
        parentRefs: admitting.length === this.listeners.length
          ? [{ group: GATEWAY_API_GROUP, kind: 'Gateway', name: this.name, namespace: this.namespace.name }]
          : admitting.map((listener) => ({ group: GATEWAY_API_GROUP, kind: 'Gateway', name: this.name, namespace: this.namespace.name, sectionName: listener.name })),
        hostnames: [options.hostname],
        rules: [{
          matches: [{ path: { type: 'PathPrefix', value: pathPrefix } }],
          backendRefs: [{ group: '', kind: 'Service', name: backend.serviceName, port: backend.port }],
        }],
      } as any,
    });
    this.routes.set(key, route);
    return route;
  }

  private selectListeners(options: GatewayExposeOptions): GatewayListener[] {
    const serving = this.listeners.filter((listener) => !this.redirectsHttp || listener.protocol === 'HTTPS');
    if (options.listeners === undefined) {
      return serving;
    }
    if (options.listeners.length === 0) {
      throw new Error('listeners must name at least one listener, or be left out for every listener');
    }
    return options.listeners.map((name) => {
      const listener = this.listeners.find((candidate) => candidate.name === name);
      if (!listener) {
        throw new Error(`listeners: the Gateway has no listener ${name} (its listeners: ${this.listeners.map((l) => l.name).join(', ')})`);
      }
      if (!serving.includes(listener)) {
        throw new Error(`listeners: ${name} is an HTTP listener, which only redirects to HTTPS (redirectHttpToHttps): attach the service to an HTTPS listener (${serving.map((l) => l.name).join(', ')})`);
      }
      return listener;
    });
  }

  /**
   * One HTTPRoute on the HTTP listeners, in the gateway's namespace, that answers any host and path
   * with a 301 to the same URL over HTTPS, so no service is reachable unencrypted.
   */
  private redirectToHttps(namespace: string, httpsPort: number): void {
    const httpListeners = this.listeners.filter((listener) => listener.protocol === 'HTTP');
    new HttpRoute(this, 'HttpsRedirect', {
      metadata: { name: `${this.name}-https-redirect`, namespace },
      spec: {
        parentRefs: httpListeners.map((listener) => ({ group: GATEWAY_API_GROUP, kind: 'Gateway', name: this.name, namespace, sectionName: listener.name })),
        rules: [{
          filters: [{
            type: 'RequestRedirect',
            // Without a port the Gateway API redirects to the scheme's well-known port, 443.
            requestRedirect: { scheme: 'https', statusCode: 301, port: httpsPort === 443 ? undefined : httpsPort },
          }],
        }],
      } as any,
    });
  }

  /** One ReferenceGrant per other namespace holding certificates: it lets this Gateway read exactly those Secrets. */
  private grantCertificates(namespace: string): void {
    const secretsByNamespace = new Map<string, Set<string>>();
    for (const listener of this.listeners) {
      const certificate = listener.certificate;
      if (certificate?.namespace !== undefined && certificate.namespace !== namespace) {
        secretsByNamespace.set(certificate.namespace, new Set([...secretsByNamespace.get(certificate.namespace) ?? [], certificate.secretName]));
      }
    }
    for (const [secretNamespace, secrets] of [...secretsByNamespace].sort(([a], [b]) => (a < b ? -1 : 1))) {
      new ReferenceGrant(this, `CertificateGrant-${secretNamespace}`, {
        metadata: { name: `${namespace}-${this.name}-certificates`, namespace: secretNamespace },
        spec: {
          from: [{ group: GATEWAY_API_GROUP, kind: 'Gateway', namespace }],
          to: [...secrets].sort().map((name) => ({ group: '', kind: 'Secret', name })),
        },
      });
    }
  }
}

/**
 * The port plain HTTP requests are redirected to: the HTTPS listeners'.
 * @throws without HTTP or HTTPS listeners, or with HTTPS listeners on several ports
 */
function httpsRedirectPort(listeners: readonly GatewayListener[]): number {
  const httpsPorts = [...new Set(listeners.filter((listener) => listener.protocol === 'HTTPS').map((listener) => listener.port))];
  if (!listeners.some((listener) => listener.protocol === 'HTTP')) {
    throw new Error('redirectHttpToHttps needs an HTTP listener to redirect from: add GatewayListener.http(), or leave redirectHttpToHttps out');
  }
  if (httpsPorts.length === 0) {
    throw new Error('redirectHttpToHttps needs an HTTPS listener to redirect to: add GatewayListener.https({ certificateSecretName }), or leave redirectHttpToHttps out');
  }
  if (httpsPorts.length > 1) {
    throw new Error(`redirectHttpToHttps redirects to one port, but the HTTPS listeners take ${httpsPorts.join(' and ')}: put them on one port, or leave redirectHttpToHttps out`);
  }
  return httpsPorts[0];
}

function describeListener(listener: GatewayListener): string {
  return `${listener.name} (${listener.hostname ?? 'any host'})`;
}

function assertListeners(listeners: readonly GatewayListener[]): void {
  if (listeners.length === 0) {
    throw new Error('listeners must hold at least one listener (GatewayListener.http() or GatewayListener.https(...))');
  }
  const names = new Set<string>();
  const ports = new Map<string, GatewayListener>();
  for (const listener of listeners) {
    if (names.has(listener.name)) {
      throw new Error(`listeners: two listeners are named ${listener.name}; listener names must be unique`);
    }
    names.add(listener.name);
    // The Gateway API refuses two listeners with the same port, protocol and hostname.
    const key = `${listener.port}/${listener.protocol}/${listener.hostname ?? ''}`;
    const other = ports.get(key);
    if (other) {
      throw new Error(`listeners: ${other.name} and ${listener.name} both take ${listener.protocol} on port ${listener.port} for ${listener.hostname ?? 'any host'}: give one another port or hostname`);
    }
    ports.set(key, listener);
  }
}

function toYaml(value: unknown): string {
  return yaml.dump(value, { sortKeys: true, lineWidth: -1 });
}


