import { k8s } from 'cdk8s-plus-28';

const READ = ['get', 'list', 'watch'];

/**
 * API groups of the mesh configuration Kiali shows, validates and (when allowed) edits: Istio's
 * own groups plus the Gateway API and Gateway API Inference Extension that Istio implements.
 */
const MESH_CONFIG_GROUPS = [
  'networking.istio.io',
  'security.istio.io',
  'extensions.istio.io',
  'telemetry.istio.io',
  'gateway.networking.k8s.io',
  'inference.networking.k8s.io',
];

/**
 * The Kubernetes rules of Kiali's read-only `kiali-viewer` ClusterRole (kiali-server chart and
 * kiali-operator 2.x). OpenShift-only groups (routes, deploymentconfigs, projects, oauthclients)
 * are left out: this rendering targets plain Kubernetes.
 *
 * Two `create` verbs remain and persist nothing: `pods/portforward` opens the stream Kiali uses to
 * read a proxy's Envoy config dump, and `tokenreviews` asks the API server who a login token
 * belongs to. Kiali's chart also lists the verb `post` on `pods/portforward`; RBAC has no such
 * verb (a POST is authorized as `create`), so it is not emitted.
 */
export function kialiViewerRules(): k8s.PolicyRule[] {
  return kialiRules(false);
}

/**
 * Kiali's `kiali` ClusterRole: the viewer rules plus what Kiali's wizards and actions write with
 * Kiali's own service account: mesh configuration (create, patch, delete) and the injection or
 * annotation patches on namespaces, services and workloads.
 */
export function kialiWriterRules(): k8s.PolicyRule[] {
  return kialiRules(true);
}

function kialiRules(write: boolean): k8s.PolicyRule[] {
  const patch = write ? ['patch'] : [];
  return [
    { apiGroups: [''], resources: ['configmaps', 'endpoints', 'pods/log'], verbs: READ },
    { apiGroups: [''], resources: ['namespaces', 'pods', 'replicationcontrollers', 'services'], verbs: [...READ, ...patch] },
    { apiGroups: [''], resources: ['pods/portforward'], verbs: ['create'] },
    { apiGroups: ['apps'], resources: ['daemonsets', 'deployments', 'replicasets', 'statefulsets'], verbs: [...READ, ...patch] },
    { apiGroups: ['batch'], resources: ['cronjobs', 'jobs'], verbs: [...READ, ...patch] },
    { apiGroups: MESH_CONFIG_GROUPS, resources: ['*'], verbs: write ? [...READ, 'create', 'delete', 'patch'] : READ },
    { apiGroups: ['authentication.k8s.io'], resources: ['tokenreviews'], verbs: ['create'] },
    { apiGroups: ['admissionregistration.k8s.io'], resources: ['mutatingwebhookconfigurations'], verbs: READ },
  ];
}
