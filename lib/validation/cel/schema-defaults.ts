/** A node of a Kubernetes structural schema (an openAPIV3Schema or a part of one). */
export type SchemaNode = Readonly<Record<string, any>>;

/**
 * The value with the schema's `default:`s applied as kube-apiserver applies them when it decodes a
 * request: a property that is absent, or null without `nullable`, takes its default (a copy),
 * inside objects that exist only, and so on down, defaults of defaults included. The value itself
 * is not changed.
 */
export function withDefaults(schema: SchemaNode | undefined, value: unknown): unknown {
  if (schema === undefined || value === null || typeof value !== 'object' || !declaresDefaults(schema)) {
    return value;
  }
  if (Array.isArray(value)) {
    const items = schema.items as SchemaNode | undefined;
    return value.map((item) => withDefaults(items, item === null && items?.default !== undefined && !items.nullable ? clone(items.default) : item));
  }
  const result: Record<string, unknown> = { ...(value as Record<string, unknown>) };
  const properties = (schema.properties ?? {}) as Record<string, SchemaNode>;
  for (const [name, property] of Object.entries(properties)) {
    if (property.default !== undefined && (result[name] === undefined || (result[name] === null && !property.nullable))) {
      result[name] = clone(property.default);
    }
  }
  const additional = typeof schema.additionalProperties === 'object' ? schema.additionalProperties as SchemaNode : undefined;
  for (const [name, child] of Object.entries(result)) {
    const childSchema = properties[name] ?? additional;
    if (childSchema !== undefined) {
      result[name] = withDefaults(childSchema, child);
    }
  }
  return result;
}

function clone(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value));
}


// Most schemas (all of Istio's) declare no default at all: their objects need no copy.
const subtreeDeclaresDefaults = new WeakMap<SchemaNode, boolean>();

/** Whether a default is declared anywhere below this node: properties, items, map values. */
export function declaresDefaults(schema: SchemaNode): boolean {
  let found = subtreeDeclaresDefaults.get(schema);
  if (found === undefined) {
    const children = [
      ...Object.values((schema.properties ?? {}) as Record<string, SchemaNode>),
      ...(schema.items ? [schema.items as SchemaNode] : []),
      ...(typeof schema.additionalProperties === 'object' ? [schema.additionalProperties as SchemaNode] : []),
    ];
    found = children.some((child) => child.default !== undefined || declaresDefaults(child));
    subtreeDeclaresDefaults.set(schema, found);
  }
  return found;
}
