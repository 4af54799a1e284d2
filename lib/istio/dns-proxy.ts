import * as yaml from 'js-yaml';
import { IstioSpecValuesMeshConfig } from '../../imports/sail-istio-sailoperator.io';

/** Istio's proxy DNS settings, as set through the proxy's metadata environment. */
export interface DnsProxyOptions {
  /**
   * The sidecar answers the app's DNS queries itself (`ISTIO_META_DNS_CAPTURE`), so that hosts
   * known only to the mesh (ServiceEntries) resolve and lookups of cluster services stay local.
   * @default true
   */
  readonly captureDns?: boolean;
  /**
   * The sidecar hands out virtual IPs for ServiceEntry hosts that have no address
   * (`ISTIO_META_DNS_AUTO_ALLOCATE`), so that TCP services sharing a port can be told apart.
   * Needs `captureDns`.
   * @default true
   */
  readonly autoAllocateAddresses?: boolean;
}

/** The pod template annotation Istio reads a per-workload ProxyConfig from. */
export const PROXY_CONFIG_ANNOTATION = 'proxy.istio.io/config';

/**
 * DNS proxying of the mesh's sidecars: mesh-wide through `meshConfig.defaultConfig.proxyMetadata`
 * (the control plane's `dnsProxy` prop), or per workload through the `proxy.istio.io/config`
 * annotation ({@link DnsProxy.podAnnotations}), which wins over the mesh-wide setting.
 */
export class DnsProxy {
  /**
   * The meshConfig fragment that turns DNS proxying on (or off) for every sidecar.
   * @throws if addresses are auto-allocated without DNS capture
   */
  public static meshConfig(options: DnsProxyOptions = {}): IstioSpecValuesMeshConfig {
    const captureDns = options.captureDns ?? true;
    const autoAllocateAddresses = options.autoAllocateAddresses ?? true;
    return { defaultConfig: { proxyMetadata: DnsProxy.proxyMetadata('dnsProxy', { captureDns, autoAllocateAddresses }) } };
  }

  /**
   * Pod template annotations that override the mesh-wide DNS proxy setting for one workload; only
   * the settings given are overridden. Put them on `spec.template.metadata.annotations`.
   * @throws if no setting is given, or addresses are auto-allocated without DNS capture
   */
  public static podAnnotations(options: DnsProxyOptions): Record<string, string> {
    if (options.captureDns === undefined && options.autoAllocateAddresses === undefined) {
      throw new Error('DnsProxy.podAnnotations needs captureDns or autoAllocateAddresses: an override without settings changes nothing');
    }
    // The annotation holds a ProxyConfig document; js-yaml quotes "true"/"false" so that they
    // stay strings, which is what proxyMetadata (a map of environment variables) requires.
    return { [PROXY_CONFIG_ANNOTATION]: yaml.dump({ proxyMetadata: DnsProxy.proxyMetadata('DnsProxy.podAnnotations', options) }) };
  }

  private static proxyMetadata(field: string, options: DnsProxyOptions): Record<string, string> {
    if (options.autoAllocateAddresses === true && options.captureDns === false) {
      throw new Error(`${field}: autoAllocateAddresses needs captureDns (the allocated addresses are only handed out by the DNS proxy), got captureDns false`);
    }
    const metadata: Record<string, string> = {};
    if (options.captureDns !== undefined) {
      metadata.ISTIO_META_DNS_CAPTURE = String(options.captureDns);
    }
    if (options.autoAllocateAddresses !== undefined) {
      metadata.ISTIO_META_DNS_AUTO_ALLOCATE = String(options.autoAllocateAddresses);
    }
    return metadata;
  }

  private constructor() {}
}
