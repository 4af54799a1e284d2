import { ApiObject } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { ClusterPlatform } from '../../core/cluster-platform';
import { MeshNamespace } from '../../core/mesh-namespace';
import { assertDnsLabel } from '../../core/names';
import { ApplyPhase } from '../../output/apply-phase';
import { ComponentResources } from '../component-settings';

/** Props of an {@link IstioInClusterOperator}. */
export interface IstioInClusterOperatorProps {
  /** Registry the operator image is pulled from (`<hub>/operator:<tag>`). */
  readonly hub: string;
  /** Image tag, the Istio release. */
  readonly tag: string;
  /** Namespace whose IstioOperator resources the operator reconciles (the control plane's). */
  readonly watchedNamespace: string;
  /** Control plane revision this operator installs. @default - the default revision */
  readonly revision?: string;
  /** Namespace of the operator. @default 'istio-operator' */
  readonly namespace?: string;
  /** Resources of the operator container. @default - requests 50m CPU and 128Mi, limits 200m CPU and 256Mi (the chart's) */
  readonly resources?: ComponentResources;
  /**
   * Whether this operator brings the IstioOperator CRD: the CRD is the cluster's, one for the
   * operators of every revision, so the further revisions' operators leave it out.
   * @default true
   */
  readonly installCrd?: boolean;
}

const OPERATOR_UID = 1337;

/**
 * Istio's in-cluster operator (Istio 1.23 and earlier), as `istioctl operator init --hub <hub>`
 * would install it, declared: its namespace, the IstioOperator CRD, a service account with the
 * permissions reconciling an IstioOperator needs, and the operator Deployment, locked down
 * (non-root, read-only root filesystem, no capabilities, bounded resources).
 */
export class IstioInClusterOperator extends Construct {
  /** The operator's namespace. */
  public readonly namespace: MeshNamespace;
  /** The operator Deployment. */
  public readonly resource: ApiObject;

  constructor(scope: Construct, id: string, props: IstioInClusterOperatorProps) {
    super(scope, id);
    // Running before its IstioOperator is applied: the operator reconciles it only once it is up.
    ApplyPhase.assign(this, ApplyPhase.OPERATORS);
    const namespaceName = props.namespace ?? 'istio-operator';
    assertDnsLabel('operator namespace', namespaceName);
    // istioctl names a revision's operator `istio-operator-<revision>`, so revisions coexist.
    const name = props.revision ? `istio-operator-${props.revision}` : 'istio-operator';
    const labels = { 'app.kubernetes.io/name': 'istio-operator', 'app.kubernetes.io/part-of': 'istio' };

    this.namespace = new MeshNamespace(this, 'Namespace', { name: namespaceName });
    if (props.installCrd ?? true) {
      this.renderCrd();
    }

    const serviceAccount = new k8s.KubeServiceAccount(this, 'ServiceAccount', {
      metadata: { name, namespace: namespaceName, labels },
    });
    const subjects = [{ kind: 'ServiceAccount', name: serviceAccount.name, namespace: namespaceName }];
    const clusterRole = new k8s.KubeClusterRole(this, 'ClusterRole', { metadata: { name, labels }, rules: OPERATOR_CLUSTER_RULES });
    new k8s.KubeClusterRoleBinding(this, 'ClusterRoleBinding', {
      metadata: { name, labels },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: clusterRole.name },
      subjects,
    });
    // Leader election only happens in the operator's own namespace.
    const leaderElection = new k8s.KubeRole(this, 'LeaderElectionRole', {
      metadata: { name: `${name}-leader-election`, namespace: namespaceName, labels },
      rules: [{ apiGroups: ['coordination.k8s.io'], resources: ['leases'], verbs: ['get', 'list', 'watch', 'create', 'update', 'patch'] }],
    });
    new k8s.KubeRoleBinding(this, 'LeaderElectionRoleBinding', {
      metadata: { name: `${name}-leader-election`, namespace: namespaceName, labels },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: leaderElection.name },
      subjects,
    });

    const resources = props.resources ?? { requests: { cpu: '50m', memory: '128Mi' }, limits: { cpu: '200m', memory: '256Mi' } };
    const quantities = (values: Record<string, string | undefined> | undefined) => values && Object.fromEntries(
      Object.entries(values).filter(([, q]) => q !== undefined).map(([k, q]) => [k, k8s.Quantity.fromString(q as string)]));
    // Not `istio.io/rev`: that label would have the operator's own pod injected with a sidecar.
    const selector = { 'app.kubernetes.io/name': 'istio-operator', 'app.kubernetes.io/instance': name };
    const operatorIds = ClusterPlatform.of(this).fixedIds({ runAsUser: OPERATOR_UID, runAsGroup: OPERATOR_UID });
    this.resource = new k8s.KubeDeployment(this, 'Resource', {
      metadata: { name, namespace: namespaceName, labels },
      spec: {
        replicas: 1,
        selector: { matchLabels: selector },
        template: {
          metadata: { labels: { ...labels, ...selector } },
          spec: {
            serviceAccountName: serviceAccount.name,
            // OpenShift assigns the ids from the namespace's range (and refuses fixed ones).
            securityContext: { runAsNonRoot: true, ...operatorIds, seccompProfile: { type: 'RuntimeDefault' } },
            containers: [{
              name: 'istio-operator',
              image: `${props.hub}/operator:${props.tag}`,
              imagePullPolicy: 'IfNotPresent',
              command: ['operator', 'server'],
              securityContext: {
                allowPrivilegeEscalation: false,
                capabilities: { drop: ['ALL'] },
                privileged: false,
                readOnlyRootFilesystem: true,
                runAsNonRoot: true,
                ...operatorIds,
              },
              resources: { requests: quantities(resources.requests as Record<string, string | undefined>), limits: quantities(resources.limits as Record<string, string | undefined>) },
              // The environment the operator binary reads (istio-operator chart, Istio 1.23).
              env: [
                { name: 'WATCH_NAMESPACE', value: props.watchedNamespace },
                { name: 'LEADER_ELECTION_NAMESPACE', value: namespaceName },
                { name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
                { name: 'OPERATOR_NAME', value: namespaceName },
                { name: 'WAIT_FOR_RESOURCES_TIMEOUT', value: '300s' },
                { name: 'REVISION', value: props.revision ?? '' },
              ],
            }],
          },
        },
      },
    });
  }

  /** The IstioOperator CRD, as the 1.23 chart has it. */
  private renderCrd(): void {
    new k8s.KubeCustomResourceDefinition(this, 'Crd', {
      metadata: { name: 'istiooperators.install.istio.io', labels: { release: 'istio' } },
      spec: {
        group: 'install.istio.io',
        names: { kind: 'IstioOperator', listKind: 'IstioOperatorList', plural: 'istiooperators', singular: 'istiooperator', shortNames: ['iop', 'io'] },
        scope: 'Namespaced',
        versions: [{
          name: 'v1alpha1',
          served: true,
          storage: true,
          subresources: { status: {} },
          // Upstream leaves the schema open: the operator validates the spec itself.
          schema: { openApiv3Schema: { type: 'object', xKubernetesPreserveUnknownFields: true } },
          additionalPrinterColumns: [
            { name: 'Revision', type: 'string', jsonPath: '.spec.revision' },
            { name: 'Status', type: 'string', jsonPath: '.status.status' },
            { name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp' },
          ],
        }],
      },
    });
  }
}

const CRUD = ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete'];

/**
 * What reconciling an IstioOperator takes, narrower than the chart's wildcards: the operator
 * applies Istio's charts (CRDs, webhooks, Deployments, DaemonSets, Services, RBAC, autoscalers,
 * disruption budgets, Istio config), waits for them to become ready, and prunes what a later
 * revision of the spec no longer renders. Dropped from upstream: the retired
 * authentication.istio.io and config.istio.io groups, `extensions`, ingresses, statefulsets, PVCs
 * and ServiceMonitors, which Istio 1.20 to 1.23 charts do not render.
 */
const OPERATOR_CLUSTER_RULES: k8s.PolicyRule[] = [
  { apiGroups: ['install.istio.io'], resources: ['istiooperators', 'istiooperators/status', 'istiooperators/finalizers'], verbs: ['get', 'list', 'watch', 'update', 'patch'] },
  { apiGroups: ['networking.istio.io', 'security.istio.io', 'telemetry.istio.io', 'extensions.istio.io'], resources: ['*'], verbs: CRUD },
  { apiGroups: ['admissionregistration.k8s.io'], resources: ['mutatingwebhookconfigurations', 'validatingwebhookconfigurations'], verbs: CRUD },
  { apiGroups: ['apiextensions.k8s.io'], resources: ['customresourcedefinitions'], verbs: CRUD },
  { apiGroups: ['apps'], resources: ['deployments', 'daemonsets'], verbs: CRUD },
  { apiGroups: ['apps'], resources: ['replicasets'], verbs: ['get', 'list', 'watch'] },
  { apiGroups: ['autoscaling'], resources: ['horizontalpodautoscalers'], verbs: CRUD },
  { apiGroups: ['policy'], resources: ['poddisruptionbudgets'], verbs: CRUD },
  // istiod's and the gateways' roles grant permissions the operator does not hold; Kubernetes
  // lets a client create such roles and bindings only with `escalate` and `bind`. That makes the
  // operator as powerful as what it installs: keep its namespace to cluster administrators.
  { apiGroups: ['rbac.authorization.k8s.io'], resources: ['clusterroles', 'clusterrolebindings', 'roles', 'rolebindings'], verbs: [...CRUD, 'escalate', 'bind'] },
  { apiGroups: [''], resources: ['configmaps', 'endpoints', 'secrets', 'services', 'serviceaccounts'], verbs: CRUD },
  { apiGroups: [''], resources: ['pods', 'namespaces'], verbs: ['get', 'list', 'watch'] },
  { apiGroups: [''], resources: ['events'], verbs: ['create', 'patch'] },
];
