import { ExternalEndpoint } from '../core/endpoint';
import { assertLabels } from '../core/names';
import { ServiceEndpoint } from '../core/service-endpoint';
import { IGrafanaBackend } from './grafana-backend';
import { GrafanaCredentials } from './grafana-credentials';

/** Props of {@link ExistingGrafana.inCluster}. */
export interface ExistingGrafanaProps {
  /** Namespace the Grafana runs in; the data source and dashboards go there too. @default 'grafana' */
  readonly namespace?: string;
  /**
   * Service in front of Grafana. grafana-operator names it `<Grafana name>-service`.
   * @default 'grafana-service' (grafana-operator, for a `Grafana` named `grafana`)
   */
  readonly serviceName?: string;
  /** Port of Grafana's HTTP server on that Service. @default 3000 */
  readonly port?: number;
  /**
   * Labels of the `Grafana` object that grafana-operator's `instanceSelector` matches.
   * @default { dashboards: 'grafana' } (grafana-operator's examples)
   */
  readonly instanceSelectorLabels?: Record<string, string>;
  /** URL users open in a browser, what Kiali links to. @default - none: Kiali cannot link to this Grafana */
  readonly externalUrl?: string;
  /**
   * How API clients such as Kiali authenticate to this Grafana's HTTP API (Kiali searches its
   * dashboards there): a key of a Secret in the client's namespace, created outside the app,
   * or `GrafanaCredentials.anonymous()` for a Grafana whose anonymous viewers may read dashboards.
   * Kiali needs it to link to this Grafana.
   * @default - none known: Kiali refuses to link to this Grafana
   */
  readonly apiCredentials?: GrafanaCredentials;
}

/**
 * A Grafana managed by grafana-operator that the app does not render. Data sources and
 * dashboards select it by its labels; Kiali links to it.
 */
export class ExistingGrafana implements IGrafanaBackend {
  /**
   * @throws if a name is not a DNS-1123 label, the port is out of range, or `externalUrl` is not
   * an absolute http(s) URL
   */
  public static inCluster(props: ExistingGrafanaProps = {}): ExistingGrafana {
    const namespace = props.namespace ?? 'grafana';
    const endpoint = new ServiceEndpoint({ serviceName: props.serviceName ?? 'grafana-service', namespace, port: props.port ?? 3000 });
    if (props.externalUrl !== undefined) {
      ExternalEndpoint.fromUrl('externalUrl', props.externalUrl);
    }
    assertLabels('instanceSelectorLabels', props.instanceSelectorLabels);
    return new ExistingGrafana(endpoint, namespace, props.instanceSelectorLabels ?? { dashboards: 'grafana' }, props.externalUrl, props.apiCredentials);
  }

  private constructor(
    public readonly internalEndpoint: ServiceEndpoint,
    public readonly namespace: string,
    public readonly instanceSelectorLabels: Readonly<Record<string, string>>,
    public readonly externalUrl: string | undefined,
    public readonly apiCredentials: GrafanaCredentials | undefined,
  ) {}
}
