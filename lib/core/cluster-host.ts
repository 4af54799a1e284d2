/** Where a host points, once classified. */
export type HostTarget =
  | { readonly inCluster: false }
  | { readonly inCluster: true; readonly service: string; readonly namespace: string };

/**
 * In-cluster service names are `<service>.<namespace>` or `<service>.<namespace>.svc[.<domain>]`;
 * anything else (one label, IP addresses, other domains, a trailing dot) is outside the cluster.
 */
export function classifyHost(host: string): HostTarget {
  const labels = host.split('.');
  if (host.endsWith('.') || labels.some((label) => label === '') || /^[0-9.]+$/.test(host) || host.includes(':')) {
    return { inCluster: false };
  }
  if (labels.length === 2 || (labels.length >= 3 && labels[2] === 'svc')) {
    return { inCluster: true, service: labels[0], namespace: labels[1] };
  }
  return { inCluster: false };
}

/** `host:port` into its parts; the port is undefined when none is written. */
export function splitHostPort(address: string): [string, number | undefined] {
  const match = /^(.*):(\d+)$/.exec(address);
  return match ? [match[1], Number(match[2])] : [address, undefined];
}
