import { ExternalEndpoint } from '../core/endpoint';
import { assertLabels } from '../core/names';
import { ServiceEndpoint } from '../core/service-endpoint';
import { IGrafanaBackend } from './grafana-backend';

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
  /** URL users open in a browser. @default - none */
  readonly externalUrl?: string;
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
    return new ExistingGrafana(endpoint, namespace, props.instanceSelectorLabels ?? { dashboards: 'grafana' }, props.externalUrl);
  }

  private constructor(
    public readonly internalEndpoint: ServiceEndpoint,
    public readonly namespace: string,
    public readonly instanceSelectorLabels: Readonly<Record<string, string>>,
    public readonly externalUrl: string | undefined,
  ) {}
}
