import { isDnsLabel } from '../core/names';

const EXAMPLES = "'./*', 'istio-system/*' or 'shop/api.shop.svc.cluster.local'";

/** Namespace parts with a meaning of their own: the Sidecar's namespace, any, none. */
const SPECIAL_NAMESPACES: ReadonlySet<string> = new Set(['.', '*', '~']);

/**
 * Throws unless `host` is a Sidecar egress host in Istio's `namespace/dnsName` form:
 * - namespace: `.` (the Sidecar's namespace), `*` (any), `~` (none) or a DNS-1123 namespace name;
 * - dnsName: `*`, a DNS name such as `reviews.shop.svc.cluster.local`, or one starting with `*.`.
 *
 * These are the rules of Istio's own Sidecar validation; the CRD schema only says "string", so a
 * typo would otherwise reach istiod and be rejected there, far from the line that made it.
 *
 * @param field the prop the host came from, named in errors, e.g. `egressHosts[2]`
 */
export function assertEgressHost(field: string, host: string): void {
  const parts = host.split('/');
  if (parts.length !== 2) {
    throw new Error(`${field} must be of the form namespace/dnsName, such as ${EXAMPLES}, got '${host}'`);
  }
  const [namespace, dnsName] = parts;
  if (!SPECIAL_NAMESPACES.has(namespace) && !isDnsLabel(namespace)) {
    throw new Error(`${field}: the namespace part must be '.', '*', '~' or a DNS-1123 namespace name (lower case letters, digits and '-'), got '${namespace}' in '${host}'`);
  }
  if (!isDnsName(dnsName)) {
    throw new Error(`${field}: the dnsName part must be '*', a DNS name such as reviews.shop.svc.cluster.local, or a wildcard such as *.example.com, got '${dnsName}' in '${host}'`);
  }
}

function isDnsName(dnsName: string): boolean {
  if (dnsName === '*') {
    return true;
  }
  const name = dnsName.startsWith('*.') ? dnsName.slice(2) : dnsName;
  return name.length > 0 && name.length <= 253 && name.split('.').every(isDnsLabel);
}

/**
 * The hosts of one Sidecar in canonical form: duplicates and hosts a namespace wildcard already
 * covers (`shop/api.shop.svc.cluster.local` next to `shop/*`, or an own-namespace host next to
 * `./*`) dropped, `./*` first and the rest sorted, so the output does not depend on the order in
 * which dependencies were declared.
 *
 * @param ownNamespace namespace of the Sidecar, which `.` stands for
 */
export function canonicalEgressHosts(hosts: Iterable<string>, ownNamespace: string): string[] {
  const unique = new Set(hosts);
  const wildcardNamespaces = new Set<string>();
  for (const host of unique) {
    const [namespace, dnsName] = host.split('/');
    if (dnsName === '*' && namespace !== '~') {
      wildcardNamespaces.add(namespace === '.' ? ownNamespace : namespace);
    }
  }
  const covered = (host: string): boolean => {
    const [namespace, dnsName] = host.split('/');
    const resolved = namespace === '.' ? ownNamespace : namespace;
    return dnsName !== '*' && (wildcardNamespaces.has(resolved) || wildcardNamespaces.has('*'));
  };
  const rest = [...unique].filter((host) => host !== './*' && !covered(host)).sort();
  return unique.has('./*') ? ['./*', ...rest] : rest;
}

