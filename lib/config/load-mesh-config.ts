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
   * parts without problems can still be checked further. Absent when the file could not be read
   * as written (a limit below, a key or value YAML would change).
   */
  readonly spec?: MeshSpec;
  /** Syntax and schema problems, in a stable order. */
  readonly problems: readonly ConfigProblem[];
}

/*
 * Limits of what a mesh config may be. A real one is a few kilobytes with a few hundred values;
 * the limits are far above that and far below what would make a synth hang or run out of memory.
 */
/** Bytes of a mesh config file (1 MiB). */
const MAX_FILE_BYTES = 1024 * 1024;
/**
 * Values of the document, counting what each alias (`*name`) repeats: js-yaml shares an aliased
 * node instead of copying it, but every walk over the document (the schema check, the key order,
 * the build) visits it once per alias, so nine nested aliases of ten ("billion laughs") are 10^9
 * visits.
 */
const MAX_EXPANDED_VALUES = 100_000;
/** Aliases (`*name`) in the document. */
const MAX_ALIASES = 1000;
/** Levels of maps and lists inside each other, counting what aliases bring in. */
const MAX_NESTING_DEPTH = 64;

/** The Sail operator's `Istio`, whose CRD schema types meshConfig and the chart values. */
const SAIL_ISTIO = { apiVersion: 'sailoperator.io/v1', kind: 'Istio' };

/** Where the pass-through parts of the control plane are checked in the Sail `Istio` CRD schema. */
const PASS_THROUGH_SCHEMA_PATHS: Readonly<Record<'meshConfig' | 'values', readonly string[]>> = {
  meshConfig: ['spec', 'values', 'meshConfig'],
  values: ['spec', 'values'],
};

/** How a problem that is not about one key ends: what to do. */
const WRITE_A_MESH_YAML = 'write a mesh.yaml (see docs/mesh-yaml.md) or point MESH_CONFIG at one';

/** The tags that resolve plain scalars, in the order the default schema tries them. */
const IMPLICIT_SCALAR_TAGS = yaml.CORE_SCHEMA.tags.filter((tag): tag is yaml.ScalarTagDefinition => tag.nodeKind === 'scalar' && tag.implicit);

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
 * (a missing file, something other than a regular file, a file above 1 MiB, bytes that are not
 * UTF-8, YAML syntax, an empty document, a list instead of a map, unknown keys, wrong types,
 * values out of range, pass-through Istio configuration the Sail CRD rejects).
 *
 * @param file path of the file, as it is named in messages
 */
export function readMeshConfig(file: string): ParsedMeshConfig {
  const bytes = readConfigFile(file);
  if (!(bytes instanceof Uint8Array)) {
    return { problems: [bytes] };
  }
  const text = decodeUtf8(bytes);
  if (typeof text !== 'string') {
    return { problems: [text] };
  }
  return parseMeshConfig(text, file);
}

/**
 * Parses the text of a mesh config file and checks it like {@link readMeshConfig}. Refuses, before
 * anything walks the document, what would hang a synth or change what is written: a document
 * that aliases expand beyond 100000 values, more than 1000 aliases, an alias inside the node it
 * names, maps and lists nested deeper than 64 levels, keys YAML reads as something other than
 * text (`0100:`, `true:`), values `.nan` and `.inf`, whole numbers a JavaScript number cannot
 * hold exactly, and numbers with a leading zero (octal in YAML 1.1).
 *
 * @param file how messages name the file
 */
export function parseMeshConfig(text: string, file: string): ParsedMeshConfig {
  const size = Buffer.byteLength(text);
  if (size > MAX_FILE_BYTES) {
    return { problems: [{ path: '', message: tooLarge(size) }] };
  }
  let documents: unknown[];
  try {
    // One more than the limit: the parser counts the document as a level.
    const events = yaml.parseEvents(text, { filename: file, maxDepth: MAX_NESTING_DEPTH + 1 });
    const documentCount = events.filter((event) => event.type === yaml.EVENT_ID.DOCUMENT).length;
    if (documentCount > 1) {
      return { problems: [{ path: '', message: `holds ${documentCount} YAML documents (separated by ---), expected one` }] };
    }
    const problems = readingProblems(text, events);
    if (problems.length > 0) {
      return { problems };
    }
    documents = yaml.constructFromEvents(events, { source: text, filename: file });
  } catch (error) {
    if (error instanceof yaml.YAMLException) {
      const position = error.mark ? { line: error.mark.line + 1, column: error.mark.column + 1 } : {};
      const message = error.reason.startsWith('nesting exceeded maxDepth') ? tooDeep() : `invalid YAML: ${error.reason}`;
      return { problems: [{ path: '', message, ...position }] };
    }
    throw error;
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
        // Most such maps are one-of choices (both bounds 1); the rest need at least one key.
        const exactlyOne = parentSchema.minProperties === 1 && parentSchema.maxProperties === 1;
        return { path, message: `must set ${exactlyOne ? 'exactly' : 'at least'} one of ${choices.join(', ')}, got ${set.length === 0 ? 'none' : set.join(' and ')}` };
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
    // The CRD's CEL rules are left to the check of the rendered objects: they judge meshConfig
    // once merged with what the constructs set, and the merger words one-of conflicts in mesh.yaml
    // keys, naming where each value came from.
    const structural = validator.validateFragment(SAIL_ISTIO.apiVersion, SAIL_ISTIO.kind, [...schemaPath], value, prefix)
      .filter((violation) => violation.celRule === undefined);
    for (const violation of structural) {
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

/** `is N bytes, more than ...`: the message for a file above the size limit. */
function tooLarge(size: number): string {
  return `is ${size} bytes, more than the ${MAX_FILE_BYTES} bytes (1 MiB) a mesh config may have`;
}

/** The message for maps and lists nested beyond the depth limit. */
function tooDeep(): string {
  return `nests maps and lists more than ${MAX_NESTING_DEPTH} levels deep (counting what aliases bring in), more than a mesh config may`;
}

/**
 * The bytes of a regular file of at most 1 MiB, or the problem. Never blocks: a FIFO, socket or
 * device is refused from its stat before it is opened (opening a FIFO for reading waits for a
 * writer; a device may never end).
 */
function readConfigFile(file: string): Uint8Array | ConfigProblem {
  const refused = (message: string): ConfigProblem => ({ path: '', message });
  let fd: number | undefined;
  try {
    const notReadable = notARegularFile(fs.statSync(file));
    if (notReadable !== undefined) {
      return refused(notReadable);
    }
    // O_NONBLOCK (where the platform has it): should the file be swapped for a FIFO after the
    // stat, open returns at once, and the fstat below refuses it.
    fd = fs.openSync(file, fs.constants.O_RDONLY | (fs.constants.O_NONBLOCK ?? 0));
    const swapped = notARegularFile(fs.fstatSync(fd));
    if (swapped !== undefined) {
      return refused(swapped);
    }
    // One byte more than the limit tells a file that grew since its stat.
    const buffer = Buffer.alloc(MAX_FILE_BYTES + 1);
    let length = 0;
    let read: number;
    do {
      read = fs.readSync(fd, buffer, length, buffer.length - length, null);
      length += read;
    } while (read > 0 && length < buffer.length);
    return length > MAX_FILE_BYTES ? refused(tooLarge(Math.max(length, fs.fstatSync(fd).size))) : buffer.subarray(0, length);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason = code === 'ENOENT' ? 'file not found' : `cannot be read (${code ?? String(error)})`;
    return refused(`${reason}: ${WRITE_A_MESH_YAML}`);
  } finally {
    if (fd !== undefined) {
      fs.closeSync(fd);
    }
  }
}

/** Why a file with these stats is not read, if it is not. */
function notARegularFile(stats: fs.Stats): string | undefined {
  if (stats.isDirectory()) {
    return `is a directory, not a file: ${WRITE_A_MESH_YAML}`;
  }
  if (!stats.isFile()) {
    const kind = stats.isFIFO() ? 'a named pipe (FIFO)' : stats.isSocket() ? 'a socket' : stats.isCharacterDevice() ? 'a character device'
      : stats.isBlockDevice() ? 'a block device' : 'not a file';
    return `is ${kind}, not a regular file: ${WRITE_A_MESH_YAML}`;
  }
  return stats.size > MAX_FILE_BYTES ? tooLarge(stats.size) : undefined;
}

/** The text of UTF-8 bytes (a BOM dropped), or the problem at the first byte that is not UTF-8. */
function decodeUtf8(bytes: Uint8Array): string | ConfigProblem {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    // Binary search for the shortest prefix that fails to decode: it ends at the byte where
    // decoding fails. Streaming leaves an unfinished last character undecided, so every longer
    // prefix fails too; when no prefix fails, the file ends inside a character.
    const decodesSoFar = (length: number): string | undefined => {
      try {
        return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes.subarray(0, length), { stream: true });
      } catch {
        return undefined;
      }
    };
    let good = 0;
    let bad = bytes.length + 1;
    while (bad - good > 1) {
      const middle = Math.floor((good + bad) / 2);
      if (decodesSoFar(middle) !== undefined) {
        good = middle;
      } else {
        bad = middle;
      }
    }
    // The characters before the bad one: the stream keeps an unfinished character back.
    const before = (decodesSoFar(good) ?? '').replace(/^\uFEFF/, '');
    const start = Buffer.byteLength(before) + (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0);
    const byte = `0x${bytes[start].toString(16).toUpperCase().padStart(2, '0')}`;
    return {
      path: '',
      message: `is not UTF-8: byte ${byte} is not part of a UTF-8 character; save the file as UTF-8`,
      ...positionAt(before, before.length),
    };
  }
}

/** 1-based line and column of an offset in a text. */
function positionAt(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let newline = text.indexOf('\n'); newline !== -1 && newline < offset; newline = text.indexOf('\n', newline + 1)) {
    line++;
    lineStart = newline + 1;
  }
  return { line, column: offset - lineStart + 1 };
}

/** What an anchor (`&name`) stands for, for the aliases (`*name`) that repeat it. */
interface AnchoredNode {
  /** Values it holds, itself included and its aliases expanded; undefined while it is still open. */
  readonly values?: number;
  /** Levels of maps and lists it holds: 0 for a scalar. */
  readonly depth: number;
}

/** A map or list whose events are being read. */
interface OpenCollection {
  readonly isMapping: boolean;
  readonly path: string;
  readonly anchor?: string;
  values: number;
  depth: number;
  children: number;
  /** In a map, the key of the value that comes next, as its key path names it. */
  key: string;
}

/**
 * Reads the parser's events as the constructor will and returns what must not reach it: limits
 * that aliases make a walk over the document exceed, an alias inside the node it names (the
 * constructor would build a cycle), and keys and values that YAML reads as something other than
 * what is written. Stops at the first limit exceeded: what follows is not worth reading.
 */
function readingProblems(source: string, events: readonly yaml.Event[]): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const anchors = new Map<string, AnchoredNode>();
  const open: OpenCollection[] = [];
  let directives: yaml.DocumentDirective[] = [];
  let values = 0;
  let aliases = 0;
  let lastAlias: string | undefined;

  const limitAt = (offset: number, message: string): ConfigProblem[] => [...problems, { path: '', message, ...positionAt(source, offset) }];
  const tooManyValues = () => lastAlias === undefined
    ? `holds more than ${MAX_EXPANDED_VALUES} values, more than a mesh config may`
    : `holds more than ${MAX_EXPANDED_VALUES} values once its aliases (such as *${lastAlias}) are expanded, more than a mesh config may (a YAML alias bomb?): write each part out once`;
  /** Where the next node sits: its key path, and whether it is the key of a map entry. */
  const slot = (): { path: string; isKey: boolean } => {
    const parent = open[open.length - 1];
    if (parent === undefined) {
      return { path: '', isKey: false };
    }
    if (!parent.isMapping) {
      return { path: joinPath(parent.path, parent.children), isKey: false };
    }
    return parent.children % 2 === 0 ? { path: parent.path, isKey: true } : { path: joinPath(parent.path, parent.key), isKey: false };
  };
  const addToParent = (node: AnchoredNode & { values: number }) => {
    const parent = open[open.length - 1];
    if (parent !== undefined) {
      parent.values += node.values;
      parent.depth = Math.max(parent.depth, node.depth + 1);
      parent.children++;
    }
  };
  /** What a scalar reads as: plain ones resolved like the constructor does, tagged ones constructed. */
  const scalarValue = (event: yaml.ScalarEvent): unknown => {
    const text = yaml.getScalarValue(source, event);
    if (event.tagStart < 0) {
      return event.style === yaml.SCALAR_STYLE.PLAIN ? resolvePlainScalar(text) : text;
    }
    return yaml.constructFromEvents([
      { type: yaml.EVENT_ID.DOCUMENT, explicitStart: false, explicitEnd: false, directives },
      { ...event, anchorStart: -1, anchorEnd: -1 },
      { type: yaml.EVENT_ID.POP },
    ], { source })[0];
  };
  const written = (event: yaml.ScalarEvent): string =>
    `${event.tagStart < 0 ? '' : `${source.slice(event.tagStart, event.tagEnd)} `}${source.slice(event.valueStart, event.valueEnd)}`;
  const anchorOf = (event: { anchorStart: number; anchorEnd: number }): string | undefined =>
    event.anchorStart < 0 ? undefined : source.slice(event.anchorStart, event.anchorEnd);

  for (const event of events) {
    switch (event.type) {
      case yaml.EVENT_ID.DOCUMENT:
        directives = event.directives;
        break;
      case yaml.EVENT_ID.MAPPING:
      case yaml.EVENT_ID.SEQUENCE: {
        const { path, isKey } = slot();
        if (isKey) {
          return [...problems, { path, message: 'has a map or list as a key: a mesh config\'s keys are text' }];
        }
        if (++values > MAX_EXPANDED_VALUES) {
          return limitAt(event.start, tooManyValues());
        }
        const anchor = anchorOf(event);
        if (anchor !== undefined) {
          anchors.set(anchor, { depth: 0 });
        }
        open.push({ isMapping: event.type === yaml.EVENT_ID.MAPPING, path, anchor, values: 1, depth: 1, children: 0, key: '' });
        break;
      }
      case yaml.EVENT_ID.SCALAR: {
        const { path, isKey } = slot();
        if (++values > MAX_EXPANDED_VALUES) {
          return limitAt(event.valueStart, tooManyValues());
        }
        const problem = isKey ? keyProblem(event) : valueProblem(event, path);
        if (problem !== undefined) {
          problems.push(problem);
        }
        const anchor = anchorOf(event);
        if (anchor !== undefined) {
          anchors.set(anchor, { values: 1, depth: 0 });
        }
        addToParent({ values: 1, depth: 0 });
        break;
      }
      case yaml.EVENT_ID.ALIAS: {
        const { path, isKey } = slot();
        const name = source.slice(event.anchorStart, event.anchorEnd);
        const aliasStart = event.anchorStart - 1;
        if (++aliases > MAX_ALIASES) {
          return limitAt(aliasStart, `has more than ${MAX_ALIASES} aliases (*name), more than a mesh config may`);
        }
        // An unknown anchor is the constructor's to report ("unidentified alias").
        const target = anchors.get(name) ?? { values: 1, depth: 0 };
        if (target.values === undefined) {
          return limitAt(aliasStart, `the alias *${name} is inside the node &${name} it repeats, which makes the document endless`);
        }
        lastAlias = name;
        values += target.values;
        if (values > MAX_EXPANDED_VALUES) {
          return limitAt(aliasStart, tooManyValues());
        }
        if (open.length + target.depth > MAX_NESTING_DEPTH) {
          return limitAt(aliasStart, tooDeep());
        }
        if (isKey) {
          open[open.length - 1].key = `*${name}`;
          problems.push({ path: joinPath(path, `*${name}`), message: `the alias *${name} as a key: write the key itself` });
        }
        addToParent({ values: target.values, depth: target.depth });
        break;
      }
      case yaml.EVENT_ID.POP: {
        const closed = open.pop();
        if (closed !== undefined) {
          if (closed.anchor !== undefined) {
            anchors.set(closed.anchor, { values: closed.values, depth: closed.depth });
          }
          addToParent(closed);
        }
        break;
      }
    }
  }
  return problems;

  /** A key that YAML reads as something other than the text written: `0100` (100), `true`, `~`. */
  function keyProblem(event: yaml.ScalarEvent): ConfigProblem | undefined {
    const parent = open[open.length - 1];
    const key = scalarValue(event);
    if (typeof key === 'string') {
      parent.key = key;
      return undefined;
    }
    const text = written(event);
    parent.key = text;
    const readAs = key === null || typeof key !== 'object' ? String(key) : describeKind(key);
    return text === ''
      ? { path: parent.path, message: 'has an empty key, which YAML reads as null: write the key' }
      : { path: joinPath(parent.path, text), message: `key ${text} is read by YAML as ${readAs}, not as the text '${yaml.getScalarValue(source, event)}': write the key in quotes` };
  }

  /** A number YAML reads as something other than what is written, or that no mesh config takes. */
  function valueProblem(event: yaml.ScalarEvent, path: string): ConfigProblem | undefined {
    if (event.tagStart < 0 && event.style !== yaml.SCALAR_STYLE.PLAIN) {
      return undefined;
    }
    const value = scalarValue(event);
    if (typeof value !== 'number') {
      return undefined;
    }
    const text = written(event);
    const asText = `'${yaml.getScalarValue(source, event)}' in quotes for the text`;
    if (!Number.isFinite(value)) {
      return { path, message: `${text} is not a number a mesh config accepts: write a number, or ${asText}` };
    }
    if (Number.isInteger(value) && !Number.isSafeInteger(value) && /^[-+]?[0-9]+$/.test(text)) {
      return { path, message: `${text} is beyond the whole numbers YAML reads exactly (up to ${Number.MAX_SAFE_INTEGER}): write ${asText}` };
    }
    if (/^[-+]?0[0-9]+$/.test(text)) {
      return { path, message: `${text} has a leading zero, which YAML 1.2 drops (${value}) and YAML 1.1 reads as octal: write ${value}, or ${asText}` };
    }
    return undefined;
  }
}

/** What the default schema makes of a plain scalar: the first implicit tag that resolves it, else the text. */
function resolvePlainScalar(text: string): unknown {
  for (const tag of IMPLICIT_SCALAR_TAGS) {
    if (tag.implicitFirstChars === null || tag.implicitFirstChars.includes(text.charAt(0))) {
      const value = tag.resolve(text, false, tag.tagName);
      if (value !== yaml.NOT_RESOLVED) {
        return value;
      }
    }
  }
  return text;
}
