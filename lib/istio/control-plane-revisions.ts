import { assertDnsLabel } from '../core/names';
import { sailVersion } from './install-paths/sail-control-plane';
import { IstioVersion } from './istio-version';
import { IstioVersionSupport } from './version-support';

/**
 * Control plane revisions running side by side, for canary upgrades: the Sail operator's
 * `RevisionBased` update strategy. One Sail `Istio` carries the newest release (its active
 * revision); each older one is a revision Sail keeps while a tag, namespace or pod still uses it.
 */
export interface ControlPlaneRevisionsOptions {
  /**
   * The Istio releases running at the same time, each a revision, at most two minors apart (the
   * widest upgrade Istio supports). The newest is the `Istio`'s version; an older one must have
   * been that version in an earlier apply (Sail creates a revision only when the version changes
   * to it) and stays while something uses it.
   */
  readonly versions: IstioVersion[];
  /**
   * Revision tags (`IstioRevisionTag`), tag name to the release of the revision it points at.
   * Namespaces and gateways select a tag with `istio.io/rev=<tag>`; moving a tag to another
   * release moves every namespace that selects it at its pods' next restart.
   * @default - none
   */
  readonly tags?: Record<string, IstioVersion>;
  /**
   * Seconds the Sail operator waits, once nothing uses a revision that is not the active one,
   * before it deletes it.
   * @default - Sail's default, 30
   */
  readonly inactiveRevisionDeletionGracePeriodSeconds?: number;
}

/** One revision: its release and the name Sail gives it. */
export interface ControlPlaneRevision {
  readonly version: IstioVersion;
  /** `<istio name>-v1-30-7`: Sail's `RevisionBased` name (the Istio's name, then its `spec.version` with dashes). */
  readonly name: string;
}

/** A problem of {@link ControlPlaneRevisionsOptions}, with the field it is about. */
export class ControlPlaneRevisionsError extends Error {
  constructor(
    /** The field, relative to the options: `versions[1]`, `tags.prod-canary`. */
    public readonly key: string,
    /** What is wrong and the fix, without the field. */
    public readonly problem: string,
    field: string,
  ) {
    super(`${field}.${key} ${problem}`);
    this.name = 'ControlPlaneRevisionsError';
  }
}

/** The checked revisions and tags of a control plane. */
export class ControlPlaneRevisions {
  /**
   * Checks the options: releases known, of patch form, each once, at most two minors apart; tags
   * valid names pointing at one of the releases, and not named like a revision.
   * @param istioName prefix of the revision names: the Sail `Istio`'s name
   * @param sail whether the names are Sail's, from its spelling of the version (a patch newer
   * than Sail knows is its `v1.31-latest` alias there); istioctl's revisions get the same names
   * from the version itself, so that labels do not change with the install path
   */
  public static of(options: ControlPlaneRevisionsOptions, istioName: string, field = 'revisions', sail = true): ControlPlaneRevisions {
    const fail = (key: string, problem: string) => new ControlPlaneRevisionsError(key, problem, field);
    if (options.versions.length === 0) {
      throw fail('versions', 'must list at least one Istio release (the newest is the active revision), got none');
    }
    const seen = new Set<string>();
    const revisions = options.versions.map((version, index) => {
      if (version.patch === undefined) {
        throw fail(`versions[${index}]`, `must name a patch release such as ${IstioVersion.LATEST}, got ${version}`);
      }
      IstioVersionSupport.assertKnown(version);
      const name = `${istioName}-${(sail ? sailVersion(version) : `v${version}`).replace(/\./g, '-')}`;
      if (seen.has(name)) {
        throw fail(`versions[${index}]`, `is ${version} again: two revisions would have the same name ${name}; list each release once`);
      }
      seen.add(name);
      return { version, name };
    });
    const byAge = [...revisions].sort((a, b) => compareVersions(a.version, b.version));
    const oldest = byAge[0].version;
    const newest = byAge[byAge.length - 1].version;
    if (newest.major !== oldest.major || newest.minor - oldest.minor > 2) {
      throw fail('versions', `run ${oldest} and ${newest}, more than two minors apart, and Istio supports upgrades across at most two minors: `
        + `upgrade in steps (add a release at most two minors above ${oldest}, move everything to it, remove ${oldest}, then go on)`);
    }
    const tags = Object.entries(options.tags ?? {}).map(([tag, version]) => {
      try {
        assertDnsLabel('the tag name', tag);
      } catch (error) {
        throw fail(`tags.${tag}`, (error as Error).message);
      }
      const target = revisions.find((revision) => revision.version.toString() === version.toString());
      if (!target) {
        throw fail(`tags.${tag}`, `points at ${version}, which is not a running revision (${revisions.map((r) => r.version).join(', ')}): `
          + `point it at one of them, or add ${version} to ${field}.versions`);
      }
      if (seen.has(tag)) {
        throw fail(`tags.${tag}`, 'is named like a revision: Sail refuses a tag and a revision of the same name; rename the tag');
      }
      return { tag, revision: target };
    });
    const grace = options.inactiveRevisionDeletionGracePeriodSeconds;
    if (grace !== undefined && (!Number.isInteger(grace) || grace < 0)) {
      throw fail('inactiveRevisionDeletionGracePeriodSeconds', `must be a whole number of seconds, 0 or more, got ${grace}`);
    }
    return new ControlPlaneRevisions(byAge, new Map(tags.map(({ tag, revision }) => [tag, revision])), grace);
  }

  private constructor(
    /** The revisions, oldest first. */
    public readonly revisions: readonly ControlPlaneRevision[],
    /** Each tag and the revision it points at. */
    public readonly tags: ReadonlyMap<string, ControlPlaneRevision>,
    public readonly inactiveRevisionDeletionGracePeriodSeconds: number | undefined,
  ) {}

  /** The newest revision: the `Istio`'s version. */
  public get active(): ControlPlaneRevision {
    return this.revisions[this.revisions.length - 1];
  }

  /** Whether `istio.io/rev=<selector>` selects a running revision: a tag or a revision name. */
  public selects(selector: string): boolean {
    return this.tags.has(selector) || this.revisions.some((revision) => revision.name === selector);
  }

  /** The revision of this name. @throws if there is none */
  public revision(name: string): ControlPlaneRevision {
    const found = this.revisions.find((revision) => revision.name === name);
    if (!found) {
      throw new Error(`revision '${name}' is not one of the control plane's (${this.revisions.map((r) => r.name).join(', ')})`);
    }
    return found;
  }

  /** The tags that point at a revision, in the order they were given. */
  public tagsOf(revision: ControlPlaneRevision): string[] {
    return [...this.tags].filter(([, target]) => target.name === revision.name).map(([tag]) => tag);
  }

  /** What `istio.io/rev` may name, for messages: the tags, then the revision names. */
  public selectors(): string[] {
    return [...this.tags.keys(), ...this.revisions.map((revision) => revision.name)];
  }
}

/** The newest of the releases, before they are checked: it decides the default install path. */
export function newestRelease(versions: readonly IstioVersion[]): IstioVersion | undefined {
  return [...versions].sort(compareVersions).pop();
}

function compareVersions(a: IstioVersion, b: IstioVersion): number {
  return a.major - b.major || a.minor - b.minor || (a.patch ?? 0) - (b.patch ?? 0);
}
