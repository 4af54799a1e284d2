import { IstioCniSpecValuesCni } from '../../imports/sail-istiocni-sailoperator.io';
import { assertDnsLabel } from '../core/names';

/** Where a Kubernetes distribution keeps CNI binaries and configuration, and how it chains plugins. */
export class CniPlatform {
  /** Upstream defaults (`/opt/cni/bin`, `/etc/cni/net.d`): kubeadm, EKS, AKS, kind and most others. */
  public static readonly DEFAULT = new CniPlatform('default', {});

  /** Google Kubernetes Engine: binaries in `/home/kubernetes/bin` (Istio's `global.platform=gke`). */
  public static readonly GKE = new CniPlatform('gke', { cniBinDir: '/home/kubernetes/bin' });

  /** k3s (and k3d): the paths of k3s' bundled flannel. */
  public static readonly K3S = new CniPlatform('k3s', {
    cniBinDir: '/var/lib/rancher/k3s/data/current/bin',
    cniConfDir: '/var/lib/rancher/k3s/agent/etc/cni/net.d',
  });

  /**
   * OpenShift: Multus runs the plugin as a standalone (not chained) network attached to each pod,
   * from Multus' own configuration directory.
   */
  public static readonly OPENSHIFT = new CniPlatform('openshift', {
    cniBinDir: '/var/lib/cni/bin',
    cniConfDir: '/etc/cni/multus/net.d',
    cniConfFileName: 'istio-cni.conf',
    chained: false,
    provider: 'multus',
  });

  /**
   * Another distribution's directories.
   * @throws if a directory is not an absolute path
   */
  public static custom(dirs: { readonly binDir?: string; readonly confDir?: string }): CniPlatform {
    assertAbsolutePath('CniPlatform.custom binDir', dirs.binDir);
    assertAbsolutePath('CniPlatform.custom confDir', dirs.confDir);
    return new CniPlatform('custom', { cniBinDir: dirs.binDir, cniConfDir: dirs.confDir });
  }

  private constructor(
    /** Name for messages and the `global.platform` value where Istio knows the platform. */
    public readonly name: string,
    /** The chart values this platform needs. */
    public readonly values: IstioCniSpecValuesCni,
  ) {}

  /** Whether Multus runs the plugin (`provider: multus`): istiod must then know it too. */
  public get usesMultus(): boolean {
    return this.values.provider === 'multus';
  }
}

/**
 * Istio CNI node agent settings. The agent is a DaemonSet that sets up each meshed pod's traffic
 * redirection instead of a privileged `istio-init` container. It chains after the cluster's own
 * CNI plugin (Calico, Cilium, flannel, the cloud's VPC CNI ...) and does not replace it: pod
 * networking stays with the cluster's CNI.
 */
export interface IstioCniOptions {
  /** The distribution, which decides where CNI binaries and configuration live. @default CniPlatform.DEFAULT */
  readonly platform?: CniPlatform;
  /**
   * Namespace of the node agent. On GKE, node-critical pods need a ResourceQuota in their
   * namespace; `kube-system` has one.
   * @default - the control plane's namespace (`kube-system` on OpenShift)
   */
  readonly namespace?: string;
  /** Namespaces whose pods the plugin leaves alone. @default - the chart's default (`kube-system`) */
  readonly excludeNamespaces?: string[];
  /**
   * Add Istio's plugin to the existing CNI configuration's chain (true), or write it as a
   * standalone configuration for Multus (false).
   * @default - the platform's: true, false on OpenShift
   */
  readonly chained?: boolean;
  /** CNI binary directory on the nodes, overriding the platform's. @default - the platform's */
  readonly binDir?: string;
  /** CNI configuration directory on the nodes, overriding the platform's. @default - the platform's */
  readonly confDir?: string;
}

/** The Istio CNI chart values (`values.cni` of IstioOperator, `spec.values.cni` of Sail's IstioCNI). */
export function istioCniValues(options: IstioCniOptions): IstioCniSpecValuesCni {
  const platform = options.platform ?? CniPlatform.DEFAULT;
  assertAbsolutePath('cni.binDir', options.binDir);
  assertAbsolutePath('cni.confDir', options.confDir);
  for (const namespace of options.excludeNamespaces ?? []) {
    assertDnsLabel('cni.excludeNamespaces entry', namespace);
  }
  return {
    ...platform.values,
    chained: options.chained ?? platform.values.chained,
    cniBinDir: options.binDir ?? platform.values.cniBinDir,
    cniConfDir: options.confDir ?? platform.values.cniConfDir,
    excludeNamespaces: options.excludeNamespaces,
  };
}

function assertAbsolutePath(field: string, path: string | undefined): void {
  if (path !== undefined && !/^\/[^\s]*$/.test(path)) {
    throw new Error(`${field} must be an absolute directory path on the nodes, such as /opt/cni/bin, got '${path}'`);
  }
}
