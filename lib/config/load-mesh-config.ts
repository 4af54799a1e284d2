import * as fs from 'fs';
import Ajv, { ErrorObject, ValidateFunction } from 'ajv';
import * as yaml from 'js-yaml';
import { CompiledValidatorCache } from '../validation/compiled-validator-cache';
import { CrdSchemaValidator } from '../validation/crd-schema-validator';
import { ConfigProblem, MeshConfigError } from './config-problem';
import { describeKind, didYouMean, inDocumentOrder, joinPath, showValue } from './key-paths';
import { MeshSpec } from './mesh-spec';
import * as meshSpecSchema from './mesh-spec.schema.json';

/** What reading a mesh config file gave. */
export interface ParsedMeshConfig {
  /**
   * The document, when it is a map at all: present even when some keys have problems, so that the
   * parts without problems can still be checked further.
   */
  readonly spec?: MeshSpec;
  /** Syntax and schema problems, in a stable order. */
  readonly problems: readonly ConfigProblem[];
}

/** The Sail operator's `Istio`, whose CRD schema types meshConfig and the chart values. */
const SAIL_ISTIO = { apiVersion: 'sailoperator.io/v1', kind: 'Istio' };

/** Where the pass-through parts of the control plane are checked in the Sail `Istio` CRD schema. */
const PASS_THROUGH_SCHEMA_PATHS: Readonly<Record<'meshConfig' | 'values', readonly string[]>> = {
  meshConfig: ['spec', 'values', 'meshConfig'],
  values: ['spec', 'values'],
};

let compiledSchema: ValidateFunction | undefined;

function meshSpecValidator(): ValidateFunction {
  if (!compiledSchema) {
    const ajv = new Ajv({ allErrors: true, verbose: true, strict: true, code: { source: true } });
    // Documentation-only annotation of the generated schema: a default described in words.
    ajv.addKeyword('x-default');
    // Compiling this schema takes longer than the rest of a small synth: keep the code on disk.
    compiledSchema = CompiledValidatorCache.shared().compile(ajv, 'mesh-spec allErrors verbose strict x-default',
      (meshSpecSchema as { default?: object }).default ?? meshSpecSchema);
  }
  return compiledSchema;
}

/**
 * Reads a mesh config file and checks it against the mesh.yaml schema, returning every problem
 * (a missing file, YAML syntax, an empty document, a list instead of a map, unknown keys, wrong
 * types, values out of range, pass-through Istio configuration the Sail CRD rejects).
 *
 * @param file path of the file, as it is named in messages
 */
export function readMeshConfig(file: string): ParsedMeshConfig {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason = code === 'ENOENT' ? 'file not found' : code === 'EISDIR' ? 'is a directory, not a file' : `cannot be read (${code ?? String(error)})`;
    return { problems: [{ path: '', message: `${reason}: write a mesh.yaml (see docs/mesh-yaml.md) or point MESH_CONFIG at one` }] };
  }
  return parseMeshConfig(text, file);
}

/**
 * Parses the text of a mesh config file and checks it like {@link readMeshConfig}.
 * @param file how messages name the file
 */
export function parseMeshConfig(text: string, file: string): ParsedMeshConfig {
  let documents: unknown[];
  try {
    documents = yaml.loadAll(text, { filename: file });
  } catch (error) {
    if (error instanceof yaml.YAMLException) {
      const position = error.mark ? { line: error.mark.line + 1, column: error.mark.column + 1 } : {};
      return { problems: [{ path: '', message: `invalid YAML: ${error.reason}`, ...position }] };
    }
    throw error;
  }
  if (documents.length > 1) {
    return { problems: [{ path: '', message: `holds ${documents.length} YAML documents (separated by ---), expected one` }] };
  }
  const document = documents[0];
  if (document === undefined || document === null) {
    return { problems: [{ path: '', message: 'is empty: describe the mesh, starting with `controlPlane: {}` (see docs/mesh-yaml.md)' }] };
  }
  if (typeof document !== 'object' || Array.isArray(document)) {
    return { problems: [{ path: '', message: `must be a map of keys such as controlPlane and tracing, got ${describeKind(document)} ${showValue(document)}` }] };
  }
  const validate = meshSpecValidator();
  const problems = validate(document) ? [] : schemaProblems(validate.errors ?? [], document);
  problems.push(...passThroughProblems(document as MeshSpec, problems));
  return { spec: document as MeshSpec, problems: inDocumentOrder(dedupe(problems), document) };
}

/**
 * Reads and checks a mesh config file.
 * @throws MeshConfigError listing every problem
 */
export function loadMeshConfig(file: string): MeshSpec {
  const parsed = readMeshConfig(file);
  if (parsed.problems.length > 0 || !parsed.spec) {
    throw new MeshConfigError(file, parsed.problems);
  }
  return parsed.spec;
}

const KIND_WORDS: Record<string, string> = {
  object: 'a map',
  array: 'a list',
  string: 'a string',
  number: 'a number',
  integer: 'a whole number',
  boolean: 'true or false',
  null: 'null',
};

function schemaProblems(errors: readonly ErrorObject[], document: unknown): ConfigProblem[] {
  return errors.map((error) => {
    const path = instancePath(error.instancePath, document);
    const params = error.params as Record<string, any>;
    const parentSchema = (error.parentSchema ?? {}) as Record<string, any>;
    switch (error.keyword) {
      case 'additionalProperties': {
        const key = String(params.additionalProperty);
        const allowed = Object.keys(parentSchema.properties ?? {});
        const suggestion = didYouMean(key, allowed);
        return {
          path: joinPath(path, key),
          message: suggestion !== undefined
            ? `unknown key; did you mean '${suggestion}'?`
            : `unknown key; allowed here: ${allowed.join(', ')}`,
        };
      }
      case 'required': {
        const key = String(params.missingProperty);
        const description = parentSchema.properties?.[key]?.description;
        return { path: joinPath(path, key), message: `is required${description ? `: ${firstSentence(description)}` : ''}` };
      }
      case 'type': {
        const expected = String(params.type).split(',').map((type) => KIND_WORDS[type] ?? type).join(' or ');
        const hint = params.type === 'string' && typeof error.data === 'number' ? ' (YAML read it as a number: write it in quotes)' : '';
        return { path, message: `must be ${expected}, got ${describeKind(error.data)} ${showValue(error.data)}${hint}` };
      }
      case 'enum': {
        const allowed = (params.allowedValues as unknown[]).map(String);
        const suggestion = typeof error.data === 'string' ? didYouMean(error.data, allowed) : undefined;
        return { path, message: `must be one of ${allowed.join(', ')}, got ${showValue(error.data)}${suggestion !== undefined ? `; did you mean '${suggestion}'?` : ''}` };
      }
      case 'minimum':
      case 'maximum':
      case 'exclusiveMinimum':
      case 'exclusiveMaximum':
        return { path, message: `must be ${params.comparison} ${params.limit}, got ${showValue(error.data)}` };
      case 'pattern': {
        const description = parentSchema.description;
        return { path, message: `must match ${params.pattern}, got ${showValue(error.data)}${description ? ` (${firstSentence(description)})` : ''}` };
      }
      case 'minProperties':
      case 'maxProperties': {
        const choices = Object.keys(parentSchema.properties ?? {});
        const set = Object.keys((error.data ?? {}) as object);
        return { path, message: `must set exactly one of ${choices.join(', ')}, got ${set.length === 0 ? 'none' : set.join(' and ')}` };
      }
      default:
        return { path, message: `${error.message ?? error.keyword}, got ${showValue(error.data)}` };
    }
  });
}

/**
 * Checks meshConfig and values against the Sail `Istio` CRD schema: the control plane renders
 * them through the generated types, which would drop a key they do not know without a word.
 */
function passThroughProblems(spec: MeshSpec, earlier: readonly ConfigProblem[]): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const validator = CrdSchemaValidator.shared();
  for (const key of ['meshConfig', 'values'] as const) {
    const value = spec.controlPlane?.[key];
    const prefix = `controlPlane.${key}`;
    if (value === undefined || earlier.some((problem) => problem.path === prefix)) {
      continue;
    }
    const schemaPath = PASS_THROUGH_SCHEMA_PATHS[key];
    for (const violation of validator.validateFragment(SAIL_ISTIO.apiVersion, SAIL_ISTIO.kind, [...schemaPath], value, prefix)) {
      const fieldPath = violation.path === '(root)' ? '' : violation.path;
      const unknown = /^unknown field '(.+)'$/.exec(violation.message);
      if (unknown) {
        const allowed = Object.keys(crdSchemaAt(validator.rawSchema(SAIL_ISTIO.apiVersion, SAIL_ISTIO.kind), [...schemaPath], fieldPath)?.properties ?? {});
        const suggestion = didYouMean(unknown[1], allowed);
        problems.push({
          path: [prefix, fieldPath, unknown[1]].filter((part) => part !== '').join('.'),
          message: `unknown key of the Sail Istio CRD's spec.${schemaPath.slice(1).join('.')}${suggestion !== undefined ? `; did you mean '${suggestion}'?` : ''}`,
        });
      } else {
        const got = /\bgot\b/.test(violation.message) ? '' : `, got ${showValue(valueAt(value, fieldPath))}`;
        problems.push({ path: fieldPath ? `${prefix}.${fieldPath}` : prefix, message: `${violation.message}${got} (Sail Istio CRD schema)` });
      }
    }
  }
  return problems;
}

/** The CRD sub-schema at a dotted path below `schemaPath` (array indexes step into items). */
function crdSchemaAt(root: Record<string, any>, schemaPath: string[], dotted: string): Record<string, any> | undefined {
  let node: Record<string, any> | undefined = root;
  for (const property of schemaPath) {
    node = node?.properties?.[property];
  }
  for (const segment of dotted.split(/\.|(?=\[)/).filter((part) => part !== '')) {
    node = segment.startsWith('[') ? node?.items : node?.properties?.[segment] ?? node?.additionalProperties;
  }
  return node;
}

/** The value at a dotted path such as `a.b[0].c`. */
function valueAt(value: unknown, dotted: string): unknown {
  let node: any = value;
  for (const segment of dotted.split(/\.|(?=\[)/).filter((part) => part !== '')) {
    node = segment.startsWith('[') ? node?.[Number(segment.slice(1, -1))] : node?.[segment];
  }
  return node;
}

/** A JSON pointer as a key path: `/a/b/0` becomes `a.b[0]` where `b` is a list. */
function instancePath(pointer: string, document: unknown): string {
  let path = '';
  let node: any = document;
  for (const raw of pointer.split('/').slice(1)) {
    const segment = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (Array.isArray(node)) {
      path = joinPath(path, Number(segment));
    } else {
      path = joinPath(path, segment);
    }
    node = node?.[segment];
  }
  return path;
}

/** The first sentence of a description, without its full stop. */
function firstSentence(text: string): string {
  return text.split(/\.(?:\s|$)/)[0];
}

function dedupe(problems: readonly ConfigProblem[]): ConfigProblem[] {
  const seen = new Set<string>();
  return problems.filter((problem) => {
    const key = `${problem.path}\0${problem.message}`;
    if (seen.has(key)) {
      return false;
    }
    seen.add(key);
    return true;
  });
}
