import { IstioVersion } from '../istio/istio-version';

/** The grafana.com revision of Istio's dashboards published with one Istio release. */
interface PublishedRevision {
  /** The revision number, the same for the five dashboards of Istio's Grafana guide. */
  readonly revision: number;
  /** The patch release it was published with. */
  readonly publishedWith: string;
}

/**
 * Istio's release tooling uploads its dashboards to grafana.com with every release, release
 * candidates included, each upload a new revision whose description names the release; the
 * newest revision is therefore often a release candidate of the next minor. The five dashboards
 * of Istio's Grafana guide (7639, 11829, 7636, 7630, 7645) are uploaded together, and every
 * public pin of them found sets the five to one revision number.
 *
 * Rows are added only where the number could be checked against a public source that pins it
 * next to the Istio release it installs; the source of these is the Splice deployment
 * (hyperledger-labs/splice, cluster/pulumi/infra/src/istio.ts, "updated from
 * https://grafana.com/orgs/istio/dashboards ... on each istio version"). A minor without a row gets
 * unpinned dashboards and a synth warning: add its row (or pin the dashboards in the app) once the
 * revision whose description names that release has been looked up on grafana.com.
 */
const PUBLISHED: Readonly<Record<string, PublishedRevision>> = {
  '1.29': { revision: 300, publishedWith: '1.29.2' },
  '1.28': { revision: 280, publishedWith: '1.28.1' },
  '1.26': { revision: 259, publishedWith: '1.26.1' },
  '1.20': { revision: 188, publishedWith: '1.20.0' },
};

/** Which grafana.com revision of Istio's dashboards belongs to an Istio release. */
export class IstioDashboardRevisions {
  /**
   * The revision of Istio's dashboards published with a patch of `istioVersion`'s minor, which
   * {@link IstioDashboards} pins by default; undefined where this library knows no verified
   * revision for that minor (the dashboards then follow grafana.com's newest revision, and the
   * app warns).
   */
  public static publishedFor(istioVersion: IstioVersion): number | undefined {
    return PUBLISHED[istioVersion.minorVersion]?.revision;
  }

  /** The patch release the pinned revision of `istioVersion`'s minor was published with, if any. */
  public static publishedWith(istioVersion: IstioVersion): string | undefined {
    return PUBLISHED[istioVersion.minorVersion]?.publishedWith;
  }

  /** The Istio minors with a known revision, newest first. */
  public static knownMinors(): string[] {
    return Object.keys(PUBLISHED).sort((a, b) => Number(b.split('.')[1]) - Number(a.split('.')[1]));
  }

  private constructor() {}
}
