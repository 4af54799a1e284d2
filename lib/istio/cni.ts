import { IstioCniSpecValuesCni } from '../../imports/sail-istiocni-sailoperator.io';
import { assertDnsLabel } from '../core/names';
import { defined } from '../core/defined';
import { IstioVersion } from './istio-version';

/**
 * How Istio's charts know a distribution (`global.platform`, the charts' `platform-<name>`
 * profile), and the Istio minor release whose charts first ship that profile: an older chart
 * fails on a platform it has no profile for.
 */
interface ChartPlatform {
  readonly name: string;
  readonly sinceIstioMinor?: number;
  /** The values to write where the profile applies, when they differ from the platform's. */
  readonly valuesUnderProfile?: IstioCniSpecValuesCni;
}

/** Where a Kubernetes distribution keeps CNI binaries and configuration, and how it chains plugins. */
export class CniPlatform {
  /** Upstream defaults (`/opt/cni/bin`, `/etc/cni/net.d`): kubeadm, EKS, AKS, kind and most others. */
  public static readonly DEFAULT = new CniPlatform('default', {});

  /**
   * Google Kubernetes Engine. From Istio 1.25 `global.platform=gke` selects the charts' GKE
   * profile, which leaves the binary directory to the chart's detection (`/home/kubernetes/bin`
   * on a `-gke` server version); before, the directory is set. GKE admits `system-node-critical`
   * pods, as the node agent is, only in `kube-system` or in a namespace with a ResourceQuota for
   * that priority class, so the agent's namespace gets one (see {@link needsNodeCriticalQuota}).
   */
  public static readonly GKE = new CniPlatform('gke', { cniBinDir: '/home/kubernetes/bin' },
    { name: 'gke', sinceIstioMinor: 25, valuesUnderProfile: {} }, true);

  /**
   * k3s: the configuration directory of k3s' bundled flannel, and `/var/lib/rancher/k3s/data/cni`,
   * the binary directory k3s has kept stable across upgrades since its October 2024 releases (the
   * one Istio's k3s profile uses from 1.25; the older `data/current/bin` moves on every upgrade).
   */
  public static readonly K3S = new CniPlatform('k3s', {
    cniBinDir: '/var/lib/rancher/k3s/data/cni',
    cniConfDir: '/var/lib/rancher/k3s/agent/etc/cni/net.d',
  }, { name: 'k3s', sinceIstioMinor: 24 });

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
  }, { name: 'openshift' });

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
    /** Name for messages. */
    public readonly name: string,
    /** The chart values this platform needs (where the charts have no profile for it). */
    public readonly values: IstioCniSpecValuesCni,
    private readonly chartPlatform?: ChartPlatform,
    /**
     * Whether the node agent's namespace needs a ResourceQuota for `system-node-critical` pods
     * (GKE) unless it is `kube-system`.
     */
    public readonly needsNodeCriticalQuota: boolean = false,
  ) {}

  /** Whether Multus runs the plugin (`provider: multus`): istiod must then know it too. */
  public get usesMultus(): boolean {
    return this.values.provider === 'multus';
  }

  /** The `global.platform` value for the charts of `istioVersion`, if they have a profile for it. */
  public globalPlatform(istioVersion: IstioVersion): string | undefined {
    const since = this.chartPlatform?.sinceIstioMinor;
    return since === undefined || istioVersion.isAtLeast(1, since) ? this.chartPlatform?.name : undefined;
  }

  /**
   * The chart values for `istioVersion`: the GKE profile of Istio 1.25 and later leaves the
   * binary directory unset on purpose (the chart detects it), so it is left out where that
   * profile applies.
   */
  public valuesFor(istioVersion: IstioVersion): IstioCniSpecValuesCni {
    const underProfile = this.globalPlatform(istioVersion) !== undefined ? this.chartPlatform?.valuesUnderProfile : undefined;
    return underProfile ?? this.values;
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
   * Namespace of the node agent. On GKE a namespace other than `kube-system` gets a ResourceQuota
   * for the agent's `system-node-critical` pods.
   * @default - with Sail, `istio-cni` (Sail's default); with an IstioOperator, the control plane's
   * namespace (`kube-system` on OpenShift)
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

/** The Istio CNI chart values (`values.cni` of IstioOperator, `spec.values.cni` of Sail's IstioCNI) for a release. */
export function istioCniValues(options: IstioCniOptions, istioVersion: IstioVersion): IstioCniSpecValuesCni {
  const platform = options.platform ?? CniPlatform.DEFAULT;
  const platformValues = platform.valuesFor(istioVersion);
  assertAbsolutePath('cni.binDir', options.binDir);
  assertAbsolutePath('cni.confDir', options.confDir);
  for (const namespace of options.excludeNamespaces ?? []) {
    assertDnsLabel('cni.excludeNamespaces entry', namespace);
  }
  const values: Record<string, unknown> = {
    ...platformValues,
    chained: options.chained ?? platformValues.chained,
    cniBinDir: options.binDir ?? platformValues.cniBinDir,
    cniConfDir: options.confDir ?? platformValues.cniConfDir,
    excludeNamespaces: options.excludeNamespaces,
  };
  return defined(values) as IstioCniSpecValuesCni;
}

function assertAbsolutePath(field: string, path: string | undefined): void {
  if (path !== undefined && !/^\/[^\s]*$/.test(path)) {
    throw new Error(`${field} must be an absolute directory path on the nodes, such as /opt/cni/bin, got '${path}'`);
  }
}
