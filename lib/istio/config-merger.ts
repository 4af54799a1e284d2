function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && Object.getPrototypeOf(value) === Object.prototype;
}

/**
 * Fields of which at most one may be set in the same object: a protobuf `oneof` of Istio's API,
 * which the CRDs enforce with a CEL rule (`At most one of [zipkin lightstep datadog] should be set`).
 */
export interface OneOfGroup {
  /**
   * Where the object is, below the merged root: dotted field names, `[]` for every item of a
   * list, `*` for every value of a map, e.g. `defaultConfig.tracing` or `extensionProviders[]`.
   * '' for the root itself.
   */
  readonly at: string;
  /** The fields of which at most one may be set. */
  readonly members: readonly string[];
}

/** Who contributes a fragment, for conflict messages. */
export interface MergeSource {
  /** Who, in words: `tracing`, `the library's Zipkin tracer (tracing)`. */
  readonly name: string;
  /**
   * Where the contributor wrote the fragment, when it is a user's configuration
   * (`controlPlane.meshConfig`): conflicts then name the full key path of the conflicting field.
   * @default - the fragment is named by `name` only
   */
  readonly keyPath?: string;
}

/**
 * Deep-merges configuration fragments contributed by several parties (the user's props, DNS proxy,
 * tracing, Prometheus ...) into one object, so that the order of contributions never changes the
 * result:
 * - objects merge key by key;
 * - arrays concatenate, an element equal to one already present is kept once;
 * - any other value (string, number, boolean, a generated int-or-string wrapper) may be set by
 *   several parties only to the same value; two different values are an error naming the key and
 *   both parties;
 * - of the fields of a one-of group ({@link OneOfGroup}) at most one may be set in the merged
 *   object: two set (by two parties, or by one) are an error naming both fields and who set them.
 */
export class ConfigMerger<T extends object> {
  private merged: Record<string, unknown> = {};
  /** Who set each leaf, by its path below the root (`defaultConfig.tracing.zipkin.address`, `extensionProviders[0].name`). */
  private readonly origins = new Map<string, MergeSource>();

  /**
   * @param rootName how messages name the merged object, e.g. `meshConfig`
   * @param oneOfs the one-of groups of the merged object's type
   */
  constructor(private readonly rootName: string, private readonly oneOfs: readonly OneOfGroup[] = []) {}

  /**
   * Merges `fragment`. On a conflict nothing is merged.
   * @param source who contributes the fragment, named in conflict messages
   * @throws if a value is already set to something else, or a one-of group ends up with two fields set
   */
  public add(fragment: T | undefined, source: string | MergeSource): void {
    if (fragment === undefined) {
      return;
    }
    const contributor = typeof source === 'string' ? { name: source } : source;
    const newOrigins = new Map<string, MergeSource>();
    const merged = this.mergeObject(this.merged, fragment as Record<string, unknown>, '', contributor, newOrigins);
    const origins = new Map([...this.origins, ...newOrigins]);
    for (const group of this.oneOfs) {
      this.assertOneOf(group, merged, origins);
    }
    this.merged = merged;
    newOrigins.forEach((origin, path) => this.origins.set(path, origin));
  }

  /** The merged configuration so far. */
  public get value(): T {
    return this.merged as T;
  }

  private mergeObject(base: Record<string, unknown>, fragment: Record<string, unknown>, path: string, source: MergeSource, newOrigins: Map<string, MergeSource>): Record<string, unknown> {
    const result: Record<string, unknown> = { ...base };
    for (const [key, value] of Object.entries(fragment)) {
      if (value === undefined) {
        continue;
      }
      const keyPath = joinPath(path, key);
      const existing = result[key];
      if (existing === undefined) {
        result[key] = value;
        recordLeaves(value, keyPath, source, newOrigins);
      } else if (isPlainObject(existing) && isPlainObject(value)) {
        result[key] = this.mergeObject(existing, value, keyPath, source, newOrigins);
      } else if (Array.isArray(existing) && Array.isArray(value)) {
        const seen = new Set(existing.map((item) => JSON.stringify(item)));
        const added = value.filter((item) => !seen.has(JSON.stringify(item)));
        added.forEach((item, index) => recordLeaves(item, `${keyPath}[${existing.length + index}]`, source, newOrigins));
        result[key] = [...existing, ...added];
      } else if (JSON.stringify(existing) !== JSON.stringify(value)) {
        const previous = this.origins.get(keyPath) ?? newOrigins.get(keyPath);
        throw new Error(`${this.rootName}.${keyPath} is set twice to different values: ${JSON.stringify(existing)} by ${previous?.name ?? 'an earlier contribution'} `
          + `and ${JSON.stringify(value)} by ${source.name}; set it in one place only`);
      }
    }
    return result;
  }

  private assertOneOf(group: OneOfGroup, merged: Record<string, unknown>, origins: ReadonlyMap<string, MergeSource>): void {
    for (const [path, node] of nodesAt(merged, group.at)) {
      const set = group.members.filter((member) => node[member] !== undefined);
      if (set.length < 2) {
        continue;
      }
      const setters = set.map((member) => this.settersOf(joinPath(path, member), origins));
      const described = set.map((member, index) => `${member} (set by ${setters[index].join(' and ')})`);
      const where = `${this.rootName}${path === '' ? '' : `.${path}`}`;
      const distinct = [...new Set(setters.flat())];
      const fix = distinct.length > 1 ? `keep one: remove ${distinct.join(' or ')}` : 'remove all but one of them';
      throw new Error(`${where}: at most one of [${group.members.join(' ')}] may be set (a one-of of Istio's API, which the API server `
        + `enforces with the CRD rule "At most one of [${group.members.join(' ')}] should be set"), got ${described.join(' and ')}; ${fix}`);
    }
  }

  /** Who set a member: `controlPlane.meshConfig.defaultConfig.tracing.datadog`, or a party's name. */
  private settersOf(memberPath: string, origins: ReadonlyMap<string, MergeSource>): string[] {
    const setters = sourcesOf(memberPath, origins).map((source) => (source.keyPath ? joinPath(source.keyPath, memberPath) : source.name));
    return setters.length > 0 ? setters : ['an earlier contribution'];
  }
}

function joinPath(parent: string, key: string): string {
  return parent === '' ? key : `${parent}.${key}`;
}

/** Records who set `value` at `path`: every leaf, every list item's leaves, and empty objects (`stackdriver: {}` sets a tracer). */
function recordLeaves(value: unknown, path: string, source: MergeSource, origins: Map<string, MergeSource>): void {
  if (isPlainObject(value) && Object.keys(value).length > 0) {
    for (const [key, child] of Object.entries(value)) {
      recordLeaves(child, joinPath(path, key), source, origins);
    }
  } else if (Array.isArray(value) && value.length > 0) {
    value.forEach((item, index) => recordLeaves(item, `${path}[${index}]`, source, origins));
  } else {
    origins.set(path, source);
  }
}

/** The distinct sources of the leaves at or under `path`, in the order they were recorded. */
function sourcesOf(path: string, origins: ReadonlyMap<string, MergeSource>): MergeSource[] {
  const found = new Map<string, MergeSource>();
  origins.forEach((source, leaf) => {
    if (leaf === path || leaf.startsWith(`${path}.`) || leaf.startsWith(`${path}[`)) {
      found.set(`${source.name}\0${source.keyPath ?? ''}`, source);
    }
  });
  return [...found.values()];
}

/** The objects at a group's location, with their concrete paths (`extensionProviders[1]`). */
function nodesAt(root: Record<string, unknown>, at: string): Array<[string, Record<string, unknown>]> {
  let nodes: Array<[string, unknown]> = [['', root]];
  for (const segment of at === '' ? [] : at.replace(/\[\]/g, '.[]').split('.')) {
    const next: Array<[string, unknown]> = [];
    for (const [path, node] of nodes) {
      if (segment === '[]' && Array.isArray(node)) {
        node.forEach((item, index) => next.push([`${path}[${index}]`, item]));
      } else if (segment === '*' && isPlainObject(node)) {
        Object.entries(node).forEach(([key, child]) => next.push([joinPath(path, key), child]));
      } else if (isPlainObject(node) && node[segment] !== undefined) {
        next.push([joinPath(path, segment), node[segment]]);
      }
    }
    nodes = next;
  }
  return nodes.filter((entry): entry is [string, Record<string, unknown>] => isPlainObject(entry[1]));
}
