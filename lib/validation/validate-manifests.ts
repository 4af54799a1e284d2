import { IstioSpecVersion } from '../../imports/sail-istio-sailoperator.io';
import { CoreSchemaValidator } from './core-schema-validator';
import { CrdSchemaValidator, Manifest, SchemaViolation, describeObject } from './crd-schema-validator';
import { CORE_SCHEMA_KUBERNETES_MINOR, kubernetesMinor, notServedBecause } from './kubernetes-api-versions';
import { crdFilesOfCdk8sYaml, readCrdSchemas } from './user-crds';

const ISTIO_OPERATOR = 'install.istio.io/v1alpha1/IstioOperator';
const SAIL_ISTIO = { apiVersion: 'sailoperator.io/v1', kind: 'Istio' };
const SAIL_ISTIO_CNI = { apiVersion: 'sailoperator.io/v1', kind: 'IstioCNI' };

/** Options of {@link validateManifests}. */
export interface ValidateManifestsOptions {
  /** Checks custom resources. @default CrdSchemaValidator.shared() */
  readonly crdValidator?: CrdSchemaValidator;
  /** Checks core Kubernetes objects. @default CoreSchemaValidator.shared() */
  readonly coreValidator?: CoreSchemaValidator;
  /**
   * CRD files, or folders of them, to check custom resources against besides the CRDs this
   * library ships (relative paths from the working folder): the kinds of operators the library
   * does not know, or the CRD versions installed in the cluster, which win over the shipped ones.
   * @default - none
   */
  readonly crds?: readonly string[];
  /**
   * A cdk8s.yaml whose `imports` name local CRD files: those are added as {@link crds}, so the
   * CRDs a cdk8s project generated its imports from are checked without a second list.
   * @default - none
   */
  readonly cdk8sImports?: string;
  /**
   * Kinds not checked against any schema, as `group/Kind` (`example.com/Widget`), `group/*` for
   * a whole API group, `core/Kind` for the core group. The mesh analysis still sees them.
   * @default - none
   */
  readonly uncheckedKinds?: readonly string[];
  /**
   * Kubernetes version of the target cluster (`1.33`): core objects of an API version it does not
   * serve (removed, or not yet served) are refused. Their fields are checked against the
   * Kubernetes 1.33 schema, the one at hand; for a newer cluster, a field added since is reported
   * as unknown, saying so.
   * @default - API versions no cluster a supported Istio runs on (1.25 and later) serves are refused
   */
  readonly kubernetesVersion?: string;
}

/** `example.com/Widget`, `example.com/*` or `core/ConfigMap`. */
const UNCHECKED_KIND = /^([a-z0-9]([a-z0-9.-]*[a-z0-9])?|core)\/([A-Z][A-Za-z0-9]*|\*)$/;

/**
 * Checks manifests against their upstream schemas:
 * - custom resources against the openAPIV3Schema of their CRD after its defaults, unknown fields
 *   rejected, formats and CEL rules (`x-kubernetes-validations`) evaluated;
 * - IstioOperator, whose CRD is untyped, by its typed parts: `meshConfig` and `values` against the
 *   Sail operator's typed `values` schema (`values.cni` against Sail's IstioCNI), each finding
 *   saying how well that schema fits the release `spec.tag` names;
 * - core Kubernetes objects against the Kubernetes OpenAPI schema (1.33's), unknown fields
 *   rejected, and their API version against what `kubernetesVersion` serves;
 * - any other kind is a violation: what cannot be checked does not pass, unless it is one of
 *   `uncheckedKinds` or its CRD is among `crds`.
 *
 * @returns every violation found, empty when all manifests are valid
 */
export function validateManifests(manifests: readonly Manifest[], options: ValidateManifestsOptions = {}): SchemaViolation[] {
  const userCrds = [...options.crds ?? [], ...options.cdk8sImports ? crdFilesOfCdk8sYaml(options.cdk8sImports) : []];
  const crdValidator = userCrds.length > 0
    ? (options.crdValidator ?? CrdSchemaValidator.shared()).withCrds(readCrdSchemas(userCrds))
    : options.crdValidator ?? CrdSchemaValidator.shared();
  const coreValidator = options.coreValidator ?? CoreSchemaValidator.shared();
  const unchecked = uncheckedKindsOf(options.uncheckedKinds ?? []);
  const newerThanSchema = options.kubernetesVersion !== undefined && kubernetesMinor(options.kubernetesVersion) > CORE_SCHEMA_KUBERNETES_MINOR;
  const violations: SchemaViolation[] = [];
  for (const manifest of manifests) {
    if (typeof manifest?.apiVersion !== 'string' || typeof manifest.kind !== 'string') {
      violations.push({
        object: JSON.stringify(manifest).slice(0, 80),
        path: '(root)',
        message: 'not a Kubernetes object: apiVersion and kind must be strings',
      });
    } else if (unchecked(manifest.apiVersion, manifest.kind)) {
      continue;
    } else if (`${manifest.apiVersion}/${manifest.kind}` === ISTIO_OPERATOR) {
      violations.push(...validateIstioOperator(manifest, crdValidator));
    } else if (crdValidator.hasSchema(manifest.apiVersion, manifest.kind)) {
      violations.push(...crdValidator.validate(manifest));
    } else if (coreValidator.hasSchema(manifest.apiVersion, manifest.kind)) {
      const notServed = notServedBecause(manifest.apiVersion, manifest.kind, options.kubernetesVersion);
      if (notServed) {
        violations.push({ object: describeObject(manifest), path: 'apiVersion', message: notServed });
      } else {
        violations.push(...coreValidator.validate(manifest).map((violation) => (newerThanSchema && violation.message.startsWith('unknown field')
          ? { ...violation, message: `${violation.message} (checked against the schema of Kubernetes 1.${CORE_SCHEMA_KUBERNETES_MINOR}, the newest at hand; `
            + `a field Kubernetes ${options.kubernetesVersion} added since is not known here: leave the kind unchecked with uncheckedKinds if it is one)` }
          : violation)));
      }
    } else {
      violations.push({
        object: describeObject(manifest),
        path: '(root)',
        message: `no schema known for ${manifest.apiVersion}/${manifest.kind}: it is neither a Kubernetes kind nor a kind of the CRDs `
          + 'this library ships or was given. Check apiVersion and kind; if it is right, add its CRD file or folder to the validation '
          + '(crds of validateApp/validateMesh, MeshValidation.of(app).addCrds(...), validation.crds in mesh.yaml; cdk8sImports for the CRDs '
          + `of a cdk8s.yaml), or leave the kind unchecked (uncheckedKinds: ['${groupOf(manifest.apiVersion)}/${manifest.kind}'])`,
      });
    }
  }
  crdValidator.flush();
  return violations;
}

function groupOf(apiVersion: string): string {
  return apiVersion.includes('/') ? apiVersion.slice(0, apiVersion.indexOf('/')) : 'core';
}

function uncheckedKindsOf(kinds: readonly string[]): (apiVersion: string, kind: string) => boolean {
  for (const entry of kinds) {
    if (!UNCHECKED_KIND.test(entry)) {
      throw new Error(`uncheckedKinds: '${entry}' must be group/Kind (example.com/Widget), group/* for a whole API group, or core/Kind for the core group`);
    }
  }
  const set = new Set(kinds);
  return (apiVersion, kind) => set.has(`${groupOf(apiVersion)}/${kind}`) || set.has(`${groupOf(apiVersion)}/*`);
}

/**
 * `values.cni` of an IstioOperator against Sail's IstioCNI schema. istioctl hands the values to
 * the chart as written, and the chart reads `resourceQuotas`; Sail's CRD spells that field
 * `resource_quotas` (the JSON name of its Go field), so the one spelling is checked as the other,
 * and Sail's spelling, which the chart would silently ignore, is refused.
 */
function validateIstioOperatorCni(cni: unknown, validator: CrdSchemaValidator, name: string): SchemaViolation[] {
  if (cni === null || typeof cni !== 'object' || Array.isArray(cni)) {
    return validator.validateFragment(SAIL_ISTIO_CNI.apiVersion, SAIL_ISTIO_CNI.kind, ['spec', 'values', 'cni'], cni, name);
  }
  const { resourceQuotas, resource_quotas: sailSpelling, ...rest } = cni as Record<string, unknown>;
  const violations: SchemaViolation[] = sailSpelling === undefined ? [] : [{
    object: name,
    path: 'resource_quotas',
    message: "unknown field 'resource_quotas': the istio-cni chart reads resourceQuotas",
  }];
  const checked = resourceQuotas === undefined ? rest : { ...rest, resource_quotas: resourceQuotas };
  return [...violations, ...validator.validateFragment(SAIL_ISTIO_CNI.apiVersion, SAIL_ISTIO_CNI.kind, ['spec', 'values', 'cni'], checked, name)
    .map((v) => ({ ...v, path: v.path.replace(/^resource_quotas/, 'resourceQuotas') }))];
}

/**
 * Which typed schema an IstioOperator's `meshConfig` and `values` are checked against, for the
 * Istio release its `spec.tag` names. The IstioOperator CRD is untyped and Istio publishes no
 * schema of IstioOperatorSpec; the typed schemas at hand are the Sail operator 1.30.3 `Istio` CRD,
 * whose one `spec.values` type Sail uses for every release it lists (1.21.6 to 1.30.3: it is the
 * schema Sail checks a 1.23 install's values against too), and istio/api 1.19's MeshConfig, a
 * strict subset of Sail's (no field removed since). So every release is checked against Sail's
 * schema, and each finding says how well that schema fits the release: exactly for releases Sail
 * lists, as the nearest otherwise.
 */
function istioOperatorSchemaFit(tag: unknown): string {
  // The imported CRD's own enum, not the widened one the Sail kinds are checked with: the typed
  // values schema is that of the imported 1.30.3 CRD, whatever a newer Sail release lists.
  const listed = Object.values(IstioSpecVersion) as string[];
  const releases = listed.filter((version) => /^v\d+\.\d+\.\d+$/.test(version)).map((version) => version.slice(1));
  const minorOf = (release: string) => Number(release.split('.')[1]);
  const newest = releases[0];
  const oldest = releases[releases.length - 1];
  const sail = `the Sail operator's typed Istio values (its CRD lists Istio ${oldest} to ${newest})`;
  const release = typeof tag === 'string' ? /^v?(\d+\.\d+\.\d+)/.exec(tag)?.[1] : undefined;
  if (release === undefined) {
    return `spec.tag ${JSON.stringify(tag)} names no Istio release, so it was checked against ${sail}, the newest typed schema at hand`;
  }
  if (releases.some((known) => minorOf(known) === minorOf(release))) {
    return `checked against ${sail}, which Sail uses for Istio 1.${minorOf(release)} too`;
  }
  return minorOf(release) < minorOf(oldest)
    ? `no typed schema of Istio ${release} is at hand: checked against ${sail}, the nearest; a field added after ${release} is not refused`
    : `no typed schema of Istio ${release} is at hand: checked against ${sail}, the nearest; a field added after ${newest} is refused as unknown`;
}

function validateIstioOperator(manifest: Manifest, validator: CrdSchemaValidator): SchemaViolation[] {
  const name = describeObject(manifest);
  const spec = (manifest.spec ?? {}) as Record<string, any>;
  const violations: SchemaViolation[] = [];
  const prefixed = (prefix: string, found: SchemaViolation[]) => found.map((v) => ({ ...v, path: v.path === '(root)' ? prefix : `${prefix}.${v.path}` }));
  if (spec.meshConfig !== undefined) {
    violations.push(...prefixed('spec.meshConfig',
      validator.validateFragment(SAIL_ISTIO.apiVersion, SAIL_ISTIO.kind, ['spec', 'values', 'meshConfig'], spec.meshConfig, name)));
  }
  if (spec.values !== undefined) {
    // Sail splits the chart values: `cni` lives in IstioCNI, and the legacy `gateways` values of
    // istioctl's gateway charts have no Sail counterpart (Sail installs gateways separately).
    // `revisionTags` (the tags whose webhooks istiod's chart renders) is a value of Istio's charts
    // that Sail's Istio has not (Sail has IstioRevisionTag): checked here as the chart reads it.
    const { cni, gateways: _gateways, revisionTags, ...istioValues } = spec.values as Record<string, unknown>;
    if (revisionTags !== undefined && !(Array.isArray(revisionTags) && revisionTags.every((tag) => typeof tag === 'string' && /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(tag)))) {
      violations.push({ object: name, path: 'spec.values.revisionTags', message: `must be a list of revision tag names (DNS-1123 labels), got ${JSON.stringify(revisionTags)}` });
    }
    violations.push(...prefixed('spec.values',
      validator.validateFragment(SAIL_ISTIO.apiVersion, SAIL_ISTIO.kind, ['spec', 'values'], istioValues, name)));
    if (cni !== undefined) {
      violations.push(...validateIstioOperatorCni(cni, validator, name).map((v) => ({ ...v, path: v.path === '(root)' ? 'spec.values.cni' : `spec.values.cni.${v.path}` })));
    }
  }
  if (violations.length === 0) {
    return violations;
  }
  const fit = istioOperatorSchemaFit(spec.tag);
  return violations.map((violation) => ({ ...violation, message: `${violation.message} (${fit})` }));
}
