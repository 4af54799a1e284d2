import {
  IstioSpecValues, IstioSpecValuesMeshConfig, toJson_IstioSpecValues, toJson_IstioSpecValuesMeshConfig,
} from '../../imports/sail-istio-sailoperator.io';
import { CrdSchemaValidator } from '../validation/crd-schema-validator';

// mesh.yaml spells meshConfig and chart values as Istio documents them (`meshMTLS`, quantities as
// strings); the control plane takes the generated types, whose property names are camel-cased
// (`meshMtls`) and whose int-or-string fields are wrapper objects, and turns them back with the
// generated toJson_ functions, which drop any key they do not know. This module converts along
// the Sail `Istio` CRD schema the types were generated from, and proves each conversion by
// converting back.

const SAIL_ISTIO = { apiVersion: 'sailoperator.io/v1', kind: 'Istio' };

/**
 * Istio's MeshConfig in its own spelling, as the generated type.
 * @param field how messages name the value, e.g. `controlPlane.meshConfig`
 * @throws if a part cannot be carried over unchanged (call it on values the CRD schema accepts)
 */
export function toIstioMeshConfig(field: string, meshConfig: Record<string, unknown>): IstioSpecValuesMeshConfig {
  const converted = convert(meshConfig, schemaAt(['spec', 'values', 'meshConfig'])) as IstioSpecValuesMeshConfig;
  assertRoundTrip(field, meshConfig, toJson_IstioSpecValuesMeshConfig(converted));
  return converted;
}

/**
 * istiod's chart values in their own spelling, as the generated type.
 * @param field how messages name the value, e.g. `controlPlane.values`
 * @throws if a part cannot be carried over unchanged (call it on values the CRD schema accepts)
 */
export function toIstioValues(field: string, values: Record<string, unknown>): IstioSpecValues {
  const converted = convert(values, schemaAt(['spec', 'values'])) as IstioSpecValues;
  assertRoundTrip(field, values, toJson_IstioSpecValues(converted));
  return converted;
}

/**
 * The property name the cdk8s importer (json2jsii) generates for a schema property: without a
 * leading `$`, the first `/` as `_`, then camel-cased the way the `camelcase` package does it
 * (word boundaries at separators, at lower-to-upper changes, and before the last capital of a
 * capital run: `meshMTLS` -> `meshMtls`, `enableIPv6` -> `enableIPv6`).
 */
export function generatedPropertyName(name: string): string {
  const input = name.replace(/^\$/, '').replace('/', '_').trim();
  if (input.length <= 1) {
    return input.toLowerCase();
  }
  const isUpper = (c: string) => c.toUpperCase() === c && c.toLowerCase() !== c;
  const isLower = (c: string) => c.toLowerCase() === c && c.toUpperCase() !== c;
  let marked = input;
  if (input !== input.toLowerCase()) {
    let lastLower = false;
    let lastUpper = false;
    let lastLastUpper = false;
    for (let i = 0; i < marked.length; i++) {
      const c = marked[i];
      if (lastLower && isUpper(c)) {
        marked = `${marked.slice(0, i)}-${marked.slice(i)}`;
        lastLower = false;
        lastLastUpper = lastUpper;
        lastUpper = true;
        i++;
      } else if (lastUpper && lastLastUpper && isLower(c)) {
        marked = `${marked.slice(0, i - 1)}-${marked.slice(i - 1)}`;
        lastLastUpper = lastUpper;
        lastUpper = false;
        lastLower = true;
      } else {
        lastLower = isLower(c);
        lastLastUpper = lastUpper;
        lastUpper = isUpper(c);
      }
    }
  }
  return marked
    .replace(/^[_.\- ]+/, '')
    .toLowerCase()
    .replace(/[_.\- ]+([\p{Alpha}\p{N}_]|$)/gu, (_, next: string) => next.toUpperCase())
    .replace(/\d+([\p{Alpha}\p{N}_]|$)/gu, (match) => match.toUpperCase());
}

function schemaAt(path: string[]): Record<string, any> {
  let node = CrdSchemaValidator.shared().rawSchema(SAIL_ISTIO.apiVersion, SAIL_ISTIO.kind);
  for (const property of path) {
    node = node.properties[property];
  }
  return node;
}

function isIntOrString(schema: Record<string, any>): boolean {
  return schema['x-kubernetes-int-or-string'] === true || Array.isArray(schema.anyOf);
}

function convert(value: unknown, schema: Record<string, any> | undefined): unknown {
  if (schema === undefined || value === null || value === undefined) {
    return value;
  }
  if (isIntOrString(schema)) {
    // The generated wrapper classes hold the value in `value`, which is all toJson_ reads.
    return { value };
  }
  if (Array.isArray(value)) {
    return value.map((item) => convert(item, schema.items));
  }
  if (typeof value !== 'object') {
    return value;
  }
  const entries = Object.entries(value as Record<string, unknown>);
  if (schema.properties) {
    return Object.fromEntries(entries.map(([key, child]) => [generatedPropertyName(key), convert(child, schema.properties[key])]));
  }
  if (schema.additionalProperties !== null && typeof schema.additionalProperties === 'object') {
    return Object.fromEntries(entries.map(([key, child]) => [key, convert(child, schema.additionalProperties)]));
  }
  return value;
}

function assertRoundTrip(field: string, original: unknown, roundTripped: unknown): void {
  const difference = firstDifference(original, stripUndefined(roundTripped), field);
  if (difference !== undefined) {
    throw new Error(`${difference}: cannot be passed to the Sail Istio resource unchanged (the generated types lose it); set it through another key or report it as a bug of cdk8s-istio-mesh`);
  }
}

function stripUndefined(value: unknown): unknown {
  if (Array.isArray(value)) {
    return value.map(stripUndefined);
  }
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).filter(([, child]) => child !== undefined).map(([key, child]) => [key, stripUndefined(child)]));
  }
  return value;
}

/** The path of the first place where `b` differs from `a`, if any. */
function firstDifference(a: unknown, b: unknown, path: string): string | undefined {
  if (Array.isArray(a) && Array.isArray(b)) {
    if (a.length !== b.length) {
      return path;
    }
    for (let i = 0; i < a.length; i++) {
      const found = firstDifference(a[i], b[i], `${path}[${i}]`);
      if (found !== undefined) {
        return found;
      }
    }
    return undefined;
  }
  if (a !== null && b !== null && typeof a === 'object' && typeof b === 'object' && !Array.isArray(a) && !Array.isArray(b)) {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    for (const key of keys) {
      const found = firstDifference((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key], `${path}.${key}`);
      if (found !== undefined) {
        return found;
      }
    }
    return undefined;
  }
  return a === b ? undefined : path;
}
