import * as yaml from 'js-yaml';
import { classifyHost, splitHostPort } from '../core/cluster-host';
import { ExtensionProviderService, extensionProviderEgressHost, extensionProviderServices } from '../core/extension-providers';
import { CrdSchemaValidator, Manifest, describeObject } from './crd-schema-validator';
import { installedObjects, installerFamily } from './installed-objects';

/** What a {@link MeshFinding} is about; the cdk8s validation plugin groups findings by it. */
export enum MeshRule {
  /** An object breaks the schema of its kind, or its kind has no known schema. */
  SCHEMA = 'schema',
  /** A namespaced object lives in a namespace that the output neither creates nor declares external. */
  NAMESPACE_EXISTS = 'namespace-exists',
  /** A Sidecar's egress host names a namespace that the output neither creates nor declares external. */
  SIDECAR_EGRESS_NAMESPACE = 'sidecar-egress-namespace',
  /** More than one Sidecar without workloadSelector in a namespace. */
  SIDECAR_DEFAULT_UNIQUE = 'sidecar-default-unique',
  /** A Sidecar's egress hosts leave out the service of an extension provider of the mesh config. */
  SIDECAR_EXTENSION_PROVIDER = 'sidecar-extension-provider',
  /** A namespace that hosts an injected gateway has injection disabled. */
  GATEWAY_INJECTION = 'gateway-injection',
  /** A URL or address in known configuration points at an in-cluster service the output does not define. */
  SERVICE_REFERENCE = 'service-reference',
  /** Two objects share API group, kind, namespace and name, so applying the output keeps only the last. */
  UNIQUE_OBJECT = 'unique-object',
  /**
   * An object the output renders is also created by an install resource of the output (an
   * IstioOperator's gateway or istiod, a Sail `Istio`'s istiod), or two install resources of one
   * installer create the same object: two owners overwrite each other's changes.
   */
  INSTALLED_OBJECT = 'installed-object',
  /**
   * Two scrape definitions of one namespace (prometheus-operator monitors, jobs of an
   * additional-scrape-configs Secret) select the same targets, so Prometheus scrapes them twice
   * under two `job` labels and every sum over them counts each sample twice.
   */
  DUPLICATE_SCRAPE = 'duplicate-scrape',
  /**
   * A ServiceMonitor for istiod does not copy the Service's `app` label onto the series, which
   * Istio's Control Plane and Performance dashboards select istiod by (`app="istiod"`).
   */
  ISTIOD_APP_LABEL = 'istiod-app-label',
  /**
   * A pod of an output that installs Istio for OpenShift asks for a fixed user or group id
   * (`runAsUser`, `runAsGroup`, `fsGroup`), which OpenShift's restricted-v2 SCC refuses: it
   * assigns each namespace's pods ids from the namespace's range.
   */
  OPENSHIFT_FIXED_IDS = 'openshift-fixed-ids',
  /**
   * A namespace, workload or Gateway selects a control plane revision or tag (`istio.io/rev`)
   * that none of the output's install resources runs, or a revision tag points at nothing: its
   * pods would start without a proxy (the injector of no revision matches them).
   */
  REVISION_EXISTS = 'revision-exists',
  /** An AuthorizationPolicy's selector matches no workload of its namespace, rendered or declared. */
  AUTHZ_SELECTOR = 'authz-selector',
  /** An AuthorizationPolicy names the principal of a service account that nothing renders or declares. */
  AUTHZ_PRINCIPAL = 'authz-principal',
  /** An AuthorizationPolicy allows a port that none of the workloads it selects listens on. */
  AUTHZ_PORT = 'authz-port',
  /**
   * An ambient namespace (`istio.io/dataplane-mode=ambient`) that also asks for sidecar injection
   * or has a Sidecar, or that no ztunnel of the output serves.
   */
  AMBIENT_NAMESPACE = 'ambient-namespace',
}

/**
 * A workload the output does not render (its manifests come with the app, as the services of a
 * SidecarScoping's namespaces do), told to the analysis with what AuthorizationPolicies refer to.
 */
export interface DeclaredWorkload {
  /** Namespace of the workload. */
  readonly namespace: string;
  /** Labels its pods carry (at least its Service's selector). */
  readonly podLabels: Readonly<Record<string, string>>;
  /** Ports its pods receive connections on (the Service's target ports). */
  readonly ports: readonly number[];
  /** The service account its pods run as. */
  readonly serviceAccountName: string;
}

/** One problem in the output, in the words of the check that found it. */
export interface MeshFinding {
  /** The check that found it. */
  readonly rule: MeshRule;
  /** `Kind/namespace/name` of the offending object. */
  readonly object: string;
  /** Dotted path of the offending field inside the object. */
  readonly path: string;
  /** What is wrong and how to fix it. */
  readonly message: string;
}

/** Options of {@link analyzeMesh}. */
export interface MeshAnalysisOptions {
  /**
   * Namespaces that exist in the cluster without being in this output (managed elsewhere).
   * Objects may live there, Sidecars may name them, and URLs into them are not checked further.
   * `default`, `kube-system`, `kube-public` and `kube-node-lease` exist in every cluster and need
   * not be listed.
   * @default - none
   */
  readonly externalNamespaces?: readonly string[];
  /**
   * Hosts that look like in-cluster `<service>.<namespace>` names but are not, e.g. a two-label
   * public domain `example.com` (or write it with a trailing dot: `example.com.`).
   * @default - none
   */
  readonly externalHosts?: readonly string[];
  /**
   * Workloads whose manifests are not in the output, for the AuthorizationPolicy checks: what
   * their selectors may select, the ports they may allow and the service accounts they may name.
   * @default - none
   */
  readonly declaredWorkloads?: readonly DeclaredWorkload[];
  /** Tells which custom resources are namespaced. @default CrdSchemaValidator.shared() */
  readonly crdValidator?: CrdSchemaValidator;
}

/** The Namespace label of the ambient data plane. */
const DATAPLANE_MODE = 'istio.io/dataplane-mode';
/** Istio profiles that install ztunnel. */
const AMBIENT_PROFILES: readonly unknown[] = ['ambient', 'openshift-ambient'];

/** Namespaces every Kubernetes cluster has. */
const BUILT_IN_NAMESPACES = ['default', 'kube-system', 'kube-public', 'kube-node-lease'];

/** Cluster-scoped kinds of the Kubernetes API (custom resources tell their scope by their CRD). */
const CLUSTER_SCOPED_CORE_KINDS = new Set([
  'Namespace', 'Node', 'PersistentVolume', 'ClusterRole', 'ClusterRoleBinding', 'CustomResourceDefinition',
  'MutatingWebhookConfiguration', 'ValidatingWebhookConfiguration', 'ValidatingAdmissionPolicy',
  'ValidatingAdmissionPolicyBinding', 'MutatingAdmissionPolicy', 'MutatingAdmissionPolicyBinding', 'APIService',
  'StorageClass', 'CSIDriver', 'CSINode', 'VolumeAttachment', 'PriorityClass', 'RuntimeClass', 'IngressClass',
  'CertificateSigningRequest', 'FlowSchema', 'PriorityLevelConfiguration',
]);

const WORKLOAD_KINDS = new Set(['apps/v1/Deployment', 'apps/v1/StatefulSet', 'apps/v1/DaemonSet', 'apps/v1/ReplicaSet']);

/** Sidecar egress namespace parts that name no namespace: this one, any, and none. */
const SIDECAR_NAMESPACE_WILDCARDS = new Set(['.', '*', '~']);

/** Services that operators create for their custom resources, keyed by `apiVersion/kind`. */
const OPERATOR_SERVICES: Record<string, (name: string, manifest: Manifest) => string[]> = {
  // jaeger-operator names its services after the Jaeger instance.
  'jaegertracing.io/v1/Jaeger': (name) => [`${name}-collector`, `${name}-collector-headless`, `${name}-query`, `${name}-agent`],
  // prometheus-operator governs the pods of all Prometheus (Alertmanager) instances of a namespace with one service.
  'monitoring.coreos.com/v1/Prometheus': () => ['prometheus-operated'],
  'monitoring.coreos.com/v1/Alertmanager': () => ['alertmanager-operated'],
  // grafana-operator v5 exposes a Grafana instance as `<name>-service`.
  'grafana.integreatly.org/v1beta1/Grafana': (name) => [`${name}-service`],
  // istiod deploys a Gateway of class istio as Deployment and Service `<name>-istio`.
  'gateway.networking.k8s.io/v1/Gateway': (name, manifest) => (spec(manifest).gatewayClassName === 'istio' ? [`${name}-istio`] : []),
};

/** ServiceAccounts that operators create for their custom resources, keyed by `apiVersion/kind`. */
const OPERATOR_SERVICE_ACCOUNTS: Record<string, (name: string, manifest: Manifest) => string[]> = {
  // istiod's gateway deployment controller runs a Gateway of class istio as `<name>-istio`, and a
  // waypoint (class istio-waypoint) under the Gateway's own name.
  'gateway.networking.k8s.io/v1/Gateway': (name, manifest) => {
    const gatewayClass = spec(manifest).gatewayClassName;
    return gatewayClass === 'istio' ? [`${name}-istio`] : gatewayClass === 'istio-waypoint' ? [name] : [];
  },
};

/** A principal as AuthorizationPolicies write it: `<trust domain>/ns/<namespace>/sa/<service account>`. */
const PRINCIPAL = /^[^/]+\/ns\/([^/]+)\/sa\/([^/]+)$/;

const DEFAULT_PORTS: Record<string, number> = { 'http:': 80, 'https:': 443 };

/**
 * Semantic checks of the output in the spirit of `istioctl analyze`, for what this library emits:
 * - no two objects share API group, kind, namespace and name (the API server knows them by that,
 *   whatever the version);
 * - nothing the output renders is also created by an install resource of the output (an
 *   IstioOperator's istiod and enabled gateways, the profile's included; a Sail `Istio`'s istiod,
 *   an `IstioCNI`'s node agent), and no two install resources of one installer create the same
 *   object;
 * - every namespaced object's namespace is in the output or declared external;
 * - Sidecar egress hosts name namespaces that are in the output or declared external;
 * - at most one Sidecar without workloadSelector per namespace;
 * - every Sidecar's egress hosts reach the service of every `meshConfig.extensionProviders` entry
 *   (of a Sail `Istio`, an `IstioOperator` or the `istio` ConfigMap): istiod builds no cluster for
 *   a provider outside a proxy's Sidecar scope, and Envoy rejects the listener that uses it;
 * - a namespace that hosts an injected gateway (`inject.istio.io/templates: gateway`) is not
 *   labelled `istio-injection=disabled`;
 * - URLs in Kiali's config (ConfigMap `config.yaml` or Kiali CR: `external_services.*.url` and
 *   `internal_url`), GrafanaDatasource `spec.datasource.url` and meshConfig tracing addresses and
 *   extension providers point at Services in the output (or created by an operator resource in
 *   it), on one of their ports; hosts not shaped `<service>.<namespace>[.svc...]` are external;
 * - no two scrape definitions in one namespace (PodMonitor and ServiceMonitor endpoints, jobs of
 *   a Secret holding additional scrape configs) select the same targets: the same role (pods or
 *   Service endpoints), port name, metrics path and namespaces, and label requirements of which
 *   one includes the other; definitions this cannot read (other relabelings) are left out;
 * - a ServiceMonitor that selects istiod's Services (`istio=pilot`) copies their `app` label
 *   (`targetLabels`), which Istio's dashboards select istiod by;
 * - in an output that installs Istio for OpenShift (a Sail `Istio` or `IstioCNI`, or an
 *   `IstioOperator`, with profile `openshift` or `values.global.platform: openshift`), no pod
 *   template, Pod or prometheus-operator `Prometheus`/`Alertmanager` sets `runAsUser`,
 *   `runAsGroup` or `fsGroup` (pod or container securityContext);
 * - an AuthorizationPolicy's selector matches a workload of its namespace (a pod template of the
 *   output or a declared workload), its `ports` are ports those workloads listen on, and each
 *   principal names a service account of the output, a declared workload's, or one an operator
 *   creates (principals in namespaces declared external are not checked further);
 * - an ambient namespace (`istio.io/dataplane-mode=ambient`) has no injection label
 *   (`istio-injection=enabled`, `istio.io/rev`: an injected pod keeps its sidecar and ztunnel
 *   leaves it alone) and no Sidecar (no proxy reads it), and when the output installs the control
 *   plane (a Sail `Istio`, an `IstioOperator`) it installs ztunnel too (a Sail `ZTunnel`, an
 *   ambient profile or ztunnel component).
 *
 * Runs in time linear in the size of the output: everything is looked up in maps.
 *
 * @returns every finding, empty when the output is consistent
 */
export function analyzeMesh(manifests: readonly Manifest[], options: MeshAnalysisOptions = {}): MeshFinding[] {
  return new MeshAnalysis(manifests, options).run();
}

class MeshAnalysis {
  private readonly findings: MeshFinding[] = [];
  private readonly crdValidator: CrdSchemaValidator;
  private readonly externalNamespaces: ReadonlySet<string>;
  private readonly externalHosts: ReadonlySet<string>;
  private readonly namespaces = new Map<string, Manifest>();
  /** Ports by `service.namespace`; undefined when an operator creates the Service. */
  private readonly services = new Map<string, ReadonlySet<number> | undefined>();
  /** Namespaces of the ServiceEntries of the output, by host. */
  private readonly serviceEntryNamespaces = new Map<string, Set<string>>();
  private readonly extensionProviders: ConfiguredProvider[] = [];
  private readonly sidecars: Manifest[] = [];
  private readonly scrapes: ScrapeSelection[] = [];
  private readonly authorizationPolicies: Manifest[] = [];
  /** Pod labels and ports of the workloads of each namespace, rendered and declared. */
  private readonly workloads = new Map<string, { labels: Readonly<Record<string, string>>; ports: readonly number[] | undefined }[]>();
  /** `namespace/name` of every ServiceAccount that exists once the output is applied. */
  private readonly serviceAccounts = new Set<string>();

  constructor(private readonly manifests: readonly Manifest[], options: MeshAnalysisOptions) {
    this.crdValidator = options.crdValidator ?? CrdSchemaValidator.shared();
    this.externalNamespaces = new Set([...BUILT_IN_NAMESPACES, ...options.externalNamespaces ?? []]);
    this.externalHosts = new Set(options.externalHosts ?? []);
    for (const workload of options.declaredWorkloads ?? []) {
      this.addWorkload(workload.namespace, workload.podLabels, workload.ports);
      this.serviceAccounts.add(`${workload.namespace}/${workload.serviceAccountName}`);
    }
  }

  private addWorkload(namespace: string, labels: Readonly<Record<string, string>>, ports: readonly number[] | undefined): void {
    this.workloads.set(namespace, [...this.workloads.get(namespace) ?? [], { labels, ports }]);
  }

  public run(): MeshFinding[] {
    this.index();
    const defaultSidecars = new Map<string, Manifest[]>();
    const gatewayWorkloads = new Map<string, Manifest>();
    const identities = new Map<string, Manifest[]>();
    for (const manifest of this.manifests) {
      // An object without a name (generateName) is new on every apply, never a duplicate.
      if (manifest.metadata?.name !== undefined) {
        const identity = objectIdentity(manifest);
        identities.set(identity, [...identities.get(identity) ?? [], manifest]);
      }
      const key = `${manifest.apiVersion}/${manifest.kind}`;
      const namespace = manifest.metadata?.namespace;
      this.checkNamespace(manifest);
      if (manifest.kind === 'Sidecar' && manifest.apiVersion.startsWith('networking.istio.io/')) {
        this.checkSidecarEgress(manifest);
        this.sidecars.push(manifest);
        if (namespace !== undefined && !spec(manifest).workloadSelector) {
          defaultSidecars.set(namespace, [...defaultSidecars.get(namespace) ?? [], manifest]);
        }
      } else if (namespace !== undefined && hostsInjectedGateway(manifest) && !gatewayWorkloads.has(namespace)) {
        gatewayWorkloads.set(namespace, manifest);
      } else if (key === 'monitoring.coreos.com/v1/PodMonitor' || key === 'monitoring.coreos.com/v1/ServiceMonitor') {
        this.scrapes.push(...monitorSelections(manifest));
        this.checkIstiodAppLabel(manifest);
      } else if (key === 'v1/Secret') {
        this.scrapes.push(...secretScrapeSelections(manifest));
      } else if (key === 'v1/ConfigMap') {
        this.checkKialiConfigMap(manifest);
        this.collectIstioConfigMapProviders(manifest);
      } else if (key === 'kiali.io/v1alpha1/Kiali') {
        this.checkExternalServices(manifest, spec(manifest).external_services, 'spec.external_services');
      } else if (key === 'grafana.integreatly.org/v1beta1/GrafanaDatasource') {
        this.checkUrl(manifest, 'spec.datasource.url', spec(manifest).datasource?.url);
      } else if (manifest.kind === 'AuthorizationPolicy' && manifest.apiVersion.startsWith('security.istio.io/')) {
        this.authorizationPolicies.push(manifest);
      } else if (key === 'install.istio.io/v1alpha1/IstioOperator' || key === 'sailoperator.io/v1/Istio') {
        this.checkMeshConfig(manifest, 'spec.meshConfig', spec(manifest).meshConfig);
        this.checkMeshConfig(manifest, 'spec.values.meshConfig', spec(manifest).values?.meshConfig);
        this.collectProviders(manifest, 'spec.meshConfig', spec(manifest).meshConfig);
        this.collectProviders(manifest, 'spec.values.meshConfig', spec(manifest).values?.meshConfig);
      }
    }
    for (const sidecar of this.sidecars) {
      this.checkSidecarReachesProviders(sidecar);
    }
    for (const [namespace, sidecars] of defaultSidecars) {
      this.checkOneDefaultSidecar(namespace, sidecars);
    }
    for (const [namespace, workload] of gatewayWorkloads) {
      this.checkGatewayInjection(namespace, workload);
    }
    for (const objects of identities.values()) {
      this.checkUnique(objects);
    }
    this.checkInstalledObjects(identities);
    this.checkDuplicateScrapes();
    if (this.manifests.some(installsForOpenShift)) {
      this.manifests.forEach((manifest) => this.checkNoFixedIds(manifest));
    }
    this.checkRevisionsExist();
    this.authorizationPolicies.forEach((policy) => this.checkAuthorizationPolicy(policy));
    this.checkAmbientNamespaces();
    return this.findings;
  }

  private checkNoFixedIds(manifest: Manifest): void {
    for (const { path, podSpec } of podSpecsOf(manifest)) {
      const contexts: Array<[string, unknown]> = [[`${path}.securityContext`, podSpec.securityContext]];
      for (const field of ['initContainers', 'containers']) {
        (Array.isArray(podSpec[field]) ? podSpec[field] : []).forEach((container: Record<string, any>, index: number) => {
          contexts.push([`${path}.${field}[${index}].securityContext`, container?.securityContext]);
        });
      }
      for (const [contextPath, context] of contexts) {
        if (context === null || typeof context !== 'object') {
          continue;
        }
        for (const id of ['runAsUser', 'runAsGroup', 'fsGroup'] as const) {
          const value = (context as Record<string, unknown>)[id];
          if (value !== undefined && value !== null) {
            this.report(MeshRule.OPENSHIFT_FIXED_IDS, manifest, `${contextPath}.${id}`,
              `${id} ${JSON.stringify(value)} is fixed, but the output installs Istio for OpenShift, whose restricted-v2 SCC assigns each pod `
              + `its ids from the namespace's range and refuses a pod that asks for another: leave ${id} out there `
              + '(ClusterPlatform.use(app, ClusterPlatform.OPENSHIFT) makes the parts of this library do so)');
          }
        }
      }
    }
  }

  private checkAmbientNamespaces(): void {
    const ambient = [...this.namespaces.values()].filter((namespace) => labelsOf(namespace)[DATAPLANE_MODE] === 'ambient');
    if (ambient.length === 0) {
      return;
    }
    for (const namespace of ambient) {
      const labels = labelsOf(namespace);
      const injection = labels['istio-injection'] === 'enabled' ? 'istio-injection' : labels['istio.io/rev'] !== undefined ? 'istio.io/rev' : undefined;
      if (injection) {
        this.report(MeshRule.AMBIENT_NAMESPACE, namespace, `metadata.labels['${injection}']`,
          `namespace '${namespace.metadata?.name}' is ambient (istio.io/dataplane-mode=ambient) and labelled ${injection}=${labels[injection]}: `
          + 'its pods would get a sidecar, which ztunnel does not capture, so they are in neither data plane: remove the injection label '
          + '(SidecarInjection.none()) or the ambient mode (DataPlaneMode.SIDECAR)');
      }
    }
    const ambientNames = new Set(ambient.map((namespace) => namespace.metadata?.name));
    for (const sidecar of this.sidecars) {
      if (ambientNames.has(sidecar.metadata?.namespace)) {
        this.report(MeshRule.AMBIENT_NAMESPACE, sidecar, 'metadata.namespace',
          `is in the ambient namespace '${sidecar.metadata?.namespace}', whose pods have no sidecar to read it: remove it, `
          + 'or make the namespace a sidecar namespace (DataPlaneMode.SIDECAR)');
      }
    }
    const installs = this.manifests.filter((m) => m.kind === 'Istio' && m.apiVersion.startsWith('sailoperator.io/')
      || m.kind === 'IstioOperator' && m.apiVersion.startsWith('install.istio.io/'));
    const ztunnel = this.manifests.some((m) => m.kind === 'ZTunnel' && m.apiVersion.startsWith('sailoperator.io/')
      || m.kind === 'IstioOperator' && (AMBIENT_PROFILES.includes(spec(m).profile) || spec(m).components?.ztunnel?.enabled === true));
    if (installs.length > 0 && !ztunnel) {
      for (const namespace of ambient) {
        this.report(MeshRule.AMBIENT_NAMESPACE, namespace, `metadata.labels['${DATAPLANE_MODE}']`,
          `namespace '${namespace.metadata?.name}' is ambient, but the control plane the output installs (${installs.map(describeObject).join(', ')}) `
          + 'runs no ztunnel, so its pods are in no mesh: use an ambient profile (IstioProfile.AMBIENT), or make the namespace a sidecar namespace (DataPlaneMode.SIDECAR)');
      }
    }
  }

  private index(): void {
    for (const manifest of this.manifests) {
      const key = `${manifest.apiVersion}/${manifest.kind}`;
      const name = manifest.metadata?.name;
      const namespace = manifest.metadata?.namespace;
      if (key === 'v1/Namespace' && name !== undefined) {
        this.namespaces.set(name, manifest);
      } else if (key === 'v1/Service' && name !== undefined && namespace !== undefined) {
        const ports = (spec(manifest).ports ?? []).map((port: { port?: unknown }) => port.port).filter((port: unknown) => typeof port === 'number');
        this.services.set(`${name}.${namespace}`, new Set(ports));
      } else if (manifest.kind === 'ServiceEntry' && manifest.apiVersion.startsWith('networking.istio.io/') && namespace !== undefined) {
        for (const host of Array.isArray(spec(manifest).hosts) ? spec(manifest).hosts : []) {
          this.serviceEntryNamespaces.set(String(host), new Set([...this.serviceEntryNamespaces.get(String(host)) ?? [], namespace]));
        }
      } else if (key === 'v1/ServiceAccount' && name !== undefined && namespace !== undefined) {
        this.serviceAccounts.add(`${namespace}/${name}`);
      } else if (WORKLOAD_KINDS.has(key) && namespace !== undefined) {
        const template = spec(manifest).template ?? {};
        const containers: any[] = Array.isArray(template.spec?.containers) ? template.spec.containers : [];
        const ports = containers.flatMap((container) => (Array.isArray(container?.ports) ? container.ports : [])).map((port: any) => port?.containerPort).filter((port: unknown) => typeof port === 'number');
        // Containers that list no ports may still listen on some: the port check is skipped for them.
        this.addWorkload(namespace, template.metadata?.labels ?? {}, ports.length > 0 ? ports : undefined);
      }
      if (OPERATOR_SERVICES[key] && name !== undefined && namespace !== undefined) {
        for (const service of OPERATOR_SERVICES[key](name, manifest)) {
          if (!this.services.has(`${service}.${namespace}`)) {
            this.services.set(`${service}.${namespace}`, undefined);
          }
        }
      }
      if (OPERATOR_SERVICE_ACCOUNTS[key] && name !== undefined && namespace !== undefined) {
        OPERATOR_SERVICE_ACCOUNTS[key](name, manifest).forEach((account) => this.serviceAccounts.add(`${namespace}/${account}`));
      }
    }
  }

  private namespaceExists(namespace: string): boolean {
    return this.namespaces.has(namespace) || this.externalNamespaces.has(namespace);
  }

  private checkNamespace(manifest: Manifest): void {
    const namespace = manifest.metadata?.namespace;
    if (namespace === undefined) {
      if (this.isNamespaced(manifest)) {
        this.report(MeshRule.NAMESPACE_EXISTS, manifest, 'metadata',
          `${manifest.kind} is namespaced but has no metadata.namespace, so it would land in whatever namespace kubectl's context `
          + 'points at: give it a namespace (charts and constructs pass theirs down)');
      }
    } else if (!this.namespaceExists(namespace)) {
      this.report(MeshRule.NAMESPACE_EXISTS, manifest, 'metadata.namespace',
        `namespace '${namespace}' is neither in the output nor declared external: add it (MeshNamespace) `
        + 'or list it in externalNamespaces if another repository creates it');
    }
  }

  private isNamespaced(manifest: Manifest): boolean {
    if (this.crdValidator.hasSchema(manifest.apiVersion, manifest.kind)) {
      return this.crdValidator.isNamespaced(manifest.apiVersion, manifest.kind);
    }
    const group = manifest.apiVersion.includes('/') ? manifest.apiVersion.split('/')[0] : '';
    // Only kinds of the Kubernetes API groups are known to be namespaced; anything else has been
    // reported by the schema check already.
    const isCoreGroup = group === '' || group.endsWith('.k8s.io') || !group.includes('.');
    return isCoreGroup && !CLUSTER_SCOPED_CORE_KINDS.has(manifest.kind);
  }

  private checkSidecarEgress(sidecar: Manifest): void {
    const egress: unknown[] = Array.isArray(spec(sidecar).egress) ? spec(sidecar).egress : [];
    egress.forEach((listener, listenerIndex) => {
      const hosts = (listener as { hosts?: unknown }).hosts;
      (Array.isArray(hosts) ? hosts : []).forEach((host: unknown, hostIndex) => {
        if (typeof host !== 'string' || !host.includes('/')) {
          return;
        }
        const namespace = host.slice(0, host.indexOf('/'));
        if (!SIDECAR_NAMESPACE_WILDCARDS.has(namespace) && !this.namespaceExists(namespace)) {
          this.report(MeshRule.SIDECAR_EGRESS_NAMESPACE, sidecar, `spec.egress[${listenerIndex}].hosts[${hostIndex}]`,
            `host '${host}' names namespace '${namespace}', which is neither in the output nor declared external: `
            + 'fix the namespace, add it to the output, or list it in externalNamespaces');
        }
      });
    });
  }

  private checkOneDefaultSidecar(namespace: string, sidecars: readonly Manifest[]): void {
    if (sidecars.length < 2) {
      return;
    }
    const names = sidecars.map((sidecar) => sidecar.metadata?.name).join(', ');
    for (const sidecar of sidecars.slice(1)) {
      this.report(MeshRule.SIDECAR_DEFAULT_UNIQUE, sidecar, 'spec.workloadSelector',
        `namespace '${namespace}' has ${sidecars.length} Sidecars without workloadSelector (${names}); Istio applies only one `
        + 'of them, chosen unpredictably: merge them into one, or give the others a workloadSelector');
    }
  }

  private collectProviders(source: Manifest, path: string, meshConfig: unknown): void {
    for (const service of extensionProviderServices(meshConfig)) {
      this.extensionProviders.push({ service, source, path });
    }
  }

  /** Istio's mesh config ConfigMap: `istio` (`istio-<revision>`) with the MeshConfig as YAML in `mesh`. */
  private collectIstioConfigMapProviders(configMap: Manifest): void {
    const name = configMap.metadata?.name ?? '';
    const text = (configMap.data as Record<string, unknown> | undefined)?.mesh;
    if ((name !== 'istio' && !name.startsWith('istio-')) || typeof text !== 'string') {
      return;
    }
    let meshConfig: unknown;
    try {
      meshConfig = yaml.load(text);
    } catch {
      // Not YAML: istiod would refuse it, and there is no provider here to check.
      return;
    }
    this.collectProviders(configMap, "data['mesh']", meshConfig);
  }

  private checkSidecarReachesProviders(sidecar: Manifest): void {
    const namespace = sidecar.metadata?.namespace ?? 'default';
    const egress: unknown[] = Array.isArray(spec(sidecar).egress) ? spec(sidecar).egress : [];
    // Without egress listeners the proxies get the mesh-wide default, which is checked itself.
    if (egress.length === 0) {
      return;
    }
    const hosts = egress.flatMap((listener) => {
      const listenerHosts = (listener as { hosts?: unknown } | null)?.hosts;
      return Array.isArray(listenerHosts) ? listenerHosts.filter((host): host is string => typeof host === 'string') : [];
    });
    for (const { service, source, path } of this.extensionProviders) {
      const namespaces = service.namespace !== undefined ? [service.namespace] : [...this.serviceEntryNamespaces.get(service.hostname) ?? []];
      if (hosts.some((host) => egressHostReaches(host, namespace, namespaces, service.hostname))) {
        continue;
      }
      this.report(MeshRule.SIDECAR_EXTENSION_PROVIDER, sidecar, 'spec.egress',
        `its egress hosts do not reach extension provider '${service.provider}' (${service.kind}, service '${service.service}' in `
        + `${describeObject(source)} ${path}): istiod builds no cluster for a provider outside a proxy's Sidecar scope, and Envoy `
        + `rejects the listener that uses it; add '${extensionProviderEgressHost(service)}' to its egress hosts (a SidecarScoping `
        + 'given the control plane as extensionProviders adds it to every Sidecar it derives)');
    }
  }

  private checkUnique(objects: readonly Manifest[]): void {
    if (objects.length < 2) {
      return;
    }
    const versions = [...new Set(objects.map((object) => object.apiVersion))].join(', ');
    for (const duplicate of objects.slice(1)) {
      this.report(MeshRule.UNIQUE_OBJECT, duplicate, 'metadata.name',
        `the output holds ${objects.length} objects ${describeObject(duplicate)} (${versions}): the API server knows an object by `
        + 'API group, kind, namespace and name, so each apply overwrites the one before: emit it once (a MeshNamespace '
        + 'merges the labels of every part sharing a namespace) or rename one');
    }
  }

  /**
   * What install resources create (istioctl and the in-cluster operator from an IstioOperator,
   * the Sail operator from `Istio` and `IstioCNI`) against what the output renders itself, and
   * against what another install resource of the same installer creates.
   */
  private checkInstalledObjects(rendered: ReadonlyMap<string, readonly Manifest[]>): void {
    const claims = new Map<string, Manifest>();
    const collisions = new Map<string, { first: Manifest; second: Manifest; objects: string[] }>();
    for (const installer of this.manifests) {
      const family = installerFamily(installer);
      if (family === undefined) {
        continue;
      }
      for (const installed of installedObjects(installer)) {
        const identity = JSON.stringify([installed.group, installed.kind, installed.namespace, installed.name]);
        const description = `${installed.kind}/${installed.namespace}/${installed.name}`;
        for (const object of rendered.get(identity) ?? []) {
          this.report(MeshRule.INSTALLED_OBJECT, object, 'metadata.name',
            `${describeObject(installer)} also creates ${description} (${installed.source}), so the output and the installer `
            + `both own it and overwrite each other's changes: ${installed.fix}`);
        }
        const claimKey = JSON.stringify([family, identity]);
        const first = claims.get(claimKey);
        if (first === undefined) {
          claims.set(claimKey, installer);
        } else if (objectIdentity(first) !== objectIdentity(installer)) {
          // The same resource twice is the unique-object rule's finding.
          const pair = JSON.stringify([objectIdentity(first), objectIdentity(installer)]);
          const collision = collisions.get(pair) ?? { first, second: installer, objects: [] };
          collision.objects.push(description);
          collisions.set(pair, collision);
        }
      }
    }
    for (const { first, second, objects } of collisions.values()) {
      this.report(MeshRule.INSTALLED_OBJECT, second, 'metadata.name',
        `${describeObject(second)} and ${describeObject(first)} both create ${objects.join(', ')}, so each install overwrites the `
        + 'other: give each control plane its own revision (istiod-<revision>) and gateway names, or emit one of them');
    }
  }

  /**
   * Definitions are compared within a bucket of the same namespace, role, port and path, and
   * within it only with those that scrape one of the same namespaces (or every namespace), so
   * that thousands of per-namespace monitors stay linear.
   */
  private checkDuplicateScrapes(): void {
    const buckets = new Map<string, { everywhere: ScrapeSelection[]; byNamespace: Map<string, ScrapeSelection[]>; all: ScrapeSelection[] }>();
    for (const selection of this.scrapes) {
      const bucketKey = JSON.stringify([selection.source.metadata?.namespace, selection.role, selection.port, selection.metricsPath]);
      const bucket = buckets.get(bucketKey) ?? { everywhere: [], byNamespace: new Map<string, ScrapeSelection[]>(), all: [] };
      buckets.set(bucketKey, bucket);
      const candidates = selection.namespaces === undefined ? bucket.all
        : [...bucket.everywhere, ...selection.namespaces.flatMap((namespace) => bucket.byNamespace.get(namespace) ?? [])];
      const earlier = candidates.find((other) => labelsOverlap(other.labels, selection.labels));
      if (earlier) {
        const where = selection.namespaces === undefined
          ? earlier.namespaces === undefined ? 'every namespace' : `namespaces ${earlier.namespaces.join(', ')}`
          : `namespaces ${selection.namespaces.filter((namespace) => earlier.namespaces === undefined || earlier.namespaces.includes(namespace)).join(', ')}`;
        this.report(MeshRule.DUPLICATE_SCRAPE, selection.source, selection.path,
          `scrapes the same targets as ${describeObject(earlier.source)} ${earlier.path} (${selection.role === 'pod' ? 'pod' : 'Service'} port `
          + `'${selection.port}', ${selection.metricsPath}, ${where}): Prometheus scrapes each of them twice under two job labels, so every `
          + 'sum over them (recording rules, dashboards) counts each sample twice: keep one form, the monitors or the additional '
          + 'scrape configs (in mesh.yaml: metrics.scrapeConfig or metrics.envoyStatsMonitor/istiodMonitor), or give them disjoint namespaces');
      }
      bucket.all.push(selection);
      if (selection.namespaces === undefined) {
        bucket.everywhere.push(selection);
      } else {
        for (const namespace of selection.namespaces) {
          bucket.byNamespace.set(namespace, [...bucket.byNamespace.get(namespace) ?? [], selection]);
        }
      }
    }
  }

  private checkIstiodAppLabel(monitor: Manifest): void {
    if (monitor.kind !== 'ServiceMonitor' || spec(monitor).selector?.matchLabels?.istio !== 'pilot') {
      return;
    }
    const targetLabels: unknown[] = Array.isArray(spec(monitor).targetLabels) ? spec(monitor).targetLabels : [];
    if (!targetLabels.includes('app')) {
      this.report(MeshRule.ISTIOD_APP_LABEL, monitor, 'spec.targetLabels',
        'selects istiod\'s Services (istio=pilot) without copying their app label onto the series, so the panels of Istio\'s Control '
        + 'Plane and Performance dashboards that select app="istiod" stay empty: add \'app\' to spec.targetLabels (IstiodServiceMonitor does)');
    }
  }

  private checkGatewayInjection(namespace: string, workload: Manifest): void {
    const namespaceObject = this.namespaces.get(namespace);
    const labels = (namespaceObject?.metadata?.labels ?? {}) as Record<string, unknown>;
    if (namespaceObject && labels['istio-injection'] === 'disabled') {
      this.report(MeshRule.GATEWAY_INJECTION, namespaceObject, "metadata.labels['istio-injection']",
        `namespace '${namespace}' hosts the injected gateway ${describeObject(workload)} but disables injection, so the `
        + "gateway pods would start without their proxy: label the namespace for injection (SidecarInjection.enabled()) or "
        + 'move the gateway to a namespace of its own');
    }
  }

  private checkKialiConfigMap(configMap: Manifest): void {
    const text = (configMap.data as Record<string, unknown> | undefined)?.['config.yaml'];
    if (typeof text !== 'string') {
      return;
    }
    let config: unknown;
    try {
      config = yaml.load(text);
    } catch {
      // Not YAML, so not Kiali's configuration: nothing here to check.
      return;
    }
    const externalServices = (config as { external_services?: unknown } | null)?.external_services;
    this.checkExternalServices(configMap, externalServices, "data['config.yaml'].external_services");
  }

  /** Kiali's `external_services`: every `url` and `internal_url`, at any depth (custom_dashboards too). */
  private checkExternalServices(manifest: Manifest, node: unknown, path: string): void {
    if (node === null || typeof node !== 'object' || Array.isArray(node)) {
      return;
    }
    for (const [key, value] of Object.entries(node)) {
      if ((key === 'url' || key === 'internal_url') && typeof value === 'string') {
        this.checkUrl(manifest, `${path}.${key}`, value);
      } else {
        this.checkExternalServices(manifest, value, `${path}.${key}`);
      }
    }
  }

  private checkMeshConfig(manifest: Manifest, path: string, meshConfig: any): void {
    if (!meshConfig || typeof meshConfig !== 'object') {
      return;
    }
    const zipkinAddress = meshConfig.defaultConfig?.tracing?.zipkin?.address;
    if (typeof zipkinAddress === 'string') {
      const [host, port] = splitHostPort(zipkinAddress);
      this.checkHost(manifest, `${path}.defaultConfig.tracing.zipkin.address`, zipkinAddress, host, port);
    }
    const providers: unknown[] = Array.isArray(meshConfig.extensionProviders) ? meshConfig.extensionProviders : [];
    providers.forEach((provider, index) => {
      for (const kind of ['zipkin', 'opentelemetry']) {
        const target = (provider as Record<string, any>)?.[kind];
        if (typeof target?.service === 'string') {
          this.checkHost(manifest, `${path}.extensionProviders[${index}].${kind}.service`, target.service, target.service,
            typeof target.port === 'number' ? target.port : undefined);
        }
      }
    });
  }

  private checkUrl(manifest: Manifest, path: string, url: unknown): void {
    if (typeof url !== 'string') {
      return;
    }
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      this.report(MeshRule.SERVICE_REFERENCE, manifest, path, `'${url}' is not a URL: write it as scheme://host:port/path`);
      return;
    }
    const port = parsed.port ? Number(parsed.port) : DEFAULT_PORTS[parsed.protocol];
    this.checkHost(manifest, path, url, parsed.hostname, port);
  }

  private checkHost(manifest: Manifest, path: string, written: string, host: string, port: number | undefined): void {
    if (this.externalHosts.has(host)) {
      return;
    }
    const target = classifyHost(host);
    if (!target.inCluster || this.externalNamespaces.has(target.namespace)) {
      return;
    }
    const fullName = `${target.service}.${target.namespace}`;
    if (!this.services.has(fullName)) {
      const namespaceNote = this.namespaces.has(target.namespace) ? '' : ` (nor namespace '${target.namespace}')`;
      this.report(MeshRule.SERVICE_REFERENCE, manifest, path,
        `'${written}' points at Service '${target.service}' in namespace '${target.namespace}', which the output does not `
        + `define${namespaceNote}: wire the backend by reference (its endpoint) instead of typing the host, fix the name, `
        + 'or declare the namespace in externalNamespaces (a public host in externalHosts)');
      return;
    }
    const ports = this.services.get(fullName);
    if (ports && port !== undefined && !ports.has(port)) {
      this.report(MeshRule.SERVICE_REFERENCE, manifest, path,
        `'${written}' uses port ${port}, but Service ${fullName} has ports ${[...ports].sort((a, b) => a - b).join(', ') || 'none'}: `
        + 'take the port from the backend\'s endpoint');
    }
  }

  /**
   * What `istio.io/rev` may select, from the install resources of the output: a Sail `Istio`'s
   * revision (its name in place; `<name>-<spec.version with dashes>` when revision-based, and any
   * older revision of it a tag keeps), an `IstioRevision`, an `IstioRevisionTag`, an
   * IstioOperator's `spec.revision` (`default` without one) and the tags of its
   * `values.revisionTags`. Without an install resource in the output (istioctl's file is its own
   * app, or the control plane is someone else's) nothing is checked.
   */
  private checkRevisionsExist(): void {
    const istios = this.manifests.filter((m) => m.apiVersion === 'sailoperator.io/v1' && m.kind === 'Istio');
    const operators = this.manifests.filter((m) => m.apiVersion === 'install.istio.io/v1alpha1' && m.kind === 'IstioOperator');
    if (istios.length === 0 && operators.length === 0) {
      return;
    }
    const revisionBased = istios.filter((istio) => spec(istio).updateStrategy?.type === 'RevisionBased').map((istio) => String(istio.metadata?.name));
    const revisions = new Set<string>([
      ...istios.map((istio) => revisionBased.includes(String(istio.metadata?.name))
        ? `${istio.metadata?.name}-${String(spec(istio).version).replace(/\./g, '-')}` : String(istio.metadata?.name)),
      ...this.manifests.filter((m) => m.apiVersion === 'sailoperator.io/v1' && m.kind === 'IstioRevision').map((m) => String(m.metadata?.name)),
      ...operators.map((operator) => String(spec(operator).revision || 'default')),
    ]);
    const tags = new Set<string>(operators.flatMap((operator) => (spec(operator).values?.revisionTags ?? []).map(String)));
    for (const tag of this.manifests.filter((m) => m.apiVersion === 'sailoperator.io/v1' && m.kind === 'IstioRevisionTag')) {
      const target = spec(tag).targetRef ?? {};
      const name = String(target.name);
      // An older revision of a revision-based Istio is not in the output: Sail keeps it while
      // this tag points at it, so a name of that Istio's revisions is taken as running.
      const running = target.kind === 'Istio'
        ? istios.some((istio) => istio.metadata?.name === name)
        : revisions.has(name) || revisionBased.some((istio) => name.startsWith(`${istio}-v`));
      if (!running) {
        this.report(MeshRule.REVISION_EXISTS, tag, 'spec.targetRef',
          `the tag points at ${target.kind} ${name}, which the output does not run (revisions: ${[...revisions].join(', ')}): point it at one of them`);
        continue;
      }
      tags.add(String(tag.metadata?.name));
      if (target.kind === 'IstioRevision') {
        revisions.add(name);
      }
    }
    const selectable = [...tags, ...revisions];
    const check = (manifest: Manifest, path: string, selector: unknown, what: string) => {
      if (typeof selector === 'string' && !tags.has(selector) && !revisions.has(selector)) {
        this.report(MeshRule.REVISION_EXISTS, manifest, path,
          `${what} selects istio.io/rev=${selector}, which no revision or tag of the output's control plane is (${selectable.join(', ')}): `
          + 'pick one of them, or add the revision or tag');
      }
    };
    for (const manifest of this.manifests) {
      const labels = (manifest.metadata?.labels ?? {}) as Record<string, unknown>;
      if (manifest.apiVersion === 'v1' && manifest.kind === 'Namespace') {
        check(manifest, "metadata.labels['istio.io/rev']", labels['istio.io/rev'], `namespace ${manifest.metadata?.name}`);
        // With revision-based updates no revision is named `default`: only a tag of that name
        // serves istio-injection=enabled.
        if (labels['istio-injection'] === 'enabled' && revisionBased.length > 0 && !tags.has('default') && !revisions.has('default')) {
          this.report(MeshRule.REVISION_EXISTS, manifest, "metadata.labels['istio-injection']",
            `namespace ${manifest.metadata?.name} is labelled istio-injection=enabled, which selects the default revision, but the revision-based control plane `
            + `has no revision or tag named default: label it istio.io/rev=<tag> (${selectable.join(', ')}), or add a tag named default`);
        }
      } else if (manifest.apiVersion.startsWith('gateway.networking.k8s.io/') && manifest.kind === 'Gateway') {
        check(manifest, "metadata.labels['istio.io/rev']", labels['istio.io/rev'], `Gateway ${manifest.metadata?.name}`);
      } else if (['Deployment', 'DaemonSet', 'StatefulSet'].includes(manifest.kind) && manifest.apiVersion === 'apps/v1') {
        check(manifest, "spec.template.metadata.labels['istio.io/rev']", spec(manifest).template?.metadata?.labels?.['istio.io/rev'], `${manifest.kind} ${manifest.metadata?.name}`);
      }
    }
  }

  private checkAuthorizationPolicy(policy: Manifest): void {
    const namespace = policy.metadata?.namespace;
    const policySpec = spec(policy);
    const rules: any[] = Array.isArray(policySpec.rules) ? policySpec.rules : [];
    rules.forEach((rule, ruleIndex) => (Array.isArray(rule?.from) ? rule.from : []).forEach((from: any, fromIndex: number) => {
      (Array.isArray(from?.source?.principals) ? from.source.principals : []).forEach((principal: unknown, index: number) => {
        const match = typeof principal === 'string' ? PRINCIPAL.exec(principal) : null;
        // Wildcards (`*`, `*/ns/x/sa/*`) match many accounts; a namespace outside the output is not known here.
        if (!match || match[1].includes('*') || match[2].includes('*') || !this.namespaces.has(match[1]) || this.serviceAccounts.has(`${match[1]}/${match[2]}`)) {
          return;
        }
        this.report(MeshRule.AUTHZ_PRINCIPAL, policy, `spec.rules[${ruleIndex}].from[${fromIndex}].source.principals[${index}]`,
          `principal ${String(principal)} names service account ${match[2]} of namespace ${match[1]}, which nothing renders or declares, so the rule allows nobody: `
          + 'declare the calling service (addService, with its serviceAccount), or declare the namespace external if another repository runs the caller');
      });
    }));
    const selector = policySpec.selector?.matchLabels;
    if (namespace === undefined || selector === undefined || typeof selector !== 'object') {
      return;
    }
    const selected = (this.workloads.get(namespace) ?? []).filter(({ labels }) => Object.entries(selector).every(([key, value]) => labels[key] === value));
    if (selected.length === 0) {
      if (!this.externalNamespaces.has(namespace)) {
        this.report(MeshRule.AUTHZ_SELECTOR, policy, 'spec.selector.matchLabels',
          `selects no workload of namespace ${namespace} (${Object.entries(selector).map(([key, value]) => `${key}=${String(value)}`).join(', ')}), so its rules allow nothing: `
          + 'select the labels of the pods behind the service (its selector), or declare the service');
      }
      return;
    }
    if (selected.some(({ ports }) => ports === undefined)) {
      return;
    }
    const listening = new Set(selected.flatMap(({ ports }) => ports ?? []));
    rules.forEach((rule, ruleIndex) => (Array.isArray(rule?.to) ? rule.to : []).forEach((to: any, toIndex: number) => {
      (Array.isArray(to?.operation?.ports) ? to.operation.ports : []).forEach((port: unknown, index: number) => {
        if (!listening.has(Number(port))) {
          this.report(MeshRule.AUTHZ_PORT, policy, `spec.rules[${ruleIndex}].to[${toIndex}].operation.ports[${index}]`,
            `allows port ${String(port)}, on which none of the selected workloads listens (their ports: ${[...listening].sort((a, b) => a - b).join(', ')}): `
            + 'allow a port the callee declares (its target port)');
        }
      });
    }));
  }

  private report(rule: MeshRule, manifest: Manifest, path: string, message: string): void {
    this.findings.push({ rule, object: describeObject(manifest), path, message });
  }
}

/**
 * What one scrape definition selects: its targets are the ports named `port` (a regex, compared
 * as written) of pods or of Service endpoints carrying `labels`, in `namespaces` (undefined:
 * every namespace), scraped on `metricsPath`.
 */
interface ScrapeSelection {
  readonly source: Manifest;
  /** Where in the source the definition is. */
  readonly path: string;
  readonly role: 'pod' | 'endpoints';
  readonly port: string;
  readonly metricsPath: string;
  readonly namespaces?: readonly string[];
  /** Required labels, with names as Kubernetes service discovery writes them (`[^a-zA-Z0-9_]` as `_`). */
  readonly labels: Readonly<Record<string, string>>;
}

const DEFAULT_METRICS_PATH = '/metrics';

/** Kubernetes service discovery's spelling of a label name in its meta labels. */
function metaLabelName(label: string): string {
  return label.replace(/[^a-zA-Z0-9_]/g, '_');
}

/** One selector's required labels includes the other's: both can select the same object. */
function labelsOverlap(first: Readonly<Record<string, string>>, second: Readonly<Record<string, string>>): boolean {
  const within = (small: Readonly<Record<string, string>>, large: Readonly<Record<string, string>>) =>
    Object.entries(small).every(([key, value]) => large[key] === value);
  return within(first, second) || within(second, first);
}

/** The endpoints of a PodMonitor or ServiceMonitor whose port it names (or keeps by a relabeling of the port name). */
function monitorSelections(monitor: Manifest): ScrapeSelection[] {
  const monitorSpec = spec(monitor);
  const role = monitor.kind === 'PodMonitor' ? 'pod' : 'endpoints';
  const namespaceSelector = monitorSpec.namespaceSelector ?? {};
  const namespaces: string[] | undefined = namespaceSelector.any === true ? undefined
    : Array.isArray(namespaceSelector.matchNames) ? namespaceSelector.matchNames : [monitor.metadata?.namespace ?? 'default'];
  const labels = Object.fromEntries(Object.entries(monitorSpec.selector?.matchLabels ?? {}).map(([key, value]) => [metaLabelName(key), String(value)]));
  const endpointsKey = role === 'pod' ? 'podMetricsEndpoints' : 'endpoints';
  const endpoints: any[] = Array.isArray(monitorSpec[endpointsKey]) ? monitorSpec[endpointsKey] : [];
  const portMeta = role === 'pod' ? '__meta_kubernetes_pod_container_port_name' : '__meta_kubernetes_endpoint_port_name';
  return endpoints.flatMap((endpoint, index) => {
    const keptPort = (Array.isArray(endpoint?.relabelings) ? endpoint.relabelings : []).find((relabeling: any) =>
      relabeling?.action === 'keep' && Array.isArray(relabeling.sourceLabels) && relabeling.sourceLabels.length === 1
      && relabeling.sourceLabels[0] === portMeta && typeof relabeling.regex === 'string');
    const port = typeof endpoint?.port === 'string' ? endpoint.port : keptPort?.regex;
    return typeof port === 'string' ? [{
      source: monitor, path: `spec.${endpointsKey}[${index}]`, role, port, metricsPath: endpoint.path ?? DEFAULT_METRICS_PATH, namespaces, labels,
    } as ScrapeSelection] : [];
  });
}

/** The jobs of a Secret's keys that hold a list of Prometheus scrape configs with Kubernetes service discovery. */
function secretScrapeSelections(secret: Manifest): ScrapeSelection[] {
  const encoded = (secret.data ?? {}) as Record<string, unknown>;
  const texts: Array<[string, string, unknown]> = [
    ...Object.entries((secret.stringData ?? {}) as Record<string, unknown>).map(([key, value]) => ['stringData', key, value] as [string, string, unknown]),
    ...Object.entries(encoded).map(([key, value]) => ['data', key, typeof value === 'string' ? Buffer.from(value, 'base64').toString('utf8') : value] as [string, string, unknown]),
  ];
  return texts.flatMap(([field, key, text]) => {
    if (typeof text !== 'string' || !text.includes('job_name')) {
      return [];
    }
    let jobs: unknown;
    try {
      jobs = yaml.load(text);
    } catch {
      // Not YAML, so no scrape configs to compare.
      return [];
    }
    return Array.isArray(jobs) ? jobs.flatMap((job, index) => {
      const selection = scrapeJobSelection(job);
      return selection ? [{ ...selection, source: secret, path: `${field}['${key}'][${index}] (job ${(job as any).job_name})` }] : [];
    }) : [];
  });
}

/** A job's targets, when it uses one Kubernetes service discovery of role pod or endpoints and keeps by port name and labels only. */
function scrapeJobSelection(job: any): Omit<ScrapeSelection, 'source' | 'path'> | undefined {
  const discovery = Array.isArray(job?.kubernetes_sd_configs) && job.kubernetes_sd_configs.length === 1 ? job.kubernetes_sd_configs[0] : undefined;
  const role = discovery?.role;
  if (typeof job?.job_name !== 'string' || (role !== 'pod' && role !== 'endpoints')) {
    return undefined;
  }
  const portMeta = role === 'pod' ? '__meta_kubernetes_pod_container_port_name' : '__meta_kubernetes_endpoint_port_name';
  const labelPrefix = role === 'pod' ? '__meta_kubernetes_pod_label_' : '__meta_kubernetes_service_label_';
  const labels: Record<string, string> = {};
  let port: string | undefined;
  for (const relabel of Array.isArray(job.relabel_configs) ? job.relabel_configs : []) {
    if (relabel?.action !== 'keep') {
      continue;
    }
    const sources: unknown[] = Array.isArray(relabel.source_labels) ? relabel.source_labels : [];
    const values = typeof relabel.regex === 'string' ? relabel.regex.split(relabel.separator ?? ';') : [];
    if (values.length !== sources.length) {
      return undefined;
    }
    for (const [index, source] of sources.entries()) {
      if (source === portMeta) {
        port = values[index];
      } else if (typeof source === 'string' && source.startsWith(labelPrefix)) {
        labels[source.slice(labelPrefix.length)] = values[index];
      } else {
        // Kept by something else (a Service name, an annotation): not comparable here.
        return undefined;
      }
    }
  }
  const names = discovery.namespaces?.names;
  return port === undefined ? undefined : {
    role, port, labels, metricsPath: typeof job.metrics_path === 'string' ? job.metrics_path : DEFAULT_METRICS_PATH,
    namespaces: Array.isArray(names) && names.length > 0 ? names.map(String) : undefined,
  };
}

/** An extension provider's service, and where the output configures it. */
interface ConfiguredProvider {
  readonly service: ExtensionProviderService;
  readonly source: Manifest;
  readonly path: string;
}

/**
 * Whether Sidecar egress host `host` (`namespace/dnsName`) of a Sidecar in `sidecarNamespace`
 * covers `hostname` in one of `namespaces` (none known: only a `*` namespace covers it). `.` is
 * the Sidecar's namespace, `*` any, `~` none; a dnsName `*` matches any host, `*.example.com` a
 * suffix.
 */
function egressHostReaches(host: string, sidecarNamespace: string, namespaces: readonly string[], hostname: string): boolean {
  const slash = host.indexOf('/');
  if (slash < 0) {
    return false;
  }
  const namespace = host.slice(0, slash);
  const dnsName = host.slice(slash + 1);
  const namespaceMatches = namespace === '*'
    || (namespace !== '~' && namespaces.includes(namespace === '.' ? sidecarNamespace : namespace));
  const nameMatches = dnsName === '*' || dnsName === hostname || (dnsName.startsWith('*.') && hostname.endsWith(dnsName.slice(1)));
  return namespaceMatches && nameMatches;
}

/** What the API server knows an object by: API group (not version), kind, namespace and name. */
function objectIdentity(manifest: Manifest): string {
  const group = manifest.apiVersion.includes('/') ? manifest.apiVersion.slice(0, manifest.apiVersion.indexOf('/')) : '';
  return JSON.stringify([group, manifest.kind, manifest.metadata?.namespace ?? '', manifest.metadata?.name]);
}

/** Whether `manifest` installs Istio for OpenShift: the platform its charts are told, or the profile. */
function installsForOpenShift(manifest: Manifest): boolean {
  const key = `${manifest.apiVersion}/${manifest.kind}`;
  if (key !== 'sailoperator.io/v1/Istio' && key !== 'sailoperator.io/v1/IstioCNI' && key !== 'install.istio.io/v1alpha1/IstioOperator') {
    return false;
  }
  const installSpec = spec(manifest);
  return installSpec.profile === 'openshift' || installSpec.profile === 'openshift-ambient' || installSpec.values?.global?.platform === 'openshift';
}

/** The pod specs of an object, with their paths: pod templates, Pods, and prometheus-operator's pod-level fields. */
function podSpecsOf(manifest: Manifest): Array<{ path: string; podSpec: Record<string, any> }> {
  const key = `${manifest.apiVersion}/${manifest.kind}`;
  const objectSpec = spec(manifest);
  const found: Array<{ path: string; podSpec: Record<string, any> }> = [];
  const add = (path: string, value: unknown) => {
    if (value !== null && typeof value === 'object') {
      found.push({ path, podSpec: value as Record<string, any> });
    }
  };
  if (WORKLOAD_KINDS.has(key) || key === 'batch/v1/Job') {
    add('spec.template.spec', objectSpec.template?.spec);
  } else if (key === 'batch/v1/CronJob') {
    add('spec.jobTemplate.spec.template.spec', objectSpec.jobTemplate?.spec?.template?.spec);
  } else if (key === 'v1/Pod') {
    add('spec', objectSpec);
  } else if (key === 'monitoring.coreos.com/v1/Prometheus' || key === 'monitoring.coreos.com/v1/Alertmanager') {
    // The operator copies spec.securityContext and spec.containers into the StatefulSet's pods.
    add('spec', objectSpec);
  }
  return found;
}

function labelsOf(manifest: Manifest): Record<string, string> {
  return (manifest.metadata?.labels ?? {}) as Record<string, string>;
}

function spec(manifest: Manifest): Record<string, any> {
  const value = manifest.spec;
  return value !== null && typeof value === 'object' ? value as Record<string, any> : {};
}

/** A pod (or pod template) that Istio injects with the gateway template instead of a sidecar. */
function hostsInjectedGateway(manifest: Manifest): boolean {
  const key = `${manifest.apiVersion}/${manifest.kind}`;
  const podMetadata = key === 'v1/Pod' ? manifest.metadata : WORKLOAD_KINDS.has(key) ? spec(manifest).template?.metadata : undefined;
  const templates = podMetadata?.annotations?.['inject.istio.io/templates'];
  return typeof templates === 'string' && templates.split(',').map((name) => name.trim()).includes('gateway');
}
