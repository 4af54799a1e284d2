function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && Object.getPrototypeOf(value) === Object.prototype;
}

/**
 * Deep-merges configuration fragments contributed by several parties (the user's props, DNS proxy,
 * tracing, Prometheus ...) into one object, so that the order of contributions never changes the
 * result:
 * - objects merge key by key;
 * - arrays concatenate, an element equal to one already present is kept once;
 * - any other value (string, number, boolean, a generated int-or-string wrapper) may be set by
 *   several parties only to the same value; two different values are an error naming the key and
 *   both parties.
 */
export class ConfigMerger<T extends object> {
  private merged: Record<string, unknown> = {};
  private readonly origins = new Map<string, string>();

  /** @param rootName how messages name the merged object, e.g. `meshConfig` */
  constructor(private readonly rootName: string) {}

  /**
   * Merges `fragment`. On a conflict nothing is merged.
   * @param source who contributes the fragment, named in conflict messages
   * @throws if a value is already set to something else
   */
  public add(fragment: T | undefined, source: string): void {
    if (fragment === undefined) {
      return;
    }
    const newOrigins = new Map<string, string>();
    this.merged = this.mergeObject(this.merged, fragment as Record<string, unknown>, this.rootName, source, newOrigins);
    newOrigins.forEach((origin, path) => this.origins.set(path, origin));
  }

  /** The merged configuration so far. */
  public get value(): T {
    return this.merged as T;
  }

  private mergeObject(base: Record<string, unknown>, fragment: Record<string, unknown>, path: string, source: string, newOrigins: Map<string, string>): Record<string, unknown> {
    const result: Record<string, unknown> = { ...base };
    for (const [key, value] of Object.entries(fragment)) {
      if (value === undefined) {
        continue;
      }
      const keyPath = `${path}.${key}`;
      const existing = result[key];
      if (existing === undefined) {
        result[key] = value;
        this.recordLeaves(value, keyPath, source, newOrigins);
      } else if (isPlainObject(existing) && isPlainObject(value)) {
        result[key] = this.mergeObject(existing, value, keyPath, source, newOrigins);
      } else if (Array.isArray(existing) && Array.isArray(value)) {
        const seen = new Set(existing.map((item) => JSON.stringify(item)));
        result[key] = [...existing, ...value.filter((item) => !seen.has(JSON.stringify(item)))];
      } else if (JSON.stringify(existing) !== JSON.stringify(value)) {
        const previous = this.origins.get(keyPath) ?? newOrigins.get(keyPath) ?? 'an earlier contribution';
        throw new Error(`${keyPath} is set twice to different values: ${JSON.stringify(existing)} by ${previous} and ${JSON.stringify(value)} by ${source}; set it in one place only`);
      }
    }
    return result;
  }

  private recordLeaves(value: unknown, path: string, source: string, newOrigins: Map<string, string>): void {
    if (isPlainObject(value)) {
      for (const [key, child] of Object.entries(value)) {
        this.recordLeaves(child, `${path}.${key}`, source, newOrigins);
      }
    } else {
      newOrigins.set(path, source);
    }
  }
}
