/**
 * The Kubernetes release whose OpenAPI schema the core checks use: kubernetes-models 4.5.1 is
 * generated from Kubernetes 1.33 (it has 1.33's `Lifecycle.stopSignal`, none of 1.34's fields).
 * It is the only core schema available offline; cdk8s-plus-28's `k8s` module is typed for 1.28
 * but carries no schema.
 */
export const CORE_SCHEMA_KUBERNETES_MINOR = 33;

/**
 * The oldest Kubernetes any Istio release this library installs supports (Istio 1.20: 1.25), so
 * the cluster an output is for when it declares no version serves at least what 1.25 serves.
 */
const OLDEST_SUPPORTED_MINOR = 25;

interface ServedRange {
  /** First minor that serves it, when after 1.16. */
  readonly since?: number;
  /** First minor that no longer serves it. */
  readonly removedIn?: number;
  /** What to write instead. */
  readonly instead: string;
}

/**
 * When API versions that kubernetes-models still carries were served, from Kubernetes' deprecated
 * API migration guide (GA or on-by-default beta): by `group/version/Kind`, or by `group/version`
 * for every kind of it. kubernetes-models keeps removed versions, so its schema alone would pass a
 * `policy/v1beta1` PodDisruptionBudget that no supported cluster serves.
 */
const SERVED: Readonly<Record<string, ServedRange>> = {
  'extensions/v1beta1': { removedIn: 16, instead: 'apps/v1 (workloads) or networking.k8s.io/v1 (Ingress)' },
  'extensions/v1beta1/Ingress': { removedIn: 22, instead: 'networking.k8s.io/v1' },
  'apps/v1beta1': { removedIn: 16, instead: 'apps/v1' },
  'apps/v1beta2': { removedIn: 16, instead: 'apps/v1' },
  'admissionregistration.k8s.io/v1beta1': { removedIn: 22, instead: 'admissionregistration.k8s.io/v1' },
  'apiextensions.k8s.io/v1beta1': { removedIn: 22, instead: 'apiextensions.k8s.io/v1' },
  'apiregistration.k8s.io/v1beta1': { removedIn: 22, instead: 'apiregistration.k8s.io/v1' },
  'authentication.k8s.io/v1beta1': { removedIn: 22, instead: 'authentication.k8s.io/v1' },
  'authorization.k8s.io/v1beta1': { removedIn: 22, instead: 'authorization.k8s.io/v1' },
  'certificates.k8s.io/v1beta1': { removedIn: 22, instead: 'certificates.k8s.io/v1' },
  'coordination.k8s.io/v1beta1': { removedIn: 22, instead: 'coordination.k8s.io/v1' },
  'networking.k8s.io/v1beta1': { removedIn: 22, instead: 'networking.k8s.io/v1' },
  'rbac.authorization.k8s.io/v1beta1': { removedIn: 22, instead: 'rbac.authorization.k8s.io/v1' },
  'scheduling.k8s.io/v1beta1': { removedIn: 22, instead: 'scheduling.k8s.io/v1' },
  'storage.k8s.io/v1beta1': { removedIn: 22, instead: 'storage.k8s.io/v1' },
  'storage.k8s.io/v1beta1/CSIStorageCapacity': { removedIn: 27, instead: 'storage.k8s.io/v1' },
  'batch/v1beta1': { removedIn: 25, instead: 'batch/v1' },
  'policy/v1beta1': { removedIn: 25, instead: 'policy/v1 (PodDisruptionBudget; PodSecurityPolicy has no successor: use Pod Security Admission)' },
  'autoscaling/v2beta1': { removedIn: 25, instead: 'autoscaling/v2' },
  'discovery.k8s.io/v1beta1': { removedIn: 25, instead: 'discovery.k8s.io/v1' },
  'events.k8s.io/v1beta1': { removedIn: 25, instead: 'events.k8s.io/v1' },
  'node.k8s.io/v1beta1': { removedIn: 25, instead: 'node.k8s.io/v1' },
  'autoscaling/v2beta2': { removedIn: 26, instead: 'autoscaling/v2' },
  'flowcontrol.apiserver.k8s.io/v1beta1': { removedIn: 26, instead: 'flowcontrol.apiserver.k8s.io/v1' },
  'flowcontrol.apiserver.k8s.io/v1beta2': { removedIn: 29, instead: 'flowcontrol.apiserver.k8s.io/v1' },
  'flowcontrol.apiserver.k8s.io/v1beta3': { since: 26, removedIn: 32, instead: 'flowcontrol.apiserver.k8s.io/v1' },
  'flowcontrol.apiserver.k8s.io/v1': { since: 29, instead: 'flowcontrol.apiserver.k8s.io/v1beta3 before 1.29' },
  'autoscaling/v2': { since: 23, instead: 'autoscaling/v1 or v2beta2 before 1.23' },
  'storage.k8s.io/v1/CSIStorageCapacity': { since: 24, instead: 'storage.k8s.io/v1beta1 before 1.24' },
  'authentication.k8s.io/v1/SelfSubjectReview': { since: 28, instead: 'authentication.k8s.io/v1beta1 before 1.28' },
  'admissionregistration.k8s.io/v1/ValidatingAdmissionPolicy': { since: 30, instead: 'a validating webhook before 1.30' },
  'admissionregistration.k8s.io/v1/ValidatingAdmissionPolicyBinding': { since: 30, instead: 'a validating webhook before 1.30' },
  'networking.k8s.io/v1/IPAddress': { since: 33, instead: 'networking.k8s.io/v1beta1 before 1.33' },
  'networking.k8s.io/v1/ServiceCIDR': { since: 33, instead: 'networking.k8s.io/v1beta1 before 1.33' },
};

const KUBERNETES_VERSION = /^v?1\.(\d+)(?:\.\d+)?$/;

/**
 * The minor of a Kubernetes version (`1.33`, `1.33.2`, `v1.33.2`).
 * @throws if it is not shaped like one
 */
export function kubernetesMinor(version: string): number {
  const match = KUBERNETES_VERSION.exec(version);
  if (!match) {
    throw new Error(`kubernetesVersion must look like 1.33 (or 1.33.2), got '${version}'`);
  }
  return Number(match[1]);
}

/**
 * Why a Kubernetes release does not serve this core apiVersion and kind, or undefined when it
 * does. Without a declared version, the oldest Kubernetes a supported Istio runs on (1.25) is
 * assumed, so only what no such cluster serves is refused.
 */
export function notServedBecause(apiVersion: string, kind: string, kubernetesVersion: string | undefined): string | undefined {
  const range = SERVED[`${apiVersion}/${kind}`] ?? SERVED[apiVersion];
  if (!range) {
    return undefined;
  }
  const minor = kubernetesVersion === undefined ? undefined : kubernetesMinor(kubernetesVersion);
  const target = minor === undefined ? 'any Kubernetes a supported Istio runs on (1.25 and later)' : `Kubernetes 1.${minor} (kubernetesVersion)`;
  if (range.removedIn !== undefined && (minor ?? OLDEST_SUPPORTED_MINOR) >= range.removedIn) {
    return `${apiVersion} ${kind} is not served by ${target}: it was removed in Kubernetes 1.${range.removedIn}; use ${range.instead}`;
  }
  if (range.since !== undefined && minor !== undefined && minor < range.since) {
    return `${apiVersion} ${kind} is not served by ${target}: it is served from Kubernetes 1.${range.since} on; use ${range.instead}`;
  }
  return undefined;
}
