import * as yaml from 'js-yaml';
import { IstioSpecValuesMeshConfig } from '../../imports/sail-istio-sailoperator.io';
import { IstioVersion } from './istio-version';

/** Istio 1.25 turned istiod's address allocation for ServiceEntries (PILOT_ENABLE_IP_AUTOALLOCATE) on by default. */
function istiodAllocates(istioVersion: IstioVersion): boolean {
  return istioVersion.isAtLeast(1, 25);
}

/** Istio's proxy DNS settings, as set through the proxy's metadata environment. */
export interface DnsProxyOptions {
  /**
   * The sidecar answers the app's DNS queries itself (`ISTIO_META_DNS_CAPTURE`), so that hosts
   * known only to the mesh (ServiceEntries) resolve and lookups of cluster services stay local.
   * @default true
   */
  readonly captureDns?: boolean;
  /**
   * ServiceEntry hosts without an address get a virtual IP, so that TCP services sharing a port
   * can be told apart. Needs `captureDns`. From Istio 1.25 istiod allocates them (into the
   * ServiceEntry's status) unless its `PILOT_ENABLE_IP_AUTOALLOCATE` is `false`, which the proxy
   * setting cannot undo, so the mesh-wide option sets istiod's environment; before 1.25 the
   * sidecar allocates them (`ISTIO_META_DNS_AUTO_ALLOCATE`).
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
   * The meshConfig fragment that turns DNS proxying on (or off) for every sidecar. From Istio 1.25
   * address allocation is istiod's ({@link istiodEnv}), and the fragment only sets DNS capture.
   * @param istioVersion the release the mesh runs
   * @throws if addresses are auto-allocated without DNS capture
   */
  public static meshConfig(options: DnsProxyOptions = {}, istioVersion: IstioVersion = IstioVersion.LATEST): IstioSpecValuesMeshConfig {
    const captureDns = options.captureDns ?? true;
    const autoAllocateAddresses = options.autoAllocateAddresses ?? true;
    const proxyMetadata = DnsProxy.proxyMetadata('dnsProxy', { captureDns, autoAllocateAddresses }, istioVersion);
    return { defaultConfig: { proxyMetadata } };
  }

  /**
   * istiod's environment for the options (`values.pilot.env`): from Istio 1.25 istiod allocates
   * the addresses itself (`PILOT_ENABLE_IP_AUTOALLOCATE`, on by default, and off under
   * `compatibilityVersion: 1.24`), and a proxy that captures DNS uses them whatever its own
   * `ISTIO_META_DNS_AUTO_ALLOCATE` says; so the setting is written out either way. Nothing before 1.25.
   * @param istioVersion the release the mesh runs
   */
  public static istiodEnv(options: DnsProxyOptions = {}, istioVersion: IstioVersion = IstioVersion.LATEST): Record<string, string> | undefined {
    if (!istiodAllocates(istioVersion)) {
      return undefined;
    }
    return { PILOT_ENABLE_IP_AUTOALLOCATE: String(options.autoAllocateAddresses ?? true) };
  }

  /**
   * Pod template annotations that override the mesh-wide DNS proxy setting for one workload; only
   * the settings given are overridden. Put them on `spec.template.metadata.annotations`. From
   * Istio 1.25 `autoAllocateAddresses` here is the sidecar's own allocation: `true` still works
   * where istiod's is off, `false` cannot turn istiod's off for one workload (capturing DNS does
   * use istiod's addresses; `captureDns: false` opts the workload out).
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

  private static proxyMetadata(field: string, options: DnsProxyOptions, istioVersion?: IstioVersion): Record<string, string> {
    if (options.autoAllocateAddresses === true && options.captureDns === false) {
      throw new Error(`${field}: autoAllocateAddresses needs captureDns (the allocated addresses are only handed out by the DNS proxy), got captureDns false`);
    }
    const metadata: Record<string, string> = {};
    if (options.captureDns !== undefined) {
      metadata.ISTIO_META_DNS_CAPTURE = String(options.captureDns);
    }
    // Mesh-wide from 1.25 the allocation is istiod's (istiodEnv); the sidecar's flag would only
    // add its own, older allocation on top.
    const istiodOwnsAllocation = istioVersion !== undefined && istiodAllocates(istioVersion);
    if (options.autoAllocateAddresses !== undefined && !istiodOwnsAllocation) {
      metadata.ISTIO_META_DNS_AUTO_ALLOCATE = String(options.autoAllocateAddresses);
    }
    return metadata;
  }

  private constructor() {}
}
