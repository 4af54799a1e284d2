import { IstioSpecVersion } from '../../../imports/sail-istio-sailoperator.io';
import { IstioVersion } from '../istio-version';

/** The Sail operator release whose CRDs `npm run import` imported (../shared/crds/sail-operator). */
export const IMPORTED_SAIL_RELEASE = '1.30.3';

/**
 * The newest Sail operator release this library knows, and the newest patch of each Istio minor
 * it offers (`spec.version` of `Istio`, `IstioRevision`, `IstioCNI`, `ZTunnel`). Its CRD files
 * are not among the imported ones (those were taken while Istio 1.31 was at rc), so what it added
 * is written here: each patch of these minors up to the newest, and a `v<minor>-latest` alias per
 * minor, as every Sail release lists them. Sail keeps the releases of earlier operator versions
 * in its enum (the imported 1.30.3 CRDs list 1.21.6 to 1.30.3), so those stay accepted too.
 */
export const NEWEST_SAIL_RELEASE = { release: '1.31.2', newestPatches: { '1.31': 3, '1.30': 7, '1.29': 10 } } as const;

/** The `spec.version` values of the minors Sail 1.31.2 offers, newest first. */
function newestReleaseVersions(): string[] {
  return Object.entries(NEWEST_SAIL_RELEASE.newestPatches).flatMap(([minor, newest]) => [
    `v${minor}-latest`,
    ...Array.from({ length: newest + 1 }, (_, i) => `v${minor}.${newest - i}`),
  ]);
}

const IMPORTED_VERSIONS: readonly string[] = Object.values(IstioSpecVersion) as string[];
const NEWEST_VERSIONS: readonly string[] = newestReleaseVersions();

/**
 * The Sail `spec.version` values this library can write: those of the imported CRDs (1.21.6 to
 * 1.30.3) and those the newest known Sail release added (1.31.0 to 1.31.3, 1.30.4 to 1.30.7,
 * 1.29.7 to 1.29.10, and the `v1.31-latest` alias). The schema check of Sail objects accepts exactly these ({@link sailVersionEnum});
 * which operator release a value needs is {@link sailReleaseNeeded}.
 */
export const SAIL_VERSIONS: readonly string[] = [...new Set([...NEWEST_VERSIONS, ...IMPORTED_VERSIONS])]
  .sort((a, b) => compareSailVersions(b, a));

function compareSailVersions(a: string, b: string): number {
  // `v1.30-latest` sorts above every 1.30 patch, as in Sail's own enum.
  const key = (v: string) => {
    const match = /^v(\d+)\.(\d+)(?:\.(\d+))?(-latest)?$/.exec(v)!;
    return [Number(match[1]), Number(match[2]), match[4] ? Number.MAX_SAFE_INTEGER : Number(match[3] ?? 0)];
  };
  const [ka, kb] = [key(a), key(b)];
  return ka[0] - kb[0] || ka[1] - kb[1] || ka[2] - kb[2];
}

/**
 * The Sail operator release whose CRDs accept `spec.version` `sailVersion`, when the imported
 * ones do not: the API server of a cluster with an older Sail operator refuses it.
 */
export function sailReleaseNeeded(sailVersion: string): string | undefined {
  return IMPORTED_VERSIONS.includes(sailVersion) ? undefined : NEWEST_SAIL_RELEASE.release;
}

/**
 * The `spec.version` enum the schema check of the Sail kinds uses instead of the imported one:
 * {@link SAIL_VERSIONS}, the union of what the imported and the newest known Sail CRDs accept.
 */
export function sailVersionEnum(): string[] {
  return [...SAIL_VERSIONS];
}

/** The patch releases of `istioVersion`'s minor that a known Sail release lists, newest first. */
export function sailPatchesOf(istioVersion: IstioVersion): IstioVersion[] {
  const prefix = `v${istioVersion.minorVersion}.`;
  return SAIL_VERSIONS
    .filter((v) => v.startsWith(prefix) && /^v\d+\.\d+\.\d+$/.test(v))
    .map((v) => IstioVersion.of(v));
}
