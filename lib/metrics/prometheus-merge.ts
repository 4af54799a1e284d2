import { IstioSpecValuesMeshConfig } from '../../imports/sail-istio-sailoperator.io';

/**
 * Istio's metrics merging (`meshConfig.enablePrometheusMerge`): whether the injector annotates
 * pods with `prometheus.io/*` so that an annotation-driven Prometheus job scrapes the proxy and
 * the application together on the agent's `:15020/stats/prometheus`. Hand the fragment to the
 * control plane's meshConfig.
 */
export class PrometheusMerge {
  /**
   * Istio's default. Suits a Prometheus that scrapes by `prometheus.io` annotations; alongside the
   * `envoy-stats` job, such a Prometheus would collect the proxy's metrics twice.
   */
  public static readonly ENABLED = new PrometheusMerge(true);
  /**
   * The proxies are scraped only by the `envoy-stats` job or PodMonitor, on their own port;
   * application metrics need their own scrape configuration.
   */
  public static readonly DISABLED = new PrometheusMerge(false);

  private constructor(public readonly enabled: boolean) {}

  /** The meshConfig fragment, e.g. for `controlPlane.addMeshConfig(...)`. */
  public get meshConfigFragment(): IstioSpecValuesMeshConfig {
    return { enablePrometheusMerge: this.enabled };
  }
}
