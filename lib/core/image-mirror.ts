import { IConstruct } from 'constructs';
import { assertImageReference, assertImageRepository } from './names';

/** Options of {@link ImageMirror.at}. */
export interface ImageMirrorOptions {
  /**
   * Keep the source registry as the first path segment under the mirror:
   * `quay.io/kiali/kiali:v2.29.0` becomes `<registry>/quay.io/kiali/kiali:v2.29.0` instead of
   * `<registry>/kiali/kiali:v2.29.0`. For mirrors that copy several registries side by side.
   * @default false: the path under the mirror is the image's path at its source registry
   */
  readonly keepSourceRegistry?: boolean;
}

interface MirrorOfApp {
  mirror?: ImageMirror;
  /** Where a part first read the mirror: set before any part is created. */
  readBy?: string;
}

const mirrors = new WeakMap<IConstruct, MirrorOfApp>();

/**
 * The one registry every image of the app is pulled from, for clusters that reach no public
 * registry: one setting for the app, which every part that names an image reads ({@link of}).
 * Set it once, before the parts are created:
 *
 * ```ts
 * ImageMirror.use(app, ImageMirror.at('registry.example.com/mirror'));
 * ```
 *
 * It then reaches every image the output names, the defaults and the ones a part was given alike:
 * Istio's hub (`docker.io/istio` becomes `<registry>/istio`), Jaeger, Kiali, and the images an
 * operator would otherwise choose itself (the Prometheus, Grafana and Jaeger v1 custom resources
 * name them explicitly, at the release the operator this library is tested with picks). An image
 * already under the mirror is kept as it is.
 */
export class ImageMirror {
  /**
   * A mirror at `registry` (a host with an optional port and path, such as
   * `registry.example.com:5000/mirror`) holding each image under its source path.
   * @throws unless `registry` is an image repository prefix (no scheme, no tag, no trailing '/')
   */
  public static at(registry: string, options: ImageMirrorOptions = {}): ImageMirror {
    assertImageRepository('registry', registry);
    return new ImageMirror(registry, options.keepSourceRegistry ?? false);
  }

  /**
   * Sets the mirror of the app `scope` belongs to.
   * @throws if a part of the app already named its images without this mirror
   */
  public static use(scope: IConstruct, mirror: ImageMirror): void {
    const root = scope.node.root;
    const current = mirrors.get(root);
    if (current?.readBy !== undefined && !sameMirror(current.mirror, mirror)) {
      throw new Error(`ImageMirror.use(${mirror.registry}) comes after ${current.readBy} named its images ${current.mirror ? `from ${current.mirror.registry}` : 'without a mirror'}: set the mirror before creating any part of the app`);
    }
    mirrors.set(root, { mirror, readBy: current?.readBy });
  }

  /** The mirror of the app `scope` belongs to, or undefined when images come from their own registries. */
  public static of(scope: IConstruct): ImageMirror | undefined {
    const root = scope.node.root;
    let entry = mirrors.get(root);
    if (!entry) {
      entry = {};
      mirrors.set(root, entry);
    }
    entry.readBy = entry.readBy ?? scope.node.path;
    return entry.mirror;
  }

  /** `image` as the app pulls it: from the app's mirror when one is set, else unchanged. */
  public static imageFor(scope: IConstruct, image: string): string {
    return ImageMirror.of(scope)?.image(image) ?? image;
  }

  /** Each image moved to the mirror so far, by its source reference. */
  private readonly copies = new Map<string, string>();

  private constructor(
    /** The registry and path prefix images are pulled from. */
    public readonly registry: string,
    /** Whether the source registry stays the first path segment under the mirror. */
    public readonly keepSourceRegistry: boolean,
  ) {}

  /**
   * The images the parts pull through this mirror, sorted by source: what to copy into it before
   * applying (`IMAGES.txt` of the output). Images the parts name by an Istio hub count with their
   * names under it (pilot, proxyv2, install-cni, ...).
   */
  public get images(): ReadonlyArray<{ readonly source: string; readonly mirrored: string }> {
    return [...this.copies].sort(([a], [b]) => a.localeCompare(b)).map(([source, mirrored]) => ({ source, mirrored }));
  }

  /**
   * Where the mirror holds `image`, an image reference such as
   * `docker.io/jaegertracing/jaeger:2.14.0`; an image already under the mirror is returned as it is.
   */
  public image(image: string): string {
    assertImageReference('image', image);
    const mirrored = this.rewrite(image, true);
    if (mirrored !== image) {
      this.copies.set(image, mirrored);
    }
    return mirrored;
  }

  /**
   * Where the mirror holds `repository`, an image repository or a prefix of repositories such as
   * Istio's hub `docker.io/istio`; one already under the mirror is returned as it is. Unlike
   * {@link image}, it lists nothing in {@link images}: a repository names no image to copy.
   */
  public repository(repository: string): string {
    assertImageRepository('repository', repository);
    return this.rewrite(repository, false);
  }

  /** Whether `image` is pulled from this mirror. */
  public holds(image: string): boolean {
    return image.startsWith(`${this.registry}/`);
  }

  private rewrite(reference: string, isImage: boolean): string {
    if (this.holds(reference)) {
      return reference;
    }
    const { domain, path } = splitDomain(reference, isImage);
    return this.keepSourceRegistry ? `${this.registry}/${domain}/${path}` : `${this.registry}/${path}`;
  }
}

function sameMirror(a: ImageMirror | undefined, b: ImageMirror): boolean {
  return a !== undefined && a.registry === b.registry && a.keepSourceRegistry === b.keepSourceRegistry;
}

/**
 * The registry and the path of an image reference, as container runtimes read it
 * (github.com/distribution/reference): the first segment is a registry when it has a '.' or a
 * ':' or is `localhost`; otherwise the image is on Docker Hub, whose single-segment names are
 * official images under `library/` (an image's, not a hub's: a hub is a prefix of paths).
 */
function splitDomain(reference: string, isImage: boolean): { readonly domain: string; readonly path: string } {
  const slash = reference.indexOf('/');
  const first = slash === -1 ? '' : reference.slice(0, slash);
  const hasDomain = slash !== -1 && (first.includes('.') || first.includes(':') || first === 'localhost' || first.startsWith('['));
  const domain = hasDomain ? first : 'docker.io';
  const path = hasDomain ? reference.slice(slash + 1) : reference;
  const official = isImage && domain === 'docker.io' && !path.includes('/');
  return { domain, path: official ? `library/${path}` : path };
}

