import { ApiObject } from 'cdk8s';
import { IConstruct } from 'constructs';
import { MeshValidationOptions, formatFinding, validateMesh } from './assert-valid';
import { Manifest } from './crd-schema-validator';
import { DeclaredWorkload } from './mesh-analysis';

/**
 * The check of a whole app that the mesh constructs add to it: when the app synthesizes
 * (`app.synth()`, and `chart.toJson()`, which `Testing.synth` calls), every object of every chart
 * goes through the schema checks and the mesh analysis ({@link validateMesh}), and the synthesis
 * fails listing every finding, so that output which would not apply is never written.
 *
 * One per app (the root of the construct tree), created by the first mesh construct added to it:
 *
 * ```ts
 * MeshValidation.of(app).addExternalNamespaces('monitoring');   // created by another repository
 * MeshValidation.of(app).addCrds('crds/cert-manager.crds.yaml'); // kinds of other operators
 * MeshValidation.disable(app);                                  // opt out: no check at synth
 * ```
 */
export class MeshValidation {
  /** The validation of the app `scope` belongs to; added to the app on first use. */
  public static of(scope: IConstruct): MeshValidation {
    const root = scope.node.root;
    let validation = validations.get(root);
    if (!validation) {
      validation = new MeshValidation(root);
      validations.set(root, validation);
    }
    return validation;
  }

  /**
   * Turns the check off for the app `scope` belongs to: its synthesis writes whatever the
   * constructs render. For apps that check their output themselves (as {@link MeshSynthesis}
   * does), or that only render a fragment of a mesh.
   */
  public static disable(scope: IConstruct): void {
    MeshValidation.of(scope).enabled = false;
  }

  private enabled = true;
  private readonly externalNamespaces = new Set<string>();
  private readonly externalNamespaceSources: (() => readonly string[])[] = [];
  private readonly declaredWorkloadSources: (() => readonly DeclaredWorkload[])[] = [];
  private readonly externalHosts = new Set<string>();
  private readonly crds: string[] = [];
  private readonly uncheckedKinds = new Set<string>();
  private kubernetesVersion?: string;
  /** What was checked last and what was found: cdk8s validates once per chart rendered, too. */
  private lastChecked?: { readonly output: string; readonly errors: string[] };

  private constructor(private readonly root: IConstruct) {
    root.node.addValidation({ validate: () => this.validate() });
  }

  /** Whether the app's synthesis runs the check. */
  public get isEnabled(): boolean {
    return this.enabled;
  }

  /**
   * Namespaces that exist in the cluster without being in this app's output (created by another
   * repository, an operator, a platform team): objects may live there and Sidecars may name them.
   */
  public addExternalNamespaces(...names: string[]): MeshValidation {
    names.forEach((name) => this.externalNamespaces.add(name));
    return this;
  }

  /**
   * Hosts that look like in-cluster `<service>.<namespace>` names but are not, e.g. a two-label
   * public domain `example.com`.
   */
  public addExternalHosts(...hosts: string[]): MeshValidation {
    hosts.forEach((host) => this.externalHosts.add(host));
    return this;
  }

  /**
   * CRD files, or folders of them (relative to the working folder), that custom resources of the
   * app are checked against besides the CRDs this library ships: the kinds of other operators, or
   * the CRD versions the cluster has (they win over the shipped ones). The cdk8s imports of a
   * project: `addCrds(...crdFilesOfCdk8sYaml('cdk8s.yaml'))`.
   */
  public addCrds(...sources: string[]): MeshValidation {
    sources.forEach((source) => {
      if (!this.crds.includes(source)) {
        this.crds.push(source);
      }
    });
    return this;
  }

  /**
   * Kinds that are not checked against a schema, as `group/Kind` (`example.com/Widget`),
   * `group/*` or `core/Kind`: for kinds whose CRD is not at hand.
   */
  public addUncheckedKinds(...kinds: string[]): MeshValidation {
    kinds.forEach((kind) => this.uncheckedKinds.add(kind));
    return this;
  }

  /**
   * The Kubernetes version of the target cluster: core objects of API versions it does not serve
   * are refused. An {@link IstioControlPlane} with `kubernetesVersion` sets it.
   * @throws if another version was set already
   */
  public useKubernetesVersion(version: string): MeshValidation {
    if (this.kubernetesVersion !== undefined && this.kubernetesVersion !== version) {
      throw new Error(`kubernetesVersion ${version} differs from ${this.kubernetesVersion}, which the app's validation already uses: one app is for one cluster`);
    }
    this.kubernetesVersion = version;
    return this;
  }

  /**
   * What the check counts as existing outside the output: the namespaces and hosts added so far
   * (and those of parts that learn theirs after construction, read now).
   */
  public validationOptions(): MeshValidationOptions {
    return {
      externalNamespaces: [...new Set([...this.externalNamespaces, ...this.externalNamespaceSources.flatMap((source) => source())])].sort(),
      externalHosts: [...this.externalHosts].sort(),
      crds: [...this.crds],
      uncheckedKinds: [...this.uncheckedKinds].sort(),
      kubernetesVersion: this.kubernetesVersion,
      declaredWorkloads: this.declaredWorkloads(),
    };
  }

  /**
   * Workloads read when the app synthesizes, for parts that declare workloads whose manifests are
   * not in the output (a SidecarScoping's services). Internal: not part of the documented API.
   * @internal
   */
  public _addDeclaredWorkloadSource(source: () => readonly DeclaredWorkload[]): void {
    this.declaredWorkloadSources.push(source);
  }

  private declaredWorkloads(): DeclaredWorkload[] {
    return this.declaredWorkloadSources.flatMap((source) => source());
  }

  /**
   * Namespaces read when the app synthesizes, for parts that learn theirs after construction
   * (a SidecarScoping's calls). Internal: not part of the documented API.
   * @internal
   */
  public _addExternalNamespaceSource(source: () => readonly string[]): void {
    this.externalNamespaceSources.push(source);
  }

  private validate(): string[] {
    if (!this.enabled) {
      return [];
    }
    // Each ApiObject rendered once: Chart.toJson() would run this validation again, per chart.
    const manifests = this.root.node.findAll().filter(ApiObject.isApiObject).map((apiObject) => apiObject.toJson() as Manifest);
    const externalNamespaces = [...this.externalNamespaces, ...this.externalNamespaceSources.flatMap((source) => source())];
    const uncheckedKinds = [...this.uncheckedKinds].sort();
    const declaredWorkloads = this.declaredWorkloads();
    const output = JSON.stringify([manifests, [...new Set(externalNamespaces)].sort(), [...this.externalHosts].sort(), this.crds, uncheckedKinds, this.kubernetesVersion, declaredWorkloads]);
    if (this.lastChecked?.output !== output) {
      const findings = validateMesh(manifests, { externalNamespaces, externalHosts: [...this.externalHosts], crds: this.crds, uncheckedKinds, kubernetesVersion: this.kubernetesVersion, declaredWorkloads });
      // One error: cdk8s prefixes each with the construct path, which is empty for the app.
      const errors = findings.length === 0 ? [] : [[
        `the output has ${findings.length} problem${findings.length === 1 ? '' : 's'} and would not apply to a cluster `
        + '(namespaces created elsewhere: MeshValidation.of(app).addExternalNamespaces(...); '
        + 'opt out: MeshValidation.disable(app)):',
        ...findings.map(formatFinding),
      ].join('\n    ')];
      this.lastChecked = { output, errors };
    }
    return this.lastChecked.errors;
  }
}

const validations = new WeakMap<IConstruct, MeshValidation>();
