import { IConstruct } from 'constructs';

/**
 * What a {@link MeshWarning} is about: one code per kind of surprise. Add a member for a new kind,
 * so that tests and tools can tell warnings apart without matching their text.
 */
export enum MeshWarningCode {
  /** The Istio release no longer gets security fixes. */
  ISTIO_END_OF_LIFE = 'istio-end-of-life',
  /** The Istio patch release is newer than the newest this library knows. */
  ISTIO_PATCH_NEWER_THAN_KNOWN = 'istio-patch-newer-than-known',
  /** The Sail `spec.version` is one that only a Sail operator newer than the imported CRDs' accepts. */
  SAIL_OPERATOR_RELEASE_NEEDED = 'sail-operator-release-needed',
  /** Jaeger v1 (and its operator) no longer gets fixes. */
  JAEGER_V1_END_OF_LIFE = 'jaeger-v1-end-of-life',
  /** Kiali is not tested against the Istio release it shows: that release is past end of life. */
  KIALI_ISTIO_UNSUPPORTED = 'kiali-istio-unsupported',
  /** The Kiali image is older than the Istio release it shows. */
  KIALI_OLDER_THAN_ISTIO = 'kiali-older-than-istio',
  /** The Kiali CR names an image, which the Kiali operator installs only when it allows ad hoc images. */
  KIALI_AD_HOC_IMAGE = 'kiali-ad-hoc-image',
  /** Kiali waits for its signing key Secret, which the output does not contain. */
  KIALI_SIGNING_KEY = 'kiali-signing-key',
  /** Kiali waits for the Secret of its Grafana API credentials, which the output does not contain. */
  KIALI_GRAFANA_CREDENTIALS = 'kiali-grafana-credentials',
  /** Prometheus keeps samples for a retention period in storage that a restart empties. */
  PROMETHEUS_RETENTION_WITHOUT_STORAGE = 'prometheus-retention-without-storage',
  /** Gateway API objects need CRDs that neither Istio nor the output installs. */
  GATEWAY_API_CRDS = 'gateway-api-crds',
  /** An HTTPS listener's certificate Secret is not part of the output. */
  GATEWAY_CERTIFICATE_SECRET = 'gateway-certificate-secret',
  /** Istio's grafana.com dashboards are not pinned to the revision of the Istio release: they follow the newest. */
  ISTIO_DASHBOARDS_UNPINNED = 'istio-dashboards-unpinned',
  /** A mesh-wide default Sidecar scopes namespaces outside the app. */
  MESH_DEFAULT_SIDECAR = 'mesh-default-sidecar',
  /** A service enrolled with a waypoint needs a label on its Service, which is not part of the output. */
  WAYPOINT_SERVICE_LABEL = 'waypoint-service-label',
}

/** What a construct tells {@link MeshWarnings.add}. */
export interface MeshWarningOptions {
  /** The kind of warning. */
  readonly code: MeshWarningCode;
  /** What will happen, in one sentence without a final period, naming the values involved. */
  readonly message: string;
  /** What to do about it, in the words of the TypeScript API (`set storage ...`). */
  readonly fix: string;
}

/** A choice that is valid and renders, but may not do what its author expects. */
export interface MeshWarning extends MeshWarningOptions {
  /** Construct path of the part that warned. */
  readonly path: string;
}

/**
 * The warnings of a whole app: parts that render something valid but surprising (an end-of-life
 * release, a Secret that must exist first, data that a restart loses) add one here, with the
 * fix; the synth summary of {@link MeshSynthesis} prints them, and TypeScript apps and tests read
 * {@link all}.
 *
 * One per app (the root of the construct tree), like {@link MeshValidation}:
 *
 * ```ts
 * MeshWarnings.of(app).all.forEach((warning) => console.warn(formatMeshWarning(warning)));
 * ```
 */
export class MeshWarnings {
  /** The warnings of the app `scope` belongs to; created on first use. */
  public static of(scope: IConstruct): MeshWarnings {
    const root = scope.node.root;
    let warnings = registry.get(root);
    if (!warnings) {
      warnings = new MeshWarnings();
      registry.set(root, warnings);
    }
    return warnings;
  }

  private readonly warnings = new Map<string, MeshWarning>();

  private constructor() {}

  /**
   * Adds a warning about `scope`. The same code, message and fix are kept once, however many
   * parts add them (the first part's path is kept).
   */
  public add(scope: IConstruct, options: MeshWarningOptions): void {
    if (options.message.trim() === '' || options.fix.trim() === '') {
      throw new Error(`a mesh warning needs a message and a fix, got message '${options.message}' and fix '${options.fix}'`);
    }
    const key = JSON.stringify([options.code, options.message, options.fix]);
    if (!this.warnings.has(key)) {
      this.warnings.set(key, { code: options.code, message: options.message, fix: options.fix, path: scope.node.path });
    }
  }

  /**
   * Every warning of the app, once each, ordered by code, then path, then message: the order
   * does not depend on the order the parts were added in.
   */
  public get all(): readonly MeshWarning[] {
    return [...this.warnings.values()].sort((a, b) => compare(a.code, b.code) || compare(a.path, b.path) || compare(a.message, b.message));
  }
}

/** A warning as one line of the synth summary: `<message>: <fix>`. */
export function formatMeshWarning(warning: MeshWarningOptions): string {
  return `${warning.message}: ${warning.fix}`;
}

/** Code-point order: the same in every locale, so the summary is byte-identical everywhere. */
function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

const registry = new WeakMap<IConstruct, MeshWarnings>();
