import { Manifest } from './crd-schema-validator';

/** An object that an install resource makes its installer (istioctl, an operator) create. */
export interface InstalledObject {
  /** API group, `''` for the core group. */
  readonly group: string;
  readonly kind: string;
  readonly namespace: string;
  readonly name: string;
  /** Which part of the install resource asks for it, for messages: `its ingress gateway components.ingressGateways[0]`. */
  readonly source: string;
  /** What to change so that it has one owner. */
  readonly fix: string;
}

/**
 * Installers whose resources are alternatives to each other, never applied together: an
 * IstioOperator (istioctl or the in-cluster operator) is one way to install the control plane,
 * the Sail `Istio` and `IstioCNI` another. Objects of two resources of one family collide in the
 * cluster; across families they are two install paths of one mesh.
 */
export type InstallerFamily = 'istio-operator' | 'sail';

const DEPLOYMENT = { group: 'apps', kind: 'Deployment' };
const SERVICE = { group: '', kind: 'Service' };
const GATEWAY_KINDS = [
  DEPLOYMENT, SERVICE, { group: '', kind: 'ServiceAccount' },
  { group: 'autoscaling', kind: 'HorizontalPodAutoscaler' }, { group: 'policy', kind: 'PodDisruptionBudget' },
];
const ISTIOD_KINDS = [DEPLOYMENT, SERVICE];
const CNI_KINDS = [{ group: 'apps', kind: 'DaemonSet' }];

/**
 * Gateways the IstioOperator profiles (istio/istio `manifests/profiles/*.yaml`) turn on unless
 * `components` switches them off by name: the default profile and those built on it install
 * `istio-ingressgateway`, demo also `istio-egressgateway`.
 */
const PROFILE_GATEWAYS: Record<string, { readonly ingressGateways: readonly string[]; readonly egressGateways: readonly string[] }> = {
  default: { ingressGateways: ['istio-ingressgateway'], egressGateways: [] },
  demo: { ingressGateways: ['istio-ingressgateway'], egressGateways: ['istio-egressgateway'] },
  openshift: { ingressGateways: ['istio-ingressgateway'], egressGateways: [] },
  preview: { ingressGateways: ['istio-ingressgateway'], egressGateways: [] },
  stable: { ingressGateways: ['istio-ingressgateway'], egressGateways: [] },
};

/** The family of an install resource, or undefined when the manifest installs nothing. */
export function installerFamily(manifest: Manifest): InstallerFamily | undefined {
  const key = `${manifest.apiVersion}/${manifest.kind}`;
  if (key === 'install.istio.io/v1alpha1/IstioOperator') {
    return 'istio-operator';
  }
  return key === 'sailoperator.io/v1/Istio' || key === 'sailoperator.io/v1/IstioCNI' ? 'sail' : undefined;
}

/**
 * The Deployments, Services, DaemonSets, autoscalers and disruption budgets that applying an
 * install resource creates, as the installer names them: istiod (`istiod`, `istiod-<revision>`),
 * every enabled gateway (the profile's unless switched off, and those of `components`), the
 * CNI node agent. Empty for anything that is not an install resource.
 */
export function installedObjects(manifest: Manifest): InstalledObject[] {
  const spec = (manifest.spec !== null && typeof manifest.spec === 'object' ? manifest.spec : {}) as Record<string, any>;
  const key = `${manifest.apiVersion}/${manifest.kind}`;
  if (key === 'install.istio.io/v1alpha1/IstioOperator') {
    return istioOperatorObjects(spec);
  }
  if (key === 'sailoperator.io/v1/Istio') {
    // Sail names the IstioRevision after the Istio (InPlace strategy), and istiod after the revision.
    const name = manifest.metadata?.name;
    const istiod = name === undefined || name === 'default' ? 'istiod' : `istiod-${name}`;
    return objects(ISTIOD_KINDS, stringOr(spec.namespace, 'istio-system'), istiod, 'istiod',
      'istiod belongs to the Sail operator: do not render it, or render no Istio for this revision');
  }
  if (key === 'sailoperator.io/v1/IstioCNI') {
    return objects(CNI_KINDS, stringOr(spec.namespace, 'istio-cni'), 'istio-cni-node', 'the CNI node agent',
      'the CNI node agent belongs to the Sail operator: do not render it, or render no IstioCNI');
  }
  return [];
}

function istioOperatorObjects(spec: Record<string, any>): InstalledObject[] {
  const namespace = stringOr(spec.namespace, 'istio-system');
  const revision = typeof spec.revision === 'string' && spec.revision !== '' && spec.revision !== 'default' ? spec.revision : undefined;
  const components = (spec.components !== null && typeof spec.components === 'object' ? spec.components : {}) as Record<string, any>;
  const installed = [
    ...components.pilot?.enabled === false ? [] : objects(ISTIOD_KINDS, namespace, revision ? `istiod-${revision}` : 'istiod', 'istiod',
      'istiod belongs to istioctl or the in-cluster operator: do not render it, or switch the component off (components.pilot.enabled: false)'),
    ...components.cni?.enabled === true ? objects(CNI_KINDS, stringOr(components.cni.namespace, namespace), 'istio-cni-node', 'the CNI node agent (components.cni)',
      'the CNI node agent belongs to istioctl or the in-cluster operator: do not render it, or switch components.cni off') : [],
  ];
  const profile = PROFILE_GATEWAYS[stringOr(spec.profile, 'default')];
  for (const field of ['ingressGateways', 'egressGateways'] as const) {
    const entries: unknown[] = Array.isArray(components[field]) ? components[field] : [];
    const byName = new Map<string, { enabled: boolean; namespace: string; source: string }>();
    for (const name of profile?.[field] ?? []) {
      byName.set(name, { enabled: true, namespace, source: `the ${stringOr(spec.profile, 'default')} profile's ${name} (not switched off in components.${field})` });
    }
    entries.forEach((entry, index) => {
      const gateway = (entry !== null && typeof entry === 'object' ? entry : {}) as Record<string, any>;
      if (typeof gateway.name !== 'string') {
        return;
      }
      const fromProfile = byName.get(gateway.name);
      byName.set(gateway.name, {
        // An entry that does not say inherits the profile's setting; a gateway of its own must be switched on.
        enabled: typeof gateway.enabled === 'boolean' ? gateway.enabled : fromProfile?.enabled ?? false,
        namespace: stringOr(gateway.namespace, fromProfile?.namespace ?? namespace),
        source: `its gateway components.${field}[${index}]`,
      });
    });
    for (const [name, gateway] of byName) {
      if (gateway.enabled) {
        installed.push(...objects(GATEWAY_KINDS, gateway.namespace, name, gateway.source,
          `switch the installer's gateway off (components.${field}: [{ name: ${name}, enabled: false }], as IstioOperatorFile does) `
          + 'and keep the rendered one, or do not render the gateway'));
      }
    }
  }
  return installed;
}

function objects(kinds: ReadonlyArray<{ group: string; kind: string }>, namespace: string, name: string, source: string, fix: string): InstalledObject[] {
  return kinds.map(({ group, kind }) => ({ group, kind, namespace, name, source, fix }));
}

function stringOr(value: unknown, fallback: string): string {
  return typeof value === 'string' && value !== '' ? value : fallback;
}
