import { Size } from 'cdk8s';
import {
  PrometheusSpecStorage, PrometheusSpecStorageEmptyDirSizeLimit, PrometheusSpecStorageVolumeClaimTemplateSpecResourcesRequests,
} from '../../imports/prometheus-prometheus-monitoring.coreos.com';
import { binaryQuantity } from '../core/container-resources';
import { isDnsSubdomain } from '../core/names';

/** Props of {@link PrometheusStorage.persistentVolume}. */
export interface PrometheusPersistentVolumeProps {
  /**
   * Size of each Prometheus pod's PersistentVolumeClaim.
   * @default Size.gibibytes(50): 15 days of about 250,000 active series scraped every 15s (see {@link PrometheusStorage.persistentVolume})
   */
  readonly size?: Size;
  /**
   * StorageClass of the claims. Leaving it out takes the cluster's default StorageClass; on a
   * cluster without one the claim stays Pending, and so does Prometheus.
   * @default - the cluster's default StorageClass
   */
  readonly storageClassName?: string;
}

/** Props of {@link PrometheusStorage.emptyDir}. */
export interface PrometheusEmptyDirProps {
  /**
   * Most the volume may hold (`sizeLimit`); the kubelet evicts the pod above it.
   * @default - no limit: the node's disk
   */
  readonly sizeLimit?: Size;
}

/** Where a {@link PrometheusServer} keeps its samples (the Prometheus' `spec.storage`). */
export abstract class PrometheusStorage {
  /**
   * A PersistentVolumeClaim per pod (`spec.storage.volumeClaimTemplate`, ReadWriteOnce), which
   * the operator keeps across restarts and rescheduling.
   *
   * Sized from the Prometheus storage documentation's 1 to 2 bytes per sample on disk: at 2
   * bytes a series scraped every 15s takes 11.5 KB a day, so the default retention size (80% of
   * the default 50 GiB: 40 GiB, 43 GB) holds the default 15 days of about 250,000 active series,
   * a mesh of a few hundred proxies (each exports series per peer it talks to).
   */
  public static persistentVolume(props: PrometheusPersistentVolumeProps = {}): PrometheusStorage {
    const size = props.size ?? Size.gibibytes(50);
    assertPositiveSize('size', size);
    if (props.storageClassName !== undefined && !isDnsSubdomain(props.storageClassName)) {
      throw new Error(`storageClassName must be a StorageClass name (a DNS-1123 subdomain such as 'standard-rwo'), got '${props.storageClassName}'`);
    }
    const quantity = binaryQuantity(size);
    return new RenderedStorage(true, size, {
      volumeClaimTemplate: {
        spec: {
          accessModes: ['ReadWriteOnce'],
          resources: { requests: { storage: PrometheusSpecStorageVolumeClaimTemplateSpecResourcesRequests.fromString(quantity) } },
          ...(props.storageClassName !== undefined && { storageClassName: props.storageClassName }),
        },
      },
    });
  }

  /**
   * An emptyDir (`spec.storage.emptyDir`): the samples go with the pod, which suits a throwaway
   * cluster; the app warns about it (a retention longer than a pod's life is lost).
   */
  public static emptyDir(props: PrometheusEmptyDirProps = {}): PrometheusStorage {
    if (props.sizeLimit !== undefined) {
      assertPositiveSize('sizeLimit', props.sizeLimit);
    }
    const sizeLimit = props.sizeLimit && binaryQuantity(props.sizeLimit);
    return new RenderedStorage(false, props.sizeLimit, { emptyDir: sizeLimit === undefined ? {} : { sizeLimit: PrometheusSpecStorageEmptyDirSizeLimit.fromString(sizeLimit) } });
  }

  /** Whether the samples outlive the pod. */
  public abstract readonly persistent: boolean;
  /** Most the volume holds: the claim's size or the emptyDir's limit. @default - no bound (an emptyDir without limit) */
  public abstract readonly capacity?: Size;
  /** The Prometheus' `spec.storage`. */
  public abstract readonly storageSpec: PrometheusSpecStorage;
}

class RenderedStorage extends PrometheusStorage {
  constructor(
    public readonly persistent: boolean,
    public readonly capacity: Size | undefined,
    public readonly storageSpec: PrometheusSpecStorage,
  ) {
    super();
  }
}

function assertPositiveSize(field: string, size: Size): void {
  const kibibytes = size.toKibibytes();
  if (!Number.isInteger(kibibytes) || kibibytes < 1024) {
    throw new Error(`${field} must be at least 1 MiB and a whole number of kibibytes, got ${kibibytes} KiB`);
  }
}
