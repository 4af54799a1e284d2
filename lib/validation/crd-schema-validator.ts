import * as fs from 'fs';
import * as path from 'path';
import Ajv, { ErrorObject, Options, ValidateFunction } from 'ajv';
import { sailVersionEnum } from '../istio/install-paths/sail-releases';
import { CelRuleValidator } from './cel/cel-rule-validator';
import { withDefaults } from './cel/schema-defaults';
import { CompiledValidatorCache } from './compiled-validator-cache';
import { CrdVersionSchema } from './user-crds';

/** One way in which a manifest breaks the schema of its kind. */
export interface SchemaViolation {
  /** `Kind/namespace/name` of the offending object. */
  readonly object: string;
  /** Dotted path of the offending field inside the object, e.g. `spec.egress[0].hosts`. */
  readonly path: string;
  /** What is wrong, in the words of the schema check (a CEL rule's own message for a rule). */
  readonly message: string;
  /** The CEL rule (`x-kubernetes-validations`) broken, when the violation comes from one. */
  readonly celRule?: string;
  /** The rule's reason, e.g. `FieldValueInvalid`, when the violation comes from a rule. */
  readonly reason?: string;
}

/** A Kubernetes manifest as synthesized: plain JSON. */
export interface Manifest {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata?: { readonly name?: string; readonly namespace?: string; readonly [key: string]: unknown };
  readonly [key: string]: unknown;
}

interface StoredSchema {
  readonly scope: 'Namespaced' | 'Cluster';
  readonly schema: Record<string, any>;
}

/**
 * The schemas are derived from CRDs the API server has accepted, so checking each one against
 * JSON Schema's meta-schema first (ajv's default) only costs time, and so does optimizing code
 * that runs once per object. `source` lets compiled validators be kept on disk.
 */
const AJV_OPTIONS: Options = { allErrors: true, strict: false, validateFormats: false, validateSchema: false, code: { optimize: false, source: true } };

/** Where `npm run import` writes the openAPIV3Schema of every served CRD version. */
const SCHEMA_DIR = path.join(__dirname, '..', '..', 'imports', 'crd-schemas');

/**
 * Validates custom resources against the openAPIV3Schema of their upstream CRD, the way the API
 * server does on create: the schema's defaults applied first (what is checked is what would be
 * stored), then types, enums, required fields, patterns, ranges, int-or-string, nullable, and
 * unknown fields rejected unless the schema preserves them (the API server would prune them
 * silently; a typo should not vanish), then the enforced formats and the CEL rules
 * (`x-kubernetes-validations`) by a {@link CelRuleValidator}. The CRDs are those this library
 * ships (`npm run import` writes their schemas) and any a user adds ({@link withCrds}).
 *
 * Schemas are loaded on first use of each kind. Only the part of a schema that an object uses is
 * compiled (the full Jaeger or Prometheus schema takes seconds to compile, the few fields an
 * object sets take milliseconds); compiled parts are cached by their shape, so objects of the same
 * shape share one, and kept on disk by a {@link CompiledValidatorCache} for the next synth.
 */
export class CrdSchemaValidator {
  /** A process-wide validator, so that each schema is compiled once. */
  public static shared(): CrdSchemaValidator {
    if (!CrdSchemaValidator.instance) {
      CrdSchemaValidator.instance = new CrdSchemaValidator();
    }
    return CrdSchemaValidator.instance;
  }

  private static instance: CrdSchemaValidator | undefined;

  private readonly ajv = new Ajv(AJV_OPTIONS);
  private readonly index: Record<string, string>;
  private readonly files = new Map<string, Record<string, StoredSchema>>();
  /** Compiled validators by the JSON of their (pruned) schema. */
  private readonly compiled = new Map<string, ValidateFunction>();
  /** Compiled validators by kind and the shape of the objects they were pruned for. */
  private readonly byShape = new Map<string, ValidateFunction>();
  /** Schemas of CRDs a user brought ({@link withCrds}), by `group/version/Kind`: they win over the shipped ones. */
  private readonly userSchemas = new Map<string, StoredSchema>();

  /**
   * @param schemaDir folder of the schemas `npm run import` wrote
   * @param validatorCache keeps compiled validators between processes
   * @param ruleValidator evaluates formats and CEL rules; its cache shares the validators' folder
   */
  constructor(
    private readonly schemaDir: string = SCHEMA_DIR,
    private readonly validatorCache: CompiledValidatorCache = CompiledValidatorCache.shared(),
    private readonly ruleValidator: CelRuleValidator = new CelRuleValidator(validatorCache.cacheDir),
  ) {
    this.index = JSON.parse(fs.readFileSync(path.join(schemaDir, 'index.json'), 'utf8'));
  }

  /**
   * A validator that also knows the CRDs a user brings (their cluster's CRDs, or kinds this library
   * does not ship); a kind both define is checked against the user's CRD, the one the cluster has.
   */
  public withCrds(schemas: readonly CrdVersionSchema[]): CrdSchemaValidator {
    const validator = new CrdSchemaValidator(this.schemaDir, this.validatorCache, this.ruleValidator);
    this.userSchemas.forEach((stored, key) => validator.userSchemas.set(key, stored));
    for (const { key, scope, schema } of schemas) {
      validator.userSchemas.set(key, { scope, schema });
    }
    return validator;
  }

  /** Whether an upstream CRD schema is known for this apiVersion and kind. */
  public hasSchema(apiVersion: string, kind: string): boolean {
    const key = `${apiVersion}/${kind}`;
    return this.userSchemas.has(key) || key in this.index;
  }

  /** The raw openAPIV3Schema of a CRD version, for callers that validate a sub-tree. */
  public rawSchema(apiVersion: string, kind: string): Record<string, any> {
    return this.stored(apiVersion, kind).schema;
  }

  /** Whether objects of this kind live in a namespace. */
  public isNamespaced(apiVersion: string, kind: string): boolean {
    return this.stored(apiVersion, kind).scope === 'Namespaced';
  }

  /**
   * Validates one custom resource. Throws if its kind has no known schema: an object that the
   * library cannot check must not pass silently.
   */
  public validate(manifest: Manifest): SchemaViolation[] {
    const schema = this.stored(manifest.apiVersion, manifest.kind).schema;
    const defaulted = withDefaults(schema, manifest) as Manifest;
    const shapeKey = `${manifest.apiVersion}/${manifest.kind}#${shapeOf(defaulted)}`;
    let validateFn = this.byShape.get(shapeKey);
    if (!validateFn) {
      validateFn = this.compile(toJsonSchema(pruneToValues(schema, [defaulted]), Position.ROOT));
      this.byShape.set(shapeKey, validateFn);
    }
    const object = describeObject(manifest);
    const structural = validateFn(defaulted) ? [] : toViolations(manifest, validateFn.errors ?? []);
    return [...structural, ...this.ruleValidator.validate(schema, defaulted, true).map((finding) => ({ object, ...finding }))];
  }

  /** Keeps what this process learned about rules for the next one (see {@link CelRuleValidator}). */
  public flush(): void {
    this.ruleValidator.flush();
  }

  /**
   * Validates a value against a sub-schema of a CRD, e.g. an IstioOperator's `meshConfig`
   * against the Sail `Istio` CRD's `spec.values.meshConfig`.
   *
   * @param schemaPath property names leading from the CRD root to the sub-schema
   * @param objectName how to name the checked value in violations
   */
  public validateFragment(apiVersion: string, kind: string, schemaPath: string[], value: unknown, objectName: string): SchemaViolation[] {
    let schema = this.stored(apiVersion, kind).schema;
    for (const property of schemaPath) {
      schema = schema.properties?.[property];
      if (!schema) {
        throw new Error(`${apiVersion} ${kind} has no schema at ${schemaPath.join('.')}`);
      }
    }
    const defaulted = withDefaults(schema, value);
    const validateFn = this.compile(toJsonSchema(pruneToValues(schema, [defaulted]), Position.NESTED));
    const structural = validateFn(defaulted) ? [] : (validateFn.errors ?? []).map((error) => ({
      object: objectName,
      path: errorPath(error),
      message: errorMessage(error),
    }));
    return [...structural, ...this.ruleValidator.validate(schema, defaulted, false).map((finding) => ({ object: objectName, ...finding }))];
  }

  private compile(schema: Record<string, any>): ValidateFunction {
    const key = JSON.stringify(schema);
    let validateFn = this.compiled.get(key);
    if (!validateFn) {
      validateFn = this.validatorCache.compile(this.ajv, `CrdSchemaValidator ${JSON.stringify(AJV_OPTIONS)}`, schema);
      this.compiled.set(key, validateFn);
    }
    return validateFn;
  }

  private stored(apiVersion: string, kind: string): StoredSchema {
    const key = `${apiVersion}/${kind}`;
    const userSchema = this.userSchemas.get(key);
    if (userSchema) {
      return userSchema;
    }
    const file = this.index[key];
    if (!file) {
      throw new Error(`no CRD schema for ${key}: add its CRD to the validation (the crds option, or validation.crds in mesh.yaml)`);
    }
    let schemas = this.files.get(file);
    if (!schemas) {
      schemas = JSON.parse(fs.readFileSync(path.join(this.schemaDir, file), 'utf8')) as Record<string, StoredSchema>;
      Object.entries(schemas).forEach(([schemaKey, stored]) => withKnownSailVersions(schemaKey, stored.schema));
      this.files.set(file, schemas);
    }
    return schemas[key];
  }
}

/**
 * The Sail kinds' `spec.version` enum as the newest Sail operator release this library knows
 * accepts it, together with the imported (older) CRDs' values: the imported CRDs predate Istio
 * 1.31 and would refuse `v1.31.3`, which the Sail 1.31.2 CRDs a cluster runs accept. Which
 * operator release a value needs is a synth warning of the control plane, not a schema error.
 * Only the enum is widened; every other rule of the imported schema stays as it is.
 */
function withKnownSailVersions(key: string, schema: Record<string, any>): void {
  const version = key.startsWith('sailoperator.io/') ? schema.properties?.spec?.properties?.version : undefined;
  if (version?.enum) {
    version.enum = sailVersionEnum();
  }
}

/**
 * The part of a structural schema that can judge these values: `properties` keeps only the fields
 * some value sets, recursively. Validating the values against it gives exactly the errors of the
 * full schema: an unset field has nothing to check but `required`, which stays, and a field the
 * schema does not declare is still absent from `properties`, hence still unknown.
 */
function pruneToValues(node: Record<string, any>, values: readonly unknown[]): Record<string, any> {
  const objects = values.filter((value): value is Record<string, unknown> => value !== null && typeof value === 'object' && !Array.isArray(value));
  const result: Record<string, any> = { ...node };
  if (node.properties) {
    result.properties = {};
    for (const [name, child] of Object.entries(node.properties as Record<string, any>)) {
      const childValues = objects.filter((object) => object[name] !== undefined).map((object) => object[name]);
      if (childValues.length > 0) {
        result.properties[name] = pruneToValues(child, childValues);
      }
    }
  }
  if (node.items) {
    result.items = pruneToValues(node.items, values.filter(Array.isArray).flat());
  }
  if (node.additionalProperties !== null && typeof node.additionalProperties === 'object') {
    result.additionalProperties = pruneToValues(node.additionalProperties, objects.flatMap((object) => Object.values(object)));
  }
  for (const junction of ['allOf', 'anyOf', 'oneOf']) {
    if (node[junction]) {
      result[junction] = node[junction].map((branch: Record<string, any>) => pruneToValues(branch, values));
    }
  }
  if (node.not) {
    result.not = pruneToValues(node.not, values);
  }
  return result;
}

/** The field names of a value, at any depth: values of one shape prune a schema alike. */
function shapeOf(value: unknown): string {
  if (value === null || typeof value !== 'object') {
    return '';
  }
  if (Array.isArray(value)) {
    return `[${value.map(shapeOf).join(',')}]`;
  }
  return `{${Object.entries(value).map(([name, child]) => `${JSON.stringify(name)}:${shapeOf(child)}`).join(',')}}`;
}

enum Position {
  /** The CRD root: apiVersion, kind and metadata are the API server's, not the CRD's. */
  ROOT,
  /** A node whose unknown fields the API server prunes, so we reject them. */
  NESTED,
  /** Inside allOf/anyOf/oneOf/not: structural schemas only add value checks there. */
  JUNCTION,
}

const OBJECT_META = {
  type: 'object',
  properties: {
    name: { type: 'string' },
    namespace: { type: 'string' },
    labels: { type: 'object', additionalProperties: { type: 'string' } },
    annotations: { type: 'object', additionalProperties: { type: 'string' } },
  },
};

/**
 * Turns a Kubernetes structural schema into JSON Schema with the API server's semantics for
 * unknown fields (rejected here instead of silently pruned), int-or-string and nullable.
 */
function toJsonSchema(node: Record<string, any>, position: Position): Record<string, any> {
  const childPosition = position === Position.JUNCTION ? Position.JUNCTION : Position.NESTED;
  const result: Record<string, any> = {};
  for (const keyword of ['enum', 'required', 'pattern', 'minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum',
    'minLength', 'maxLength', 'minItems', 'maxItems', 'uniqueItems', 'minProperties', 'maxProperties', 'multipleOf']) {
    if (node[keyword] !== undefined) {
      result[keyword] = node[keyword];
    }
  }
  if (node['x-kubernetes-int-or-string']) {
    result.anyOf = [{ type: 'integer' }, { type: 'string' }];
  } else if (node.type) {
    result.type = node.nullable ? [node.type, 'null'] : node.type;
  }
  for (const junction of ['allOf', 'anyOf', 'oneOf']) {
    if (node[junction]) {
      const branches = node[junction].map((branch: Record<string, any>) => toJsonSchema(branch, Position.JUNCTION));
      result.allOf = [...(result.allOf ?? []), junction === 'allOf' ? { allOf: branches } : { [junction]: branches }];
    }
  }
  if (node.not) {
    result.not = toJsonSchema(node.not, Position.JUNCTION);
  }
  if (node.items) {
    result.items = toJsonSchema(node.items, childPosition);
  }
  if (node.properties) {
    result.properties = Object.fromEntries(Object.entries(node.properties as Record<string, any>)
      .map(([name, child]) => [name, toJsonSchema(child, childPosition)]));
  }
  if (node.additionalProperties !== undefined && typeof node.additionalProperties === 'object') {
    result.additionalProperties = toJsonSchema(node.additionalProperties, childPosition);
  } else if (node.additionalProperties !== undefined) {
    result.additionalProperties = node.additionalProperties;
  }

  const preservesUnknown = node['x-kubernetes-preserve-unknown-fields'] === true;
  const embedded = node['x-kubernetes-embedded-resource'] === true;
  if (position === Position.ROOT || embedded) {
    result.properties = {
      ...result.properties,
      apiVersion: { type: 'string' },
      kind: { type: 'string' },
      metadata: OBJECT_META,
    };
  }
  if (position === Position.ROOT) {
    result.required = [...new Set([...(result.required ?? []), 'apiVersion', 'kind', 'metadata'])];
  }
  const isObject = node.type === 'object' || node.properties !== undefined;
  if (position !== Position.JUNCTION && isObject && !preservesUnknown && result.additionalProperties === undefined) {
    result.additionalProperties = false;
  }
  return result;
}

/** How violations name an object: `Kind/namespace/name`, or `Kind/name` when cluster-scoped. */
export function describeObject(manifest: Manifest): string {
  return [manifest.kind, manifest.metadata?.namespace, manifest.metadata?.name].filter((part) => part !== undefined).join('/');
}

/** Turns ajv errors about one manifest into violations with dotted paths. */
export function toViolations(manifest: Manifest, errors: readonly ErrorObject[]): SchemaViolation[] {
  const object = describeObject(manifest);
  return errors.map((error) => ({ object, path: errorPath(error), message: errorMessage(error) }));
}

function errorPath(error: ErrorObject): string {
  const segments = error.instancePath.split('/').slice(1).map((segment) => segment.replace(/~1/g, '/').replace(/~0/g, '~'));
  return segments.reduce((dotted, segment) => (/^\d+$/.test(segment)
    ? `${dotted}[${segment}]`
    : dotted ? `${dotted}.${segment}` : segment), '') || '(root)';
}

function errorMessage(error: ErrorObject): string {
  if (error.keyword === 'additionalProperties') {
    return `unknown field '${(error.params as { additionalProperty: string }).additionalProperty}'`;
  }
  if (error.keyword === 'enum') {
    return `must be one of ${JSON.stringify((error.params as { allowedValues: unknown[] }).allowedValues)}`;
  }
  return error.message ?? error.keyword;
}
