import { create } from '@bufbuild/protobuf';
import { TimestampSchema } from '@bufbuild/protobuf/wkt';
import { SchemaNode } from './schema-defaults';
import { parseDateTime } from './schema-formats';

// CEL keywords and reserved words: a property so named is reached as `__name__`.
const CEL_RESERVED = new Set(['true', 'false', 'null', 'in', 'as', 'break', 'const', 'continue', 'else', 'for', 'function',
  'if', 'import', 'let', 'loop', 'package', 'namespace', 'return', 'var', 'void', 'while']);
const ESCAPED_CHARACTER: Readonly<Record<string, string>> = { '__': '__underscores__', '.': '__dot__', '-': '__dash__', '/': '__slash__' };

/**
 * The name by which CEL rules reach a property, as k8s.io/apiserver/pkg/cel escapes it
 * (`namespace` -> `__namespace__`, `x-y` -> `x__dash__y`); undefined for a property rules cannot
 * reach (a name starting with a digit or holding other characters).
 */
export function celPropertyName(name: string): string | undefined {
  if (CEL_RESERVED.has(name)) {
    return `__${name}__`;
  }
  if (!/^[A-Za-z_.\-/][A-Za-z0-9_.\-/]*$/.test(name)) {
    return undefined;
  }
  return name.replace(/__|[.\-/]/g, (found) => ESCAPED_CHARACTER[found]);
}

/** The root metadata fields the API server lets rules read. */
const RULE_VISIBLE_METADATA = ['name', 'generateName'];

/**
 * The CEL value of `value` typed by its structural schema, as kube-apiserver binds `self`:
 * unknown fields pruned (kept where the schema preserves them), properties under their escaped
 * names, `additionalProperties` maps under their keys, integers as int, numbers as double,
 * int-or-string as either, strings of format byte as bytes and date/date-time as timestamps, and
 * of an embedded resource's or the root's metadata only name and generateName.
 */
export function toCelInput(schema: SchemaNode, value: unknown, isResource = false): unknown {
  if (value === null || value === undefined) {
    return null;
  }
  if (schema['x-kubernetes-int-or-string']) {
    return typeof value === 'number' && Number.isInteger(value) ? BigInt(value) : value;
  }
  if (Array.isArray(value)) {
    const items = schema.items as SchemaNode | undefined;
    return value.map((item) => (items ? toCelInput(items, item) : untyped(item)));
  }
  if (typeof value === 'object') {
    return objectInput(schema, value as Record<string, unknown>, isResource || schema['x-kubernetes-embedded-resource'] === true);
  }
  switch (schema.type) {
    case 'integer':
      return Number.isInteger(value) ? BigInt(value as number) : value;
    case 'number':
      return value;
    case 'string':
      return typeof value === 'string' ? formattedString(schema.format, value) : value;
    case undefined:
      return untyped(value);
    default:
      return value;
  }
}

function objectInput(schema: SchemaNode, value: Record<string, unknown>, isResource: boolean): Map<string, unknown> {
  const result = new Map<string, unknown>();
  const properties = schema.properties as Record<string, SchemaNode> | undefined;
  if (properties) {
    for (const [name, property] of Object.entries(properties)) {
      const celName = celPropertyName(name);
      if (value[name] !== undefined && celName !== undefined && !(isResource && name === 'metadata')) {
        result.set(celName, toCelInput(property, value[name]));
      }
    }
  } else if (typeof schema.additionalProperties === 'object') {
    for (const [key, child] of Object.entries(value)) {
      result.set(key, toCelInput(schema.additionalProperties as SchemaNode, child));
    }
  } else if (schema['x-kubernetes-preserve-unknown-fields'] === true) {
    return untyped(value) as Map<string, unknown>;
  }
  if (isResource) {
    for (const name of ['apiVersion', 'kind']) {
      if (typeof value[name] === 'string') {
        result.set(name, value[name]);
      }
    }
    const metadata = (value.metadata ?? {}) as Record<string, unknown>;
    result.set('metadata', new Map(RULE_VISIBLE_METADATA.filter((name) => typeof metadata[name] === 'string').map((name) => [name, metadata[name]])));
  }
  return result;
}

/** A value the schema does not type (preserved unknown fields): JSON as the API server decodes it. */
function untyped(value: unknown): unknown {
  if (typeof value === 'number') {
    return Number.isInteger(value) ? BigInt(value) : value;
  }
  if (Array.isArray(value)) {
    return value.map(untyped);
  }
  if (value !== null && typeof value === 'object') {
    return new Map(Object.entries(value).map(([key, child]) => [key, untyped(child)]));
  }
  return value;
}

function formattedString(format: string | undefined, value: string): unknown {
  switch (format) {
    case 'byte':
      return Uint8Array.from(Buffer.from(value, 'base64'));
    case 'date':
    case 'date-time': {
      const millis = parseDateTime(format === 'date' ? `${value}T00:00:00Z` : value);
      if (millis === undefined) {
        return value;
      }
      return create(TimestampSchema, { seconds: BigInt(Math.floor(millis / 1000)), nanos: (millis % 1000 + 1000) % 1000 * 1_000_000 });
    }
    default:
      return value;
  }
}
