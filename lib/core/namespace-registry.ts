import { ApiObject, Chart } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import { Construct, IConstruct } from 'constructs';
import { MeshValidation } from '../validation/mesh-validation';
import { plainApiObject } from './plain-api-object';

/**
 * The labels that choose a namespace's sidecar injection. Istio reads them together
 * (`istio-injection` wins over `istio.io/rev`), so two parts that set different ones want
 * different injection even when no single key differs.
 */
const INJECTION_LABELS = ['istio-injection', 'istio.io/rev'];

/** One part of the app that asked for a namespace. */
interface NamespaceRequest {
  /** The construct that asked (a MeshNamespace). */
  readonly requester: Construct;
  /** The labels it wants on the namespace. */
  readonly labels: Readonly<Record<string, string>>;
}

/** A part and the label values it wants, for a {@link NamespaceLabelConflict}. */
export interface NamespaceLabelWish {
  /** Construct path of the part. */
  readonly path: string;
  /** The labels in conflict, as the part wants them (`istio-injection=enabled`). */
  readonly labels: Readonly<Record<string, string>>;
}

/**
 * Two parts of the app want the same namespace with different values of a label. Carries both
 * parts, so that the mesh.yaml builder can name them by their keys.
 *
 * Internal: not re-exported from lib/index.ts.
 */
export class NamespaceLabelConflict extends Error {
  public static isNamespaceLabelConflict(error: unknown): error is NamespaceLabelConflict {
    return error instanceof Error && (error as { readonly namespaceLabelConflict?: unknown }).namespaceLabelConflict === true;
  }

  public readonly namespaceLabelConflict = true;

  constructor(public readonly namespace: string, public readonly first: NamespaceLabelWish, public readonly second: NamespaceLabelWish) {
    super('');
    this.message = this.describe((path) => path);
  }

  /** The message, with each part named by `name` (a mesh.yaml key path instead of the construct path). */
  public describe(name: (path: string) => string): string {
    const wish = (part: NamespaceLabelWish) => Object.entries(part.labels).map(([key, value]) => `${key}=${value}`).join(', ');
    const injection = Object.keys({ ...this.first.labels, ...this.second.labels }).some((key) => INJECTION_LABELS.includes(key));
    const fix = injection
      ? 'a namespace has one sidecar injection: give both the same injection, or put them in namespaces of their own'
      : 'give both the same value, or put them in namespaces of their own';
    return `namespace ${this.namespace} is wanted with conflicting labels: ${name(this.first.path)} wants ${wish(this.first)}, `
      + `${name(this.second.path)} wants ${wish(this.second)}; ${fix}`;
  }
}

/** The one Namespace object of a name, and every part that asked for it. */
export class SharedNamespace {
  private readonly requests: NamespaceRequest[] = [];
  private readonly mergedLabels: Record<string, string> = {};
  private current: ApiObject;

  constructor(public readonly name: string, first: NamespaceRequest) {
    this.requests.push(first);
    Object.assign(this.mergedLabels, first.labels);
    this.current = this.render(first.requester);
  }

  /** The Namespace object; it lives in the chart applied first of those that asked for it. */
  public get resource(): ApiObject {
    return this.current;
  }

  /** The labels of every part, merged. */
  public get labels(): Readonly<Record<string, string>> {
    return { ...this.mergedLabels };
  }

  /**
   * Adds a part that wants this namespace: its labels are merged into the one object, and its
   * chart is applied after the object's (or the object moves to its chart, when that is applied
   * earlier).
   * @throws NamespaceLabelConflict if it wants a label another part wants with another value
   */
  public add(request: NamespaceRequest): void {
    for (const earlier of this.requests) {
      assertCompatible(this.name, earlier, request);
    }
    this.requests.push(request);
    for (const [key, value] of Object.entries(request.labels)) {
      if (this.mergedLabels[key] === undefined) {
        this.mergedLabels[key] = value;
        this.current.metadata.addLabel(key, value);
      }
    }

    const ownerChart = Chart.of(this.current);
    const requesterChart = Chart.of(request.requester);
    if (requesterChart === ownerChart) {
      return;
    }
    if (appliesAfter(ownerChart, requesterChart)) {
      // The new part's chart is applied first, so the Namespace must be created there.
      const owner = this.current.node.scope!;
      owner.node.tryRemoveChild(this.current.node.id);
      this.current = this.render(request.requester);
    }
    const namespaceChart = Chart.of(this.current);
    for (const chart of new Set(this.requests.map((each) => Chart.of(each.requester)))) {
      if (chart !== namespaceChart) {
        chart.addDependency(namespaceChart);
      }
    }
  }

  private render(scope: Construct): ApiObject {
    return plainApiObject<k8s.KubeNamespaceProps>(scope, 'Resource', k8s.KubeNamespace.GVK, {
      metadata: { name: this.name, labels: { ...this.mergedLabels } },
    });
  }
}

/**
 * The namespaces of one app (all its charts), by name: each is rendered once, however many parts
 * ask for it. Kept beside the construct tree rather than in it, so that the tree (and what walks
 * it: synth, reports, the mesh diagram) holds only what the parts themselves add.
 */
const registries = new WeakMap<IConstruct, Map<string, SharedNamespace>>();

/**
 * The shared Namespace `name` of the app `requester` belongs to, created in `requester` (as its
 * child `Resource`) if no part asked for it before, else merged with what the earlier parts want.
 * @throws NamespaceLabelConflict if `labels` conflict with an earlier part's
 */
export function requestNamespace(requester: Construct, name: string, labels: Readonly<Record<string, string>>): SharedNamespace {
  const root = requester.node.root;
  // An app with mesh namespaces is a mesh app: its synthesis checks the output.
  MeshValidation.of(root);
  let namespaces = registries.get(root);
  if (!namespaces) {
    namespaces = new Map();
    registries.set(root, namespaces);
  }
  const request = { requester, labels };
  const existing = namespaces.get(name);
  if (existing) {
    existing.add(request);
    return existing;
  }
  const created = new SharedNamespace(name, request);
  namespaces.set(name, created);
  return created;
}

function assertCompatible(namespace: string, earlier: NamespaceRequest, later: NamespaceRequest): void {
  const earlierInjection = pick(earlier.labels, INJECTION_LABELS);
  const laterInjection = pick(later.labels, INJECTION_LABELS);
  // No injection label means "whatever the namespace has": it merges with any injection.
  const injectionDiffers = Object.keys(earlierInjection).length > 0 && Object.keys(laterInjection).length > 0
    && !sameLabels(earlierInjection, laterInjection);
  if (injectionDiffers) {
    throw new NamespaceLabelConflict(namespace,
      { path: earlier.requester.node.path, labels: earlierInjection },
      { path: later.requester.node.path, labels: laterInjection });
  }
  for (const [key, value] of Object.entries(later.labels)) {
    const earlierValue = earlier.labels[key];
    if (earlierValue !== undefined && earlierValue !== value) {
      throw new NamespaceLabelConflict(namespace,
        { path: earlier.requester.node.path, labels: { [key]: earlierValue } },
        { path: later.requester.node.path, labels: { [key]: value } });
    }
  }
}

function pick(labels: Readonly<Record<string, string>>, keys: readonly string[]): Record<string, string> {
  return Object.fromEntries(keys.filter((key) => labels[key] !== undefined).map((key) => [key, labels[key]]));
}

function sameLabels(a: Readonly<Record<string, string>>, b: Readonly<Record<string, string>>): boolean {
  return Object.keys(a).length === Object.keys(b).length && Object.entries(a).every(([key, value]) => b[key] === value);
}

/** Whether `chart` is applied after `other`: it depends on it, directly or through other charts. */
function appliesAfter(chart: Chart, other: Chart): boolean {
  const seen = new Set<Chart>();
  const pending = [chart];
  while (pending.length > 0) {
    const next = pending.pop()!;
    for (const dependency of next.node.dependencies) {
      const dependencyChart = Chart.of(dependency);
      if (dependencyChart === other) {
        return true;
      }
      if (!seen.has(dependencyChart)) {
        seen.add(dependencyChart);
        pending.push(dependencyChart);
      }
    }
  }
  return false;
}
