import { ApiObject, Duration } from 'cdk8s';
import { Construct } from 'constructs';
import { GrafanaDatasource } from '../../imports/grafana-datasource-grafana.integreatly.org';
import { assertDnsLabel } from '../core/names';
import { IPrometheusBackend } from '../metrics/prometheus-backend';
import { prometheusDuration } from '../metrics/prometheus-duration';
import { declareExistingBackends } from '../validation/existing-backends';
import { IGrafanaBackend } from './grafana-backend';

/** Props of a {@link PrometheusDatasource}. */
export interface PrometheusDatasourceProps {
  /** The Grafana that gets the data source; it goes to the Grafana's namespace. */
  readonly grafana: IGrafanaBackend;
  /** The Prometheus queried. */
  readonly prometheus: IPrometheusBackend;
  /** Name of the data source inside Grafana, which dashboards map their inputs to. @default 'Prometheus' */
  readonly datasourceName?: string;
  /** Name of the `GrafanaDatasource` object. @default 'prometheus' */
  readonly name?: string;
  /** Whether this is Grafana's default data source. @default true */
  readonly isDefault?: boolean;
  /**
   * The Prometheus scrape interval, which Grafana uses as the smallest query step
   * (`jsonData.timeInterval`). @default Duration.seconds(15)
   */
  readonly scrapeInterval?: Duration;
}

/**
 * A Prometheus data source in a grafana-operator Grafana: a `GrafanaDatasource` (id 'Resource')
 * whose URL is the Prometheus' query endpoint and whose `instanceSelector` is the Grafana's labels.
 */
export class PrometheusDatasource extends Construct {
  /** The Grafana holding the data source. */
  public readonly grafana: IGrafanaBackend;
  /** Name of the data source inside Grafana. */
  public readonly datasourceName: string;
  /** Namespace of the `GrafanaDatasource` (the Grafana's). */
  public readonly namespace: string;
  /** URL Grafana queries. */
  public readonly url: string;
  /** The generated `GrafanaDatasource`. */
  public readonly resource: ApiObject;

  constructor(scope: Construct, id: string, props: PrometheusDatasourceProps) {
    super(scope, id);
    const name = props.name ?? 'prometheus';
    assertDnsLabel('name', name);
    this.grafana = props.grafana;
    this.namespace = props.grafana.namespace;
    declareExistingBackends(this, props.prometheus, props.grafana);
    assertDnsLabel('grafana.namespace', this.namespace);
    this.datasourceName = props.datasourceName ?? 'Prometheus';
    if (this.datasourceName.trim() === '') {
      throw new Error("datasourceName must not be empty: dashboards map their inputs to it, e.g. 'Prometheus'");
    }
    this.url = props.prometheus.queryEndpoint.url();

    this.resource = new GrafanaDatasource(this, 'Resource', {
      metadata: { name, namespace: this.namespace },
      spec: {
        instanceSelector: { matchLabels: { ...props.grafana.instanceSelectorLabels } },
        datasource: {
          name: this.datasourceName,
          type: 'prometheus',
          // Grafana's server queries Prometheus, so the URL may be cluster-internal.
          access: 'proxy',
          url: this.url,
          isDefault: props.isDefault ?? true,
          jsonData: { timeInterval: prometheusDuration('scrapeInterval', props.scrapeInterval ?? Duration.seconds(15)) },
        },
      },
    });
  }

  /** Labels that select the Grafana, shared by everything added to it. */
  public get instanceSelectorLabels(): Readonly<Record<string, string>> {
    return this.grafana.instanceSelectorLabels;
  }
}
