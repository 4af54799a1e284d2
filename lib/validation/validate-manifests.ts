import { CoreSchemaValidator } from './core-schema-validator';
import { CrdSchemaValidator, Manifest, SchemaViolation, describeObject } from './crd-schema-validator';

const ISTIO_OPERATOR = 'install.istio.io/v1alpha1/IstioOperator';
const SAIL_ISTIO = { apiVersion: 'sailoperator.io/v1', kind: 'Istio' };
const SAIL_ISTIO_CNI = { apiVersion: 'sailoperator.io/v1', kind: 'IstioCNI' };

/** Options of {@link validateManifests}. */
export interface ValidateManifestsOptions {
  /** Checks custom resources. @default CrdSchemaValidator.shared() */
  readonly crdValidator?: CrdSchemaValidator;
  /** Checks core Kubernetes objects. @default CoreSchemaValidator.shared() */
  readonly coreValidator?: CoreSchemaValidator;
}

/**
 * Checks manifests against their upstream schemas:
 * - custom resources against the openAPIV3Schema of their CRD, unknown fields rejected;
 * - IstioOperator, whose CRD is untyped, by its typed parts: `meshConfig` and `values` against the
 *   Sail operator's typed `values` schema (`values.cni` against Sail's IstioCNI);
 * - core Kubernetes objects against the Kubernetes OpenAPI schema, unknown fields rejected;
 * - any other kind is a violation: what cannot be checked does not pass.
 *
 * @returns every violation found, empty when all manifests are valid
 */
export function validateManifests(manifests: readonly Manifest[], options: ValidateManifestsOptions = {}): SchemaViolation[] {
  const crdValidator = options.crdValidator ?? CrdSchemaValidator.shared();
  const coreValidator = options.coreValidator ?? CoreSchemaValidator.shared();
  const violations: SchemaViolation[] = [];
  for (const manifest of manifests) {
    if (typeof manifest?.apiVersion !== 'string' || typeof manifest.kind !== 'string') {
      violations.push({
        object: JSON.stringify(manifest).slice(0, 80),
        path: '(root)',
        message: 'not a Kubernetes object: apiVersion and kind must be strings',
      });
    } else if (`${manifest.apiVersion}/${manifest.kind}` === ISTIO_OPERATOR) {
      violations.push(...validateIstioOperator(manifest, crdValidator));
    } else if (crdValidator.hasSchema(manifest.apiVersion, manifest.kind)) {
      violations.push(...crdValidator.validate(manifest));
    } else if (coreValidator.hasSchema(manifest.apiVersion, manifest.kind)) {
      violations.push(...coreValidator.validate(manifest));
    } else {
      violations.push({
        object: describeObject(manifest),
        path: '(root)',
        message: `no schema known for ${manifest.apiVersion}/${manifest.kind}: it is neither a Kubernetes kind nor one of the `
          + "CRDs in cdk8s.yaml imports (check apiVersion and kind, or add the CRD and run 'npm run import')",
      });
    }
  }
  return violations;
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
    const { cni, gateways: _gateways, ...istioValues } = spec.values as Record<string, unknown>;
    violations.push(...prefixed('spec.values',
      validator.validateFragment(SAIL_ISTIO.apiVersion, SAIL_ISTIO.kind, ['spec', 'values'], istioValues, name)));
    if (cni !== undefined) {
      violations.push(...prefixed('spec.values.cni',
        validator.validateFragment(SAIL_ISTIO_CNI.apiVersion, SAIL_ISTIO_CNI.kind, ['spec', 'values', 'cni'], cni, name)));
    }
  }
  return violations;
}
