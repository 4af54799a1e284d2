import * as fs from 'fs';
import * as path from 'path';
import { ApiObject, App } from 'cdk8s';
import { IConstruct } from 'constructs';
import { Manifest } from '../validation/crd-schema-validator';
import { ManifestFile } from './staged-manifests';

/** API groups whose objects install the control plane: reconciled into istiod, its webhooks and Istio's CRDs. */
const CONTROL_PLANE_GROUPS = ['sailoperator.io', 'install.istio.io'];
/** Kinds every later object may need to exist first. */
const NAMESPACE_PHASE_KINDS = ['Namespace', 'CustomResourceDefinition', 'ResourceQuota', 'PriorityClass'];

const assigned = new WeakMap<IConstruct, ApplyPhase>();

/**
 * A step of applying the output to an empty cluster. Each phase is applied, and waited for, before
 * the next one: pods injected with `image: auto` must be created after the injector runs, and Istio
 * objects after the control plane installed their CRDs. Phases number their files and Argo CD sync
 * waves with fixed numbers, so adding or removing a part of the mesh renames no other file.
 */
export class ApplyPhase {
  /** Namespaces, CRDs and quotas: what everything else is created in. */
  public static readonly NAMESPACES = new ApplyPhase(10, 'namespaces', 'nothing');
  /** Operators the output itself runs (Istio's in-cluster operator): their CRDs are in the namespaces phase. */
  public static readonly OPERATORS = new ApplyPhase(20, 'operators', 'the namespaces phase: its CRDs established');
  /** The control plane's install resources (Sail `Istio`, `IstioCNI`; an `IstioOperator`). */
  public static readonly CONTROL_PLANE = new ApplyPhase(30, 'control-plane', 'the operators: running');
  /**
   * The Sail `IstioCNI`. The node agent follows the control plane: Sail updates it in place, and
   * an agent newer than istiod (or, in ambient, one redirecting pods to a ztunnel istiod does not
   * serve yet) breaks pods.
   */
  public static readonly CNI = new ApplyPhase(33, 'cni', 'the control plane: the Sail Istio Ready');
  /** The Sail `ZTunnel`, last of the ambient components Sail updates in place: after istiod and the CNI agent. */
  public static readonly ZTUNNEL = new ApplyPhase(36, 'ztunnel', 'the CNI agent: the Sail IstioCNI Ready');
  /**
   * Everything that needs a running control plane: Istio's objects, gateways (injected, or Gateway
   * API Gateways that istiod deploys) and workloads, observability. Gateway API objects also need
   * the Gateway API CRDs, which neither Istio nor the output installs: a prerequisite like the
   * operators'.
   */
  public static readonly MESH = new ApplyPhase(40, 'mesh',
    'the control plane: istiod ready, its injector and Istio\'s CRDs in place (and the Gateway API CRDs, installed beforehand, for Gateway API objects; in ambient, the Sail ZTunnel Ready)');

  /** Every phase, in apply order. */
  public static readonly ALL: readonly ApplyPhase[] = [
    ApplyPhase.NAMESPACES, ApplyPhase.OPERATORS, ApplyPhase.CONTROL_PLANE, ApplyPhase.CNI, ApplyPhase.ZTUNNEL, ApplyPhase.MESH,
  ];

  /** Puts every object below `scope` into `phase`, but namespaces and CRDs, which stay first. */
  public static assign(scope: IConstruct, phase: ApplyPhase): void {
    assigned.set(scope, phase);
  }

  /**
   * The phase of an object: namespaces and CRDs always first; others the phase assigned to them or
   * a scope above them, else the one of their kind.
   */
  public static of(object: ApiObject): ApplyPhase {
    // What other objects are created in comes first, whichever part renders it.
    if (ApplyPhase.ofKind(object.apiVersion, object.kind) === ApplyPhase.NAMESPACES) {
      return ApplyPhase.NAMESPACES;
    }
    for (const scope of [...object.node.scopes].reverse()) {
      const phase = assigned.get(scope);
      if (phase) {
        return phase;
      }
    }
    return ApplyPhase.ofKind(object.apiVersion, object.kind);
  }

  /** The phase of an object of this kind that nothing assigned to another phase. */
  public static ofKind(apiVersion: string, kind: string): ApplyPhase {
    const group = apiVersion.includes('/') ? apiVersion.split('/')[0] : '';
    if (NAMESPACE_PHASE_KINDS.includes(kind) && (group === '' || group === 'apiextensions.k8s.io' || group === 'scheduling.k8s.io')) {
      return ApplyPhase.NAMESPACES;
    }
    if (group === 'sailoperator.io' && kind === 'IstioCNI') {
      return ApplyPhase.CNI;
    }
    if (group === 'sailoperator.io' && kind === 'ZTunnel') {
      return ApplyPhase.ZTUNNEL;
    }
    return CONTROL_PLANE_GROUPS.includes(group) ? ApplyPhase.CONTROL_PLANE : ApplyPhase.MESH;
  }

  private constructor(
    /** Sorts the phase's files and is its Argo CD sync wave. */
    public readonly order: number,
    public readonly name: string,
    /** What must be ready before the phase is applied. */
    public readonly waitsFor: string,
  ) {}

  /**
   * The file of this phase's objects of a chart: one file per phase, but one per chart in the mesh
   * phase, which holds most objects.
   */
  public fileName(chart: string): string {
    return this === ApplyPhase.MESH ? `${this.order}-${chart}.k8s.yaml` : `${this.order}-${this.name}.k8s.yaml`;
  }
}

/** The phase of every object of an app, by identity, read from the construct tree before synthesis. */
export class ApplyPhasePlan {
  /** Plans the objects of `app`. */
  public static of(app: App): ApplyPhasePlan {
    const phases = new Map<string, ApplyPhase>();
    for (const node of app.node.findAll()) {
      if (ApiObject.isApiObject(node)) {
        phases.set(objectKey(node.apiVersion, node.kind, node.metadata.namespace, node.name), ApplyPhase.of(node));
      }
    }
    return new ApplyPhasePlan(phases);
  }

  private constructor(private readonly phases: ReadonlyMap<string, ApplyPhase>) {}

  /** The phase of a synthesized object; one the plan does not know goes by its kind. */
  public phaseOf(manifest: Manifest): ApplyPhase {
    return this.phases.get(objectKey(manifest.apiVersion, manifest.kind, manifest.metadata?.namespace, manifest.metadata?.name))
      ?? ApplyPhase.ofKind(manifest.apiVersion, manifest.kind);
  }
}

/**
 * Chart files as cdk8s names them with FILE_PER_CHART: `<chart id>.k8s.yaml`, prefixed with the
 * chart's position (`0001-`) once charts depend on each other.
 */
const CHART_FILE = /^(?:\d{4}-)?(.+)\.k8s\.yaml$/;

/**
 * Rewrites the chart files cdk8s wrote into `dir` (top level only) into phase files: each object
 * goes, with its text as cdk8s wrote it, to the file of its phase ({@link ApplyPhase.fileName}),
 * in chart order.
 *
 * @param files every manifest file of `dir` as {@link readManifestFiles} read it: the objects are
 * not parsed again
 * @returns the manifest files of `dir` after the rewrite, sorted by path like `files`
 */
export function splitIntoPhaseFiles(dir: string, files: readonly ManifestFile[], plan: ApplyPhasePlan): ManifestFile[] {
  const phaseFiles = new Map<string, { documents: string[]; manifests: Manifest[] }>();
  const kept: ManifestFile[] = [];
  for (const manifestFile of files) {
    const chart = CHART_FILE.exec(manifestFile.file)?.[1];
    if (chart === undefined || manifestFile.file.includes('/')) {
      kept.push(manifestFile);
      continue;
    }
    const documents = splitDocuments(fs.readFileSync(path.join(dir, manifestFile.file), 'utf8'));
    if (documents.length !== manifestFile.manifests.length) {
      throw new Error(`${manifestFile.file}: ${documents.length} documents, but ${manifestFile.manifests.length} objects were read from it`);
    }
    documents.forEach((document, index) => {
      const manifest = manifestFile.manifests[index];
      const target = plan.phaseOf(manifest).fileName(chart);
      const phaseFile = phaseFiles.get(target) ?? { documents: [], manifests: [] };
      phaseFile.documents.push(document);
      phaseFile.manifests.push(manifest);
      phaseFiles.set(target, phaseFile);
    });
    fs.rmSync(path.join(dir, manifestFile.file));
  }
  for (const [file, { documents }] of phaseFiles) {
    fs.writeFileSync(path.join(dir, file), documents.join('---\n'));
  }
  return [...kept, ...[...phaseFiles].map(([file, { manifests }]) => ({ file, manifests }))]
    .sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
}

/** The documents of a file cdk8s wrote: separated by lines `---`, each ending with a newline. */
function splitDocuments(text: string): string[] {
  return text.split(/^---\n/m).filter((document) => document.trim() !== '');
}

function objectKey(apiVersion: string, kind: string, namespace: string | undefined, name: string | undefined): string {
  return `${apiVersion}\0${kind}\0${namespace ?? ''}\0${name ?? ''}`;
}
