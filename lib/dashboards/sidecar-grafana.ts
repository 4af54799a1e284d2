import { ExternalEndpoint } from '../core/endpoint';
import { ServiceEndpoint } from '../core/service-endpoint';
import { IGrafanaLink } from './grafana-backend';
import { GrafanaCredentials } from './grafana-credentials';

/** Props of {@link SidecarGrafana.inCluster}. */
export interface SidecarGrafanaProps {
  /** Namespace the Grafana runs in (kube-prometheus-stack's release namespace). @default 'monitoring' */
  readonly namespace?: string;
  /**
   * Service in front of Grafana: the grafana Helm chart names it `<release>-grafana`.
   * @default 'kube-prometheus-stack-grafana' (kube-prometheus-stack installed as release `kube-prometheus-stack`)
   */
  readonly serviceName?: string;
  /** Port of that Service, the chart's `grafana.service.port`. @default 80 */
  readonly port?: number;
  /** URL users open in a browser, what Kiali links to. @default - none: Kiali cannot link to this Grafana */
  readonly externalUrl?: string;
  /**
   * How API clients such as Kiali authenticate to this Grafana's HTTP API (Kiali searches its
   * dashboards there): a key of a Secret in the client's namespace, created outside the app (a
   * Grafana service account token with the Viewer role), or `GrafanaCredentials.anonymous()` for
   * a Grafana with `auth.anonymous` enabled.
   * @default - none known: Kiali refuses to link to this Grafana
   */
  readonly apiCredentials?: GrafanaCredentials;
}

/**
 * A Grafana that loads its dashboards from labelled ConfigMaps through its sidecar (the Grafana of
 * kube-prometheus-stack and of the grafana Helm chart), installed outside the app: what Kiali
 * links to, beside the {@link GrafanaSidecarDashboards} that reach it.
 *
 * ```ts
 * const grafana = SidecarGrafana.inCluster({ externalUrl: 'https://grafana.example.com', apiCredentials });
 * new Kiali(chart, 'kiali', { prometheus, grafana });
 * ```
 */
export class SidecarGrafana implements IGrafanaLink {
  /**
   * @throws if a name is not a DNS-1123 label, the port is out of range, or `externalUrl` is not
   * an absolute http(s) URL
   */
  public static inCluster(props: SidecarGrafanaProps = {}): SidecarGrafana {
    const namespace = props.namespace ?? 'monitoring';
    const endpoint = new ServiceEndpoint({ serviceName: props.serviceName ?? 'kube-prometheus-stack-grafana', namespace, port: props.port ?? 80 });
    if (props.externalUrl !== undefined) {
      ExternalEndpoint.fromUrl('externalUrl', props.externalUrl);
    }
    return new SidecarGrafana(endpoint, namespace, props.externalUrl, props.apiCredentials);
  }

  private constructor(
    public readonly internalEndpoint: ServiceEndpoint,
    public readonly namespace: string,
    public readonly externalUrl: string | undefined,
    public readonly apiCredentials: GrafanaCredentials | undefined,
  ) {}
}
