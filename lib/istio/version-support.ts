import { IstioVersion } from './istio-version';

/** Kubernetes minor versions one Istio minor release is tested and supported on (inclusive). */
interface KubernetesRange {
  readonly min: number;
  readonly max: number;
}

/**
 * Istio's published support matrix (istio.io "Supported Releases"), `1.<minor>` of Kubernetes by
 * Istio minor. The only copy of this table in the library: add a row when a new Istio ships.
 */
const KUBERNETES_SUPPORT: Readonly<Record<string, KubernetesRange>> = {
  '1.31': { min: 32, max: 36 },
  '1.30': { min: 32, max: 36 },
  '1.29': { min: 31, max: 35 },
  '1.28': { min: 30, max: 34 },
  '1.27': { min: 29, max: 33 },
  '1.26': { min: 29, max: 33 },
  '1.25': { min: 29, max: 32 },
  '1.24': { min: 28, max: 31 },
  '1.23': { min: 27, max: 30 },
  '1.22': { min: 27, max: 30 },
  '1.21': { min: 26, max: 29 },
  '1.20': { min: 25, max: 29 },
};

/**
 * How many minors Istio supports at a time: the newest and the two before it (1.31, 1.30, 1.29);
 * older ones are past end of life, with no more patch releases, security fixes included. Derived
 * from the table, so a new row moves the window.
 */
const SUPPORTED_MINOR_COUNT = 3;

const KUBERNETES_VERSION = /^v?1\.(\d+)(?:\.\d+)?$/;

/** Newest first, so that messages suggest the most recent releases first. */
function knownIstioMinors(): string[] {
  return Object.keys(KUBERNETES_SUPPORT).sort((a, b) => Number(b.split('.')[1]) - Number(a.split('.')[1]));
}

/** Istio minors past end of life: all but the newest {@link SUPPORTED_MINOR_COUNT} of the table. */
const END_OF_LIFE = new Set(knownIstioMinors().slice(SUPPORTED_MINOR_COUNT));

/** Which Kubernetes versions each Istio release supports. */
export class IstioVersionSupport {
  /**
   * The Kubernetes range an Istio release supports, e.g. `{ min: '1.32', max: '1.36' }` for 1.30.
   * @throws if the Istio minor is not in the support table
   */
  public static kubernetesRange(istioVersion: IstioVersion): { readonly min: string; readonly max: string } {
    const range = IstioVersionSupport.rangeOf(istioVersion);
    return { min: `1.${range.min}`, max: `1.${range.max}` };
  }

  /**
   * Throws unless the Istio minor is one this library knows (and so knows the support range of).
   */
  public static assertKnown(istioVersion: IstioVersion): void {
    IstioVersionSupport.rangeOf(istioVersion);
  }

  /**
   * Throws unless `istioVersion` supports Kubernetes `kubernetesVersion` (`1.33`, `1.33.2` or
   * `v1.33.2`), naming the supported range and the Istio releases that would fit.
   */
  public static assertSupports(istioVersion: IstioVersion, kubernetesVersion: string): void {
    const match = KUBERNETES_VERSION.exec(kubernetesVersion);
    if (!match) {
      throw new Error(`kubernetesVersion must look like 1.33 (or 1.33.2), got '${kubernetesVersion}'`);
    }
    const kubernetesMinor = Number(match[1]);
    const range = IstioVersionSupport.rangeOf(istioVersion);
    if (kubernetesMinor >= range.min && kubernetesMinor <= range.max) {
      return;
    }
    const fitting = knownIstioMinors().filter((minor) => {
      const candidate = KUBERNETES_SUPPORT[minor];
      return kubernetesMinor >= candidate.min && kubernetesMinor <= candidate.max;
    });
    const advice = fitting.length > 0
      ? `pick an Istio release that supports it (${fitting.join(', ')})`
      : `no Istio release known to this library (${knownIstioMinors().join(', ')}) supports it`;
    throw new Error(`Istio ${istioVersion.minorVersion} supports Kubernetes 1.${range.min} to 1.${range.max}, got kubernetesVersion 1.${kubernetesMinor}: ${advice}`);
  }

  /** Whether the Istio minor of `istioVersion` is past end of life (no more security fixes). */
  public static isEndOfLife(istioVersion: IstioVersion): boolean {
    return END_OF_LIFE.has(istioVersion.minorVersion);
  }

  /** The Istio minors still supported upstream that this library knows, newest first (`['1.30', '1.29']`). */
  public static supportedMinors(): string[] {
    return knownIstioMinors().filter((minor) => !END_OF_LIFE.has(minor));
  }

  private static rangeOf(istioVersion: IstioVersion): KubernetesRange {
    const range = KUBERNETES_SUPPORT[istioVersion.minorVersion];
    if (!range) {
      const known = knownIstioMinors();
      throw new Error(`Istio ${istioVersion.minorVersion} is not a release this library knows the Kubernetes support of (known: ${known[known.length - 1]} to ${known[0]}): pick one of ${known.join(', ')}`);
    }
    return range;
  }

  private constructor() {}
}
