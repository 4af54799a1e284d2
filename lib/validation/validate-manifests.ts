import { CrdSchemaValidator, Manifest, SchemaViolation } from './crd-schema-validator';

const ISTIO_OPERATOR = 'install.istio.io/v1alpha1/IstioOperator';
const SAIL_ISTIO = { apiVersion: 'sailoperator.io/v1', kind: 'Istio' };
const SAIL_ISTIO_CNI = { apiVersion: 'sailoperator.io/v1', kind: 'IstioCNI' };

/**
 * Checks manifests against their upstream schemas:
 * - custom resources against the openAPIV3Schema of their CRD, unknown fields rejected;
 * - IstioOperator, whose CRD is untyped, by its typed parts: `meshConfig` and `values` against the
 *   Sail operator's typed `values` schema (`values.cni` against Sail's IstioCNI).
 *
 * @returns every violation found, empty when all manifests are valid
 */
export function validateManifests(manifests: readonly Manifest[], validator: CrdSchemaValidator = CrdSchemaValidator.shared()): SchemaViolation[] {
  const violations: SchemaViolation[] = [];
  for (const manifest of manifests) {
    if (`${manifest.apiVersion}/${manifest.kind}` === ISTIO_OPERATOR) {
      violations.push(...validateIstioOperator(manifest, validator));
    } else if (validator.hasSchema(manifest.apiVersion, manifest.kind)) {
      violations.push(...validator.validate(manifest));
    }
  }
  return violations;
}

function validateIstioOperator(manifest: Manifest, validator: CrdSchemaValidator): SchemaViolation[] {
  const name = `IstioOperator/${manifest.metadata?.namespace ?? ''}/${manifest.metadata?.name ?? ''}`;
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
