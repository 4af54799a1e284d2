import { ApiObject } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { assertDnsLabel, assertLabels } from '../core/names';
import { MeshValidation } from '../validation/mesh-validation';
import { recordInputFile } from '../output/input-files';
import { DashboardJson, MAX_CONFIGMAP_BYTES } from './dashboard-json';

/** A dashboard of {@link GrafanaSidecarDashboards} or {@link GrafanaJsonDashboards}. */
export interface JsonDashboardOptions {
  /** Name of the object (DNS-1123 label); the ConfigMap key is `<name>.json`. */
  readonly name: string;
  /** The dashboard's JSON model. */
  readonly json: DashboardJson;
}

/** Props of {@link GrafanaSidecarDashboards}. */
export interface GrafanaSidecarDashboardsProps {
  /**
   * Namespace of the ConfigMaps: one the Grafana's dashboard sidecar watches (its own, unless
   * `grafana.sidecar.dashboards.searchNamespace` says otherwise). It exists already: the
   * ConfigMaps are applied into it, it is not rendered.
   * @default 'monitoring'
   */
  readonly namespace?: string;
  /** Label the sidecar selects ConfigMaps by: `grafana.sidecar.dashboards.label`. @default 'grafana_dashboard' */
  readonly label?: string;
  /** Value of that label: `grafana.sidecar.dashboards.labelValue` (kube-prometheus-stack sets "1"). @default '1' */
  readonly labelValue?: string;
  /**
   * Annotation that names each dashboard's folder: `grafana.sidecar.dashboards.folderAnnotation`,
   * which takes effect with `grafana.sidecar.dashboards.provider.foldersFromFilesStructure: true`.
   * @default 'grafana_folder'
   */
  readonly folderAnnotation?: string;
  /** Grafana folder of the dashboards, the value of the folder annotation. @default 'Istio' */
  readonly folder?: string;
  /**
   * uid of the Grafana data source that replaces the data source inputs of grafana.com exports
   * (`${DS_PROMETHEUS}`). kube-prometheus-stack provisions its Prometheus with uid `prometheus`.
   * @default 'prometheus'
   */
  readonly datasourceUid?: string;
  /** The dashboards. @default - none; add them with `addDashboard` */
  readonly dashboards?: readonly JsonDashboardOptions[];
}

/**
 * Dashboards for a Grafana that provisions them from labelled ConfigMaps through its sidecar (the
 * Grafana of kube-prometheus-stack and of the grafana Helm chart): one ConfigMap per dashboard,
 * labelled for the sidecar, annotated with its folder, holding the dashboard's JSON model. No
 * grafana.com download happens in the cluster: the JSON is in the output, so it works air-gapped.
 */
export class GrafanaSidecarDashboards extends Construct {
  /** Namespace of the ConfigMaps. */
  public readonly namespace: string;
  /** Folder of the dashboards. */
  public readonly folder: string;
  private readonly label: string;
  private readonly labelValue: string;
  private readonly folderAnnotation: string;
  private readonly datasourceUid: string;
  private readonly byName = new Map<string, ApiObject>();

  constructor(scope: Construct, id: string, props: GrafanaSidecarDashboardsProps = {}) {
    super(scope, id);
    this.namespace = props.namespace ?? 'monitoring';
    assertDnsLabel('namespace', this.namespace);
    this.label = props.label ?? 'grafana_dashboard';
    this.labelValue = props.labelValue ?? '1';
    assertLabels('label and labelValue', { [this.label]: this.labelValue });
    this.folderAnnotation = props.folderAnnotation ?? 'grafana_folder';
    // An annotation key has the form of a label key.
    assertLabels('folderAnnotation', { [this.folderAnnotation]: '' });
    this.folder = props.folder ?? 'Istio';
    if (this.folder.trim() === '') {
      throw new Error("folder must not be empty: it is the Grafana folder the sidecar puts the dashboards in, e.g. 'Istio'");
    }
    this.datasourceUid = props.datasourceUid ?? 'prometheus';
    if (this.datasourceUid.trim() === '') {
      throw new Error("datasourceUid must not be empty: it is the uid of the Grafana data source the dashboards query, e.g. 'prometheus'");
    }
    // The namespace is the Grafana's, made by its own installation.
    MeshValidation.of(this).addExternalNamespaces(this.namespace);
    (props.dashboards ?? []).forEach((dashboard) => this.addDashboard(dashboard));
  }

  /** Names of the ConfigMaps, in the order they were added. */
  public get dashboardNames(): string[] {
    return [...this.byName.keys()];
  }

  /**
   * Adds a dashboard as a ConfigMap of its own.
   * @throws if `name` is not a DNS-1123 label or is taken, or the dashboard exceeds what a ConfigMap holds (1 MiB)
   */
  public addDashboard(options: JsonDashboardOptions): ApiObject {
    assertDnsLabel('dashboard name', options.name);
    if (this.byName.has(options.name)) {
      throw new Error(`a dashboard named '${options.name}' is already in ${this.node.path}: give the new one another name`);
    }
    if (options.json.file !== undefined) {
      recordInputFile(this, options.json.file);
    }
    const json = options.json.withDatasource(this.datasourceUid);
    const bytes = Buffer.byteLength(json, 'utf8');
    if (bytes > MAX_CONFIGMAP_BYTES) {
      throw new Error(`${options.json.source}: dashboard '${options.json.title}' is ${bytes} bytes of JSON, more than a ConfigMap holds (${MAX_CONFIGMAP_BYTES}): split it into several dashboards`);
    }
    const configMap = new k8s.KubeConfigMap(this, options.name, {
      metadata: {
        name: options.name,
        namespace: this.namespace,
        labels: { [this.label]: this.labelValue },
        annotations: { [this.folderAnnotation]: this.folder },
      },
      data: { [`${options.name}.json`]: json },
    });
    this.byName.set(options.name, configMap);
    return configMap;
  }
}
