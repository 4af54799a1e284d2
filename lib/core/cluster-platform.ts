import { IConstruct } from 'constructs';

/** Fixed user and group ids of a pod or container, as a securityContext spells them. */
export interface FixedIds {
  readonly runAsUser?: number;
  readonly runAsGroup?: number;
  readonly fsGroup?: number;
}

interface PlatformOfApp {
  platform: ClusterPlatform;
  /** Where a part first read the platform: set before any part is created. */
  readBy?: string;
}

const registry = new WeakMap<IConstruct, PlatformOfApp>();

/**
 * The Kubernetes distribution the whole app runs on: one setting for the app, which every part
 * that renders pods reads ({@link of}), instead of a flag on each construct. Set it once, before
 * the parts are created:
 *
 * ```ts
 * ClusterPlatform.use(app, ClusterPlatform.OPENSHIFT);
 * ```
 *
 * On OpenShift the restricted-v2 SCC assigns each namespace's pods a UID (and fsGroup) from the
 * namespace's range and refuses pods that ask for another, so parts leave `runAsUser`,
 * `runAsGroup` and `fsGroup` unset there ({@link fixedIds}), as Istio's gateway chart does.
 */
export class ClusterPlatform {
  /** Upstream Kubernetes and distributions that add nothing the output must know (EKS, AKS, kind, ...). */
  public static readonly KUBERNETES = new ClusterPlatform('kubernetes', false);
  /** Google Kubernetes Engine. */
  public static readonly GKE = new ClusterPlatform('gke', false);
  /** k3s and k3d. */
  public static readonly K3S = new ClusterPlatform('k3s', false);
  /** OpenShift: the platform assigns user and group ids. */
  public static readonly OPENSHIFT = new ClusterPlatform('openshift', true);

  /**
   * Sets the platform of the app `scope` belongs to.
   * @throws if a part of the app already read another platform (it rendered for that one)
   */
  public static use(scope: IConstruct, platform: ClusterPlatform): void {
    const root = scope.node.root;
    const current = registry.get(root);
    if (current && current.platform !== platform && current.readBy !== undefined) {
      throw new Error(`ClusterPlatform.use(${platform.name}) comes after ${current.readBy} was rendered for ${current.platform.name}: set the platform before creating any part of the app`);
    }
    registry.set(root, { platform, readBy: current?.readBy });
  }

  /** The platform of the app `scope` belongs to: {@link KUBERNETES} unless {@link use} set another. */
  public static of(scope: IConstruct): ClusterPlatform {
    const root = scope.node.root;
    let entry = registry.get(root);
    if (!entry) {
      entry = { platform: ClusterPlatform.KUBERNETES };
      registry.set(root, entry);
    }
    entry.readBy = entry.readBy ?? scope.node.path;
    return entry.platform;
  }

  private constructor(
    /** Name in messages and in mesh.yaml (`platform`). */
    public readonly name: string,
    /** Whether the platform assigns pods their user and group ids (and refuses fixed ones). */
    public readonly assignsUserIds: boolean,
  ) {}

  /** `ids` where pods may choose their ids; none where the platform assigns them. */
  public fixedIds(ids: FixedIds): FixedIds {
    return this.assignsUserIds ? {} : ids;
  }
}
