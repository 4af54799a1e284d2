import { classifyHost } from './cluster-host';

/** The service one entry of `meshConfig.extensionProviders` sends to. */
export interface ExtensionProviderService {
  /** The provider's `name`, which Telemetry and AuthorizationPolicy select it by. */
  readonly provider: string;
  /** Its kind: the key of the entry that holds the service (`zipkin`, `envoyExtAuthzHttp`, ...). */
  readonly kind: string;
  /** The `service` as written: `[<namespace>/]<hostname>`. */
  readonly service: string;
  /** Namespace of the service: written before '/', or that of a Kubernetes service name; undefined for another host. */
  readonly namespace?: string;
  /** The host name istiod looks up in its service registry. */
  readonly hostname: string;
}

/**
 * Something that knows the mesh's extension providers (an `IstioControlPlane`): Sidecars must let
 * their proxies reach each provider's service, or istiod builds no cluster for it.
 */
export interface IExtensionProviderSource {
  /** The service of every extension provider, read at synthesis to see every contribution. */
  extensionProviderServices(): ExtensionProviderService[];
}

/**
 * The services of a meshConfig's `extensionProviders`: every `extensionProviders[*].<kind>.service`,
 * whatever the kind (zipkin, opentelemetry, envoyExtAuthzHttp/Grpc, envoyOtelAls, envoyHttpAls,
 * envoyTcpAls, skywalking, datadog, lightstep, ...); kinds without a service (prometheus,
 * envoyFileAccessLog, stackdriver) have none.
 */
export function extensionProviderServices(meshConfig: unknown): ExtensionProviderService[] {
  const providers = (meshConfig as { extensionProviders?: unknown } | null | undefined)?.extensionProviders;
  const services: ExtensionProviderService[] = [];
  for (const provider of Array.isArray(providers) ? providers : []) {
    if (provider === null || typeof provider !== 'object') {
      continue;
    }
    for (const [kind, settings] of Object.entries(provider as Record<string, unknown>)) {
      const service = (settings as { service?: unknown } | null)?.service;
      if (typeof service === 'string' && service !== '') {
        services.push({ provider: String((provider as { name?: unknown }).name), kind, service, ...parseProviderService(service) });
      }
    }
  }
  return services;
}

/**
 * Istio's form of a provider service, `[<Namespace>/]<Hostname>` (MeshConfig.ExtensionProvider):
 * istiod looks the host name up in its service registry, in the namespace when one is written
 * (needed only when the name alone is ambiguous), so the host is the fully qualified name of a
 * Kubernetes Service (`jaeger-collector.observability.svc.cluster.local`) or a ServiceEntry host.
 */
function parseProviderService(service: string): { namespace?: string; hostname: string } {
  const slash = service.indexOf('/');
  if (slash >= 0) {
    return { namespace: service.slice(0, slash), hostname: service.slice(slash + 1) };
  }
  const target = classifyHost(service);
  return target.inCluster ? { namespace: target.namespace, hostname: service } : { hostname: service };
}

/**
 * The Sidecar egress host that lets a proxy reach `service`: `<namespace>/<hostname>`; a
 * ServiceEntry host written without namespace may live in any, so its namespace part is `*`.
 */
export function extensionProviderEgressHost(service: ExtensionProviderService): string {
  return `${service.namespace ?? '*'}/${service.hostname}`;
}
