import { ApiObject, Duration } from 'cdk8s';
import { Construct } from 'constructs';
import { GrafanaDashboard } from '../../imports/grafana-dashboard-grafana.integreatly.org';
import { assertDnsLabel } from '../core/names';
import { IstioVersion } from '../istio/istio-version';
import { goDuration } from '../metrics/prometheus-duration';
import { MeshWarningCode, MeshWarnings } from '../validation/mesh-warnings';
import { IstioDashboardRevisions } from './istio-dashboard-revisions';
import { PrometheusDatasource } from './prometheus-datasource';

/**
 * Istio's release tooling publishes its dashboards to grafana.com with one data source input of
 * this name, which grafana-operator fills in from `spec.datasources`.
 */
const ISTIO_DATASOURCE_INPUT = 'DS_PROMETHEUS';

/** A dashboard on grafana.com, by id and optionally revision. */
export interface GrafanaComDashboardOptions {
  /** Dashboard id, the number in `https://grafana.com/grafana/dashboards/<id>`. */
  readonly id: number;
  /** Revision to import. @default - the newest revision when the operator fetches it */
  readonly revision?: number;
  /** Name of the `GrafanaDashboard` object (DNS-1123 label). */
  readonly name: string;
}

/** One of the dashboards Istio publishes on grafana.com. */
export class IstioDashboard {
  /** Istio Mesh Dashboard: global request volume, success rate, services and workloads. */
  public static readonly MESH = new IstioDashboard(7639, 'istio-mesh');
  /** Istio Performance Dashboard: resource use of proxies and control plane. */
  public static readonly PERFORMANCE = new IstioDashboard(11829, 'istio-performance');
  /** Istio Service Dashboard: per-service request and TCP metrics. */
  public static readonly SERVICE = new IstioDashboard(7636, 'istio-service');
  /** Istio Workload Dashboard: per-workload inbound and outbound metrics. */
  public static readonly WORKLOAD = new IstioDashboard(7630, 'istio-workload');
  /** Istio Control Plane Dashboard: istiod health and xDS pushes. */
  public static readonly CONTROL_PLANE = new IstioDashboard(7645, 'istio-control-plane');
  /**
   * Istio Ztunnel Dashboard: the ambient node proxies' versions, resources, connections, bytes,
   * DNS and xDS (the id Istio's release publishes it under, `ztunnel-dashboard: 21306` in
   * istio/istio prow/release-commit.sh). Not in {@link all}: only ambient meshes run ztunnel. Its
   * grafana.com revisions are not those of the five, so it is pinned only with {@link withRevision}.
   */
  public static readonly ZTUNNEL = new IstioDashboard(21306, 'istio-ztunnel');

  /** The five dashboards of Istio's Grafana integration guide. */
  public static all(): IstioDashboard[] {
    return [IstioDashboard.MESH, IstioDashboard.PERFORMANCE, IstioDashboard.SERVICE, IstioDashboard.WORKLOAD, IstioDashboard.CONTROL_PLANE];
  }

  private constructor(
    /** grafana.com dashboard id. */
    public readonly id: number,
    /** Name of the `GrafanaDashboard` object. */
    public readonly name: string,
    /** Revision chosen with {@link withRevision}, if any; otherwise {@link IstioDashboards} pins the one of its Istio release. */
    public readonly revision?: number,
  ) {}

  /**
   * The same dashboard pinned to a grafana.com revision, so that a new Istio release's dashboard
   * arrives only when the app is changed.
   * @throws unless `revision` is a positive integer
   */
  public withRevision(revision: number): IstioDashboard {
    assertPositiveInteger(`revision of dashboard ${this.name}`, revision);
    return new IstioDashboard(this.id, this.name, revision);
  }
}

/** Props of {@link IstioDashboards}. */
export interface IstioDashboardsProps {
  /** The Prometheus data source the dashboards query; they go to its Grafana and namespace. */
  readonly datasource: PrometheusDatasource;
  /** The Istio dashboards to import. @default IstioDashboard.all() */
  readonly dashboards?: readonly IstioDashboard[];
  /**
   * The Istio release the dashboards show (`controlPlane.istioVersion`): each dashboard without a
   * revision of its own ({@link IstioDashboard.withRevision}) is pinned to the grafana.com
   * revision published with that release ({@link IstioDashboardRevisions}). Where none is known,
   * the dashboards follow grafana.com's newest revision, and the app warns.
   * @default IstioVersion.LATEST
   */
  readonly istioVersion?: IstioVersion;
  /** Grafana folder the dashboards appear in. @default 'Istio' */
  readonly folder?: string;
  /** How often the operator re-applies the dashboards. @default - the operator's default (10 minutes) */
  readonly resyncPeriod?: Duration;
}

/**
 * Istio's Grafana dashboards as grafana-operator `GrafanaDashboard` objects, imported from
 * grafana.com, with their Prometheus input mapped to the given data source and the same
 * `instanceSelector` as that data source. `addDashboard` imports more.
 */
export class IstioDashboards extends Construct {
  /** Grafana folder of the dashboards. */
  public readonly folder: string;
  /** Namespace of the dashboards (the Grafana's). */
  public readonly namespace: string;
  private readonly datasource: PrometheusDatasource;
  private readonly resyncPeriod?: string;
  private readonly byName = new Map<string, ApiObject>();

  constructor(scope: Construct, id: string, props: IstioDashboardsProps) {
    super(scope, id);
    this.datasource = props.datasource;
    this.namespace = props.datasource.namespace;
    this.folder = props.folder ?? 'Istio';
    if (this.folder.trim() === '') {
      throw new Error("folder must not be empty: it is the Grafana folder title, e.g. 'Istio'");
    }
    this.resyncPeriod = props.resyncPeriod && goDuration('resyncPeriod', props.resyncPeriod);
    const istioVersion = props.istioVersion ?? IstioVersion.LATEST;
    const published = IstioDashboardRevisions.publishedFor(istioVersion);
    const unpinned: IstioDashboard[] = [];
    const guideIds = new Set(IstioDashboard.all().map((dashboard) => dashboard.id));
    for (const dashboard of props.dashboards ?? IstioDashboard.all()) {
      // The published revision numbers the five of the guide, which Istio uploads together; the
      // ztunnel dashboard has revisions of its own, which this library does not know.
      const revision = dashboard.revision ?? (guideIds.has(dashboard.id) ? published : undefined);
      if (revision === undefined) {
        unpinned.push(dashboard);
      }
      this.addDashboard({ id: dashboard.id, name: dashboard.name, revision });
    }
    if (unpinned.length > 0) {
      const example = unpinned[0];
      // Istio uploads the five together, so one number pins them all.
      MeshWarnings.of(this).add(this, {
        code: MeshWarningCode.ISTIO_DASHBOARDS_UNPINNED,
        message: `Istio's dashboards ${unpinned.map((d) => `${d.name} (${d.id})`).join(', ')} in ${this.namespace} follow grafana.com's newest revision, `
          + `which may be the dashboard of a newer Istio release or of a release candidate: this library knows no verified revision for Istio ${istioVersion.minorVersion} `
          + `(it knows ${IstioDashboardRevisions.knownMinors().join(', ')})`,
        fix: `pin each to the revision whose description names Istio ${istioVersion} (https://grafana.com/grafana/dashboards/${example.id}?tab=revisions): `
          + 'dashboards: IstioDashboard.all().map((dashboard) => dashboard.withRevision(<revision>)), or add the release to IstioDashboardRevisions',
      });
    }
  }

  /** Names of the `GrafanaDashboard` objects, in the order they were added. */
  public get dashboardNames(): string[] {
    return [...this.byName.keys()];
  }

  /**
   * Imports a grafana.com dashboard whose Prometheus input is named `DS_PROMETHEUS` (as Istio's
   * are) into the same Grafana and folder.
   * @throws if `id` or `revision` is not a positive integer, `name` is not a DNS-1123 label, or a
   * dashboard of that name exists
   */
  public addDashboard(options: GrafanaComDashboardOptions): ApiObject {
    assertPositiveInteger(`id of dashboard ${options.name}`, options.id);
    if (options.revision !== undefined) {
      assertPositiveInteger(`revision of dashboard ${options.name}`, options.revision);
    }
    assertDnsLabel('dashboard name', options.name);
    if (this.byName.has(options.name)) {
      throw new Error(`a dashboard named '${options.name}' is already in ${this.node.path}: give the new one another name`);
    }
    const dashboard = new GrafanaDashboard(this, options.name, {
      metadata: { name: options.name, namespace: this.namespace },
      spec: {
        instanceSelector: { matchLabels: { ...this.datasource.instanceSelectorLabels } },
        folder: this.folder,
        grafanaCom: { id: options.id, revision: options.revision },
        datasources: [{ inputName: ISTIO_DATASOURCE_INPUT, datasourceName: this.datasource.datasourceName }],
        resyncPeriod: this.resyncPeriod,
      },
    });
    this.byName.set(options.name, dashboard);
    return dashboard;
  }
}

function assertPositiveInteger(field: string, value: number): void {
  if (!Number.isInteger(value) || value < 1) {
    throw new Error(`${field} must be a positive integer (grafana.com numbers dashboards and revisions from 1), got ${value}`);
  }
}
