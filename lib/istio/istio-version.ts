const VERSION = /^(\d+)\.(\d+)(?:\.(\d+))?$/;

/** An Istio release, `<major>.<minor>[.<patch>]`. */
export class IstioVersion {
  /**
   * The default release: the newest one whose CRDs (Istio's and the Sail operator's, values
   * schema included) this library imports and checks every object against. Newer releases it
   * knows, Istio 1.31 among them, are chosen explicitly (see `SAIL_VERSIONS`).
   */
  public static readonly LATEST = IstioVersion.of('1.30.3');

  /**
   * Parses a version such as `1.30.3` or `1.23`. A leading `v` (Sail's spelling) is accepted.
   * @throws if `version` is not of that form
   */
  public static of(version: string): IstioVersion {
    const match = VERSION.exec(version.replace(/^v/, ''));
    if (!match) {
      throw new Error(`Istio version must look like 1.30.3 or 1.30, got '${version}'`);
    }
    return new IstioVersion(Number(match[1]), Number(match[2]), match[3] === undefined ? undefined : Number(match[3]));
  }

  private constructor(
    public readonly major: number,
    public readonly minor: number,
    /** Patch release, if one was given. */
    public readonly patch: number | undefined,
  ) {}

  /** `<major>.<minor>`, the key of support tables. */
  public get minorVersion(): string {
    return `${this.major}.${this.minor}`;
  }

  /** Whether this release is `<major>.<minor>` or newer. */
  public isAtLeast(major: number, minor: number): boolean {
    return this.major > major || (this.major === major && this.minor >= minor);
  }

  public toString(): string {
    return this.patch === undefined ? this.minorVersion : `${this.minorVersion}.${this.patch}`;
  }
}
