import { CrdSchemaValidator } from '../validation/crd-schema-validator';
import { OneOfGroup } from './config-merger';

/**
 * The CEL form of a protobuf `oneof` in the CRDs generated from Istio's API:
 * `(has(self.zipkin)?1:0) + (has(self.lightstep)?1:0) + ... <= 1`.
 */
const ONE_OF_RULE = /^\(has\(self\.[A-Za-z0-9_]+\)\?1:0\)( \+ \(has\(self\.[A-Za-z0-9_]+\)\?1:0\))* <= 1$/;
const ONE_OF_MEMBER = /has\(self\.([A-Za-z0-9_]+)\)/g;

let cached: readonly OneOfGroup[] | undefined;

/**
 * The one-of groups of Istio's MeshConfig (the tracer of `defaultConfig.tracing`, the kind of an
 * `extensionProviders[]` entry, the source of a `caCertificates[]` entry, the private key
 * provider, ...), read from the CEL rules of the Sail `Istio` CRD's `spec.values.meshConfig`,
 * which is generated from the MeshConfig protobuf. The groups are those of the protobuf's oneofs,
 * which Istio has not changed across the releases this library installs; one place reads them,
 * so a new oneof arrives with the next `npm run import`.
 */
export function meshConfigOneOfs(): readonly OneOfGroup[] {
  if (!cached) {
    const schema = CrdSchemaValidator.shared().rawSchema('sailoperator.io/v1', 'Istio');
    const meshConfig = schema.properties?.spec?.properties?.values?.properties?.meshConfig;
    if (!meshConfig) {
      throw new Error('the Sail Istio CRD has no spec.values.meshConfig schema: run npm run import');
    }
    cached = oneOfGroupsOf(meshConfig);
  }
  return cached;
}

/** Every one-of rule in a structural schema, with where it is declared. */
export function oneOfGroupsOf(schema: Record<string, any>): OneOfGroup[] {
  const groups: OneOfGroup[] = [];
  const visit = (node: Record<string, any> | undefined, at: string) => {
    if (!node || typeof node !== 'object') {
      return;
    }
    for (const validation of node['x-kubernetes-validations'] ?? []) {
      const rule = typeof validation.rule === 'string' ? validation.rule.trim() : '';
      if (ONE_OF_RULE.test(rule)) {
        const members = [...rule.matchAll(ONE_OF_MEMBER)].map((match) => match[1]);
        // A oneof of a single field (opentelemetry's dynatraceSampler) can never be broken.
        if (members.length > 1) {
          groups.push({ at, members });
        }
      }
    }
    for (const [name, child] of Object.entries(node.properties ?? {})) {
      visit(child as Record<string, any>, at === '' ? name : `${at}.${name}`);
    }
    if (node.items) {
      visit(node.items, `${at}[]`);
    }
    if (node.additionalProperties && typeof node.additionalProperties === 'object') {
      visit(node.additionalProperties, at === '' ? '*' : `${at}.*`);
    }
  };
  visit(schema, '');
  return groups;
}
