import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { GrafanaDashboard } from '../../imports/grafana-dashboard-grafana.integreatly.org';
import { assertDnsLabel } from '../core/names';
import { recordInputFile } from '../output/input-files';
import { PrometheusDatasource } from './prometheus-datasource';
import { JsonDashboardOptions } from './sidecar-dashboards';

/** Props of {@link GrafanaJsonDashboards}. */
export interface GrafanaJsonDashboardsProps {
  /** The Prometheus data source the dashboards query; they go to its Grafana and namespace. */
  readonly datasource: PrometheusDatasource;
  /** Grafana folder the dashboards appear in. @default 'Istio' */
  readonly folder?: string;
  /** The dashboards. @default - none; add them with `addDashboard` */
  readonly dashboards?: readonly JsonDashboardOptions[];
}

/**
 * Dashboards from JSON models (files the user provides) as grafana-operator `GrafanaDashboard`
 * objects with the JSON inline (`spec.json`): nothing is fetched from grafana.com, so they work
 * air-gapped. Each data source input of the model (`DS_PROMETHEUS`) is mapped to the data source.
 */
export class GrafanaJsonDashboards extends Construct {
  /** Grafana folder of the dashboards. */
  public readonly folder: string;
  private readonly datasource: PrometheusDatasource;
  private readonly byName = new Map<string, ApiObject>();

  constructor(scope: Construct, id: string, props: GrafanaJsonDashboardsProps) {
    super(scope, id);
    this.datasource = props.datasource;
    this.folder = props.folder ?? 'Istio';
    if (this.folder.trim() === '') {
      throw new Error("folder must not be empty: it is the Grafana folder title, e.g. 'Istio'");
    }
    (props.dashboards ?? []).forEach((dashboard) => this.addDashboard(dashboard));
  }

  /** Names of the `GrafanaDashboard` objects, in the order they were added. */
  public get dashboardNames(): string[] {
    return [...this.byName.keys()];
  }

  /**
   * Adds a dashboard.
   * @throws if `name` is not a DNS-1123 label or is taken
   */
  public addDashboard(options: JsonDashboardOptions): ApiObject {
    assertDnsLabel('dashboard name', options.name);
    if (this.byName.has(options.name)) {
      throw new Error(`a dashboard named '${options.name}' is already in ${this.node.path}: give the new one another name`);
    }
    if (options.json.file !== undefined) {
      recordInputFile(this, options.json.file);
    }
    const inputs = options.json.datasourceInputs;
    const dashboard = new GrafanaDashboard(this, options.name, {
      metadata: { name: options.name, namespace: this.datasource.namespace },
      spec: {
        instanceSelector: { matchLabels: { ...this.datasource.instanceSelectorLabels } },
        folder: this.folder,
        json: options.json.toJsonString(),
        datasources: inputs.length > 0 ? inputs.map((inputName) => ({ inputName, datasourceName: this.datasource.datasourceName })) : undefined,
      },
    });
    this.byName.set(options.name, dashboard);
    return dashboard;
  }
}
