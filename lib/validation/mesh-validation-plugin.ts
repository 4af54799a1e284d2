import { Manifest, describeObject } from './crd-schema-validator';
import { MeshValidationOptions, formatFinding, validateMesh } from './assert-valid';
import { MeshFinding, MeshRule } from './mesh-analysis';
import { ValidationRecord, findValidationRecord } from './validation-record';

/**
 * The parts of cdk8s-cli's `ValidationContext` (cdk8s-cli/lib/plugins/validation.d.ts) that the
 * plugin uses. Declared here because cdk8s-cli is a tool, not a dependency of this library; the
 * CLI matches them structurally.
 */
export interface PluginValidationContext {
  /** Paths of every `.yaml` file in the synth output folder. */
  readonly manifests: readonly string[];
  readonly report: {
    addViolation(violation: {
      readonly ruleName: string;
      readonly recommendation: string;
      readonly fix: string;
      readonly violatingResources: ReadonlyArray<{ readonly resourceName: string; readonly locations: readonly string[]; readonly manifestPath: string }>;
    }): void;
    submit(status: 'success' | 'failure', metadata?: { readonly [key: string]: string }): void;
  };
  parseManifest(manifestPath: string): any[];
}

/** Properties of the plugin: the `properties` of its entry in cdk8s.yaml `validations`. */
export interface MeshValidationPluginProps {
  /** Namespaces that exist without being in the output. @default - none */
  readonly externalNamespaces?: readonly string[];
  /** Hosts shaped like `<service>.<namespace>` that are outside the cluster. @default - none */
  readonly externalHosts?: readonly string[];
  /** CRD files or folders (relative to the folder of cdk8s.yaml) to check custom resources against besides the shipped CRDs. @default - none */
  readonly crds?: readonly string[];
  /** A cdk8s.yaml whose `imports` name local CRD files, added to `crds`. @default - none */
  readonly cdk8sImports?: string;
  /** Kinds not checked against a schema: `group/Kind`, `group/*`, `core/Kind`. @default - none */
  readonly uncheckedKinds?: readonly string[];
  /** Kubernetes version of the target cluster (`'1.33'`): core objects of API versions it does not serve are refused. @default - what Kubernetes 1.25 and later serve */
  readonly kubernetesVersion?: string;
}

/** Manifest files cdk8s writes; other `.yaml` in the output (a kustomization) are not objects to apply. */
const MANIFEST_FILE = /\.k8s\.yaml$/;

const RULES: Record<MeshRule, { readonly recommendation: string; readonly fix: string }> = {
  [MeshRule.SCHEMA]: {
    recommendation: 'Every object must match the schema of its kind (Kubernetes API or upstream CRD), without unknown fields',
    fix: 'Fix the field named in each location; for a kind without a schema, add its CRD with the plugin property crds (or cdk8sImports: cdk8s.yaml), or list it in uncheckedKinds',
  },
  [MeshRule.NAMESPACE_EXISTS]: {
    recommendation: 'Every namespaced object needs a namespace that the output creates or that is declared external',
    fix: 'Add the namespace (MeshNamespace) or list it in the plugin property externalNamespaces',
  },
  [MeshRule.SIDECAR_EGRESS_NAMESPACE]: {
    recommendation: 'Sidecar egress hosts must name namespaces that exist',
    fix: 'Fix the namespace part of the host, or list the namespace in externalNamespaces',
  },
  [MeshRule.SIDECAR_DEFAULT_UNIQUE]: {
    recommendation: 'A namespace may have only one Sidecar without workloadSelector',
    fix: 'Merge the Sidecars, or give all but one a workloadSelector',
  },
  [MeshRule.SIDECAR_EXTENSION_PROVIDER]: {
    recommendation: 'Every Sidecar must reach the service of every extension provider of the mesh config',
    fix: 'Add the provider host to the egress hosts, or give the SidecarScoping the control plane as extensionProviders',
  },
  [MeshRule.GATEWAY_INJECTION]: {
    recommendation: 'Injected gateways need sidecar injection in their namespace',
    fix: 'Do not label the namespace istio-injection=disabled',
  },
  [MeshRule.SERVICE_REFERENCE]: {
    recommendation: 'In-cluster URLs must point at Services of the output, on one of their ports',
    fix: 'Wire the backend by reference, or declare external namespaces and hosts',
  },
  [MeshRule.UNIQUE_OBJECT]: {
    recommendation: 'Every object must be in the output once: API group, kind, namespace and name identify it',
    fix: 'Emit the object once (MeshNamespace merges shared namespaces), or rename one of them',
  },
  [MeshRule.INSTALLED_OBJECT]: {
    recommendation: 'Every object has one owner: what an install resource (IstioOperator, Sail Istio or IstioCNI) creates is not also rendered, nor created by a second install resource',
    fix: 'Switch the installer\'s component off (the IstioOperator\'s ingress gateway) or do not render the object; give two control planes their own revisions',
  },
  [MeshRule.DUPLICATE_SCRAPE]: {
    recommendation: 'Every target is scraped once: two scrape definitions of the same targets double every sum over them',
    fix: 'Keep one form (monitors or the additional scrape configs Secret), or give the two disjoint namespaces',
  },
  [MeshRule.ISTIOD_APP_LABEL]: {
    recommendation: 'istiod\'s series carry its Service\'s app label, which Istio\'s dashboards select istiod by',
    fix: 'Add app to the ServiceMonitor\'s spec.targetLabels',
  },
  [MeshRule.OPENSHIFT_FIXED_IDS]: {
    recommendation: 'On OpenShift, pods leave their user and group ids to the restricted-v2 SCC, which assigns them from the namespace\'s range',
    fix: 'Leave runAsUser, runAsGroup and fsGroup out (ClusterPlatform.use(app, ClusterPlatform.OPENSHIFT) before creating the parts)',
  },
  [MeshRule.REVISION_EXISTS]: {
    recommendation: 'every istio.io/rev label names a revision or tag the control plane runs, and every revision tag points at a running revision',
    fix: 'Label the namespace or workload with a tag or revision of the control plane, or add the revision or tag',
  },
  [MeshRule.AUTHZ_SELECTOR]: {
    recommendation: 'An AuthorizationPolicy must select the workloads it is for: one that selects nothing allows nothing',
    fix: 'Select the labels of the pods behind the service (its selector), or declare the service',
  },
  [MeshRule.AUTHZ_PRINCIPAL]: {
    recommendation: 'Every principal an AuthorizationPolicy allows must be the service account of a workload that exists',
    fix: 'Declare the calling service with its service account, or declare its namespace external',
  },
  [MeshRule.AUTHZ_PORT]: {
    recommendation: 'An AuthorizationPolicy may allow only ports its workloads listen on',
    fix: 'Allow a port the callee declares (its target port)',
  },
  [MeshRule.AMBIENT_NAMESPACE]: {
    recommendation: 'An ambient namespace has no sidecars: no injection label, no Sidecar, and a ztunnel to carry its traffic',
    fix: 'Remove the injection label or the Sidecar, or install ztunnel (an ambient profile); or make the namespace a sidecar namespace',
  },
};

/**
 * The checks of {@link validateMesh} as a cdk8s validation plugin, for `cdk8s synth --validate`.
 * When the app already validated exactly these manifest files in this synth (the record that
 * `MeshSynthesis` leaves in the CLI's output folder), with external namespaces and hosts that
 * this plugin's include, the checks are not run again and the report says so.
 * cdk8s.yaml:
 *
 * ```yaml
 * validations:
 *   - package: ./node_modules/cdk8s-istio-mesh/build/lib/cdk8s-plugin.js
 *     version: 0.1.0
 *     class: MeshValidationPlugin
 *     properties:
 *       externalNamespaces: [cert-manager]
 * ```
 */
export class MeshValidationPlugin {
  private readonly options: MeshValidationOptions;

  constructor(props: MeshValidationPluginProps = {}) {
    this.options = {
      externalNamespaces: stringList(props.externalNamespaces, 'externalNamespaces'),
      externalHosts: stringList(props.externalHosts, 'externalHosts'),
      crds: stringList(props.crds, 'crds'),
      cdk8sImports: props.cdk8sImports,
      uncheckedKinds: stringList(props.uncheckedKinds, 'uncheckedKinds'),
      kubernetesVersion: props.kubernetesVersion === undefined ? undefined : String(props.kubernetesVersion),
    };
  }

  public async validate(context: PluginValidationContext): Promise<void> {
    const files = context.manifests.filter((file) => MANIFEST_FILE.test(file)).sort();
    const record = findValidationRecord(files);
    const options = await this.validationOptions(record);
    // More external namespaces and hosts only ever remove findings: what passed with the app's
    // lists passes with any that include them.
    // CRDs or a Kubernetes version of the plugin's own may be stricter than what the app checked with: then check again.
    const ownCrds = (this.options.crds ?? []).length > 0 || this.options.cdk8sImports !== undefined || this.options.kubernetesVersion !== undefined;
    if (record && !ownCrds && includesAll(options.externalNamespaces, record.externalNamespaces) && includesAll(options.externalHosts, record.externalHosts)) {
      context.report.submit('success', { objects: String(record.objects), problems: '0', validated: 'by the app in this synth, unchanged since' });
      return;
    }
    const manifests: Manifest[] = [];
    const origins = new Map<string, { readonly name: string; readonly file: string }>();
    for (const file of files) {
      for (const manifest of context.parseManifest(file).filter((doc) => doc !== null && doc !== undefined) as Manifest[]) {
        manifests.push(manifest);
        origins.set(describeObject(manifest), { name: manifest.metadata?.name ?? '', file });
      }
    }

    // The workloads the app declared without manifests are known only from the app's record.
    const findings = validateMesh(manifests, { ...options, declaredWorkloads: options.declaredWorkloads ?? record?.declaredWorkloads });
    const byRule = new Map<MeshRule, MeshFinding[]>();
    for (const finding of findings) {
      byRule.set(finding.rule, [...byRule.get(finding.rule) ?? [], finding]);
    }
    for (const [rule, ruleFindings] of byRule) {
      context.report.addViolation({
        ruleName: rule,
        ...RULES[rule],
        violatingResources: ruleFindings.map((finding) => ({
          resourceName: origins.get(finding.object)?.name ?? finding.object,
          locations: [formatFinding(finding)],
          manifestPath: origins.get(finding.object)?.file ?? 'N/A',
        })),
      });
    }
    context.report.submit(findings.length === 0 ? 'success' : 'failure', {
      objects: String(manifests.length),
      problems: String(findings.length),
    });
  }

  /**
   * The options to validate with; `record` is what the app validated, if it covers these
   * manifests.
   * @internal
   */
  protected async validationOptions(_record: ValidationRecord | undefined): Promise<MeshValidationOptions> {
    return this.options;
  }
}

function includesAll(list: readonly string[] | undefined, required: readonly string[]): boolean {
  return required.every((item) => list?.includes(item));
}

function stringList(value: unknown, property: string): string[] {
  if (value === undefined) {
    return [];
  }
  if (!Array.isArray(value) || value.some((item) => typeof item !== 'string')) {
    throw new Error(`cdk8s.yaml validations: MeshValidationPlugin property ${property} must be a list of strings, got ${JSON.stringify(value)}`);
  }
  return value;
}
