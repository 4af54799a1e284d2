import { createHash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { CACHE_ENTRY_FORMAT, readCacheEntry, writeCacheEntry } from '../../core/cache-entry';
import type { CompiledRule, RuleEvaluator, RuleFinding } from './rule-evaluator';
import { SchemaNode } from './schema-defaults';
import { CHECKED_FORMATS, formatProblem } from './schema-formats';

/** A rule or format an object breaks, with the dotted path of the field. */
export interface StoredObjectFinding {
  /** Dotted path of the field, e.g. `spec.values.global.istioNamespace`; `(root)` for the object. */
  readonly path: string;
  readonly message: string;
  /** The CEL rule broken, when the finding comes from one. */
  readonly celRule?: string;
  /** The rule's reason (`FieldValueInvalid`, `FieldValueForbidden`, ...), when from a rule. */
  readonly reason?: string;
}

/** A node of the object with rules to evaluate. */
interface RuleSite {
  readonly schema: SchemaNode;
  readonly value: unknown;
  readonly path: string;
  readonly isResource: boolean;
}

// Keeping verdicts of objects not seen lately would only make every synth read more.
const MAX_KEPT_VERDICTS = 5000;

/**
 * Checks custom resources, after defaulting, against what the structural (ajv) check leaves out:
 * the CRD's CEL rules (`x-kubernetes-validations`) and the `format`s the API server enforces
 * (see lib/validation/cel/schema-formats.ts). Rules run as kube-apiserver runs them on create: `status` dropped,
 * unknown fields pruned, each rule evaluated at the node that declares it with `self` bound there
 * (array items and map values included), transition rules (`oldSelf`) skipped, evaluation errors
 * and rules calling functions the evaluator lacks reported, never passed. Cost limits are not
 * enforced: the API server enforces them when it accepts the CRD, and per request only against
 * huge objects.
 *
 * @bufbuild/cel is loaded only when a rule is evaluated. Parsed rules are kept in the validator
 * cache folder (one entry per rule text), and so are the verdicts of rule nodes, keyed by the
 * node's schema, its value and a fingerprint of this evaluator (its source and @bufbuild/cel's
 * version): an unchanged object is judged from the cache without loading the evaluator.
 */
export class CelRuleValidator {
  private evaluator: RuleEvaluator | undefined;
  private readonly compiledRules = new Map<string, CompiledRule>();
  private readonly schemaHashes = new WeakMap<SchemaNode, string>();
  private verdicts: Map<string, RuleFinding[]> | undefined;
  private readonly usedVerdicts = new Set<string>();
  private verdictsChanged = false;
  private writable: boolean;
  private fingerprintValue: string | undefined;

  /** @param cacheDir folder of the cache entries; undefined keeps everything in memory */
  constructor(private readonly cacheDir: string | undefined) {
    this.writable = cacheDir !== undefined;
  }

  /**
   * Findings about a custom resource (or a fragment of one) after the schema's defaults are applied (`withDefaults`).
   *
   * @param schema the openAPIV3Schema of its kind, or the sub-schema of a fragment
   * @param isResource whether `value` is a whole object (root metadata, `status` dropped)
   */
  public validate(schema: Readonly<Record<string, any>>, value: unknown, isResource: boolean): StoredObjectFinding[] {
    const findings: StoredObjectFinding[] = [];
    const sites: RuleSite[] = [];
    collect(schema, value, '', isResource, sites, findings);
    for (const site of sites) {
      for (const finding of this.siteFindings(site)) {
        const fieldPath = [site.path, finding.fieldPath].filter((part) => part !== '').join('.');
        findings.push({ path: fieldPath || '(root)', message: finding.message, celRule: finding.rule, reason: finding.reason });
      }
    }
    return findings;
  }

  /** Writes the verdicts of this process to the cache, when there are new ones. */
  public flush(): void {
    if (!this.verdictsChanged || !this.writable || this.verdicts === undefined) {
      return;
    }
    const used = [...this.usedVerdicts];
    const others = [...this.verdicts.keys()].filter((key) => !this.usedVerdicts.has(key));
    const kept = Object.fromEntries([...used, ...others].slice(0, MAX_KEPT_VERDICTS).map((key) => [key, this.verdicts!.get(key)]));
    this.write(this.verdictsFile(), JSON.stringify(kept));
    this.verdictsChanged = false;
  }

  private siteFindings(site: RuleSite): RuleFinding[] {
    const key = createHash('sha256').update(`${this.schemaHash(site.schema)}\0${site.isResource}\0${JSON.stringify(site.value)}`).digest('hex');
    const verdicts = this.loadVerdicts();
    let findings = verdicts.get(key);
    if (findings === undefined) {
      findings = this.ruleEvaluator().evaluate(site.schema, site.value, site.isResource);
      verdicts.set(key, findings);
      this.verdictsChanged = true;
    }
    this.usedVerdicts.add(key);
    return findings;
  }

  private schemaHash(schema: SchemaNode): string {
    let hash = this.schemaHashes.get(schema);
    if (hash === undefined) {
      hash = createHash('sha256').update(JSON.stringify(schema)).digest('hex');
      this.schemaHashes.set(schema, hash);
    }
    return hash;
  }

  private ruleEvaluator(): RuleEvaluator {
    if (!this.evaluator) {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const { RuleEvaluator: Evaluator } = require('./rule-evaluator') as typeof import('./rule-evaluator');
      this.evaluator = new Evaluator((source) => this.compiledRule(source));
    }
    return this.evaluator;
  }

  private compiledRule(source: string): CompiledRule {
    let compiled = this.compiledRules.get(source);
    if (compiled === undefined) {
      const file = this.cacheDir === undefined ? undefined
        : path.join(this.cacheDir, `cel-rule-${createHash('sha256').update(`${this.fingerprint()}\0${source}`).digest('hex')}.json`);
      compiled = file === undefined ? undefined : readJson(file, reviveAstValue) as CompiledRule | undefined;
      if (compiled === undefined) {
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        compiled = (require('./rule-evaluator') as typeof import('./rule-evaluator')).compileRule(source);
        if (file !== undefined) {
          this.write(file, JSON.stringify(compiled, encodeAstValue));
        }
      }
      this.compiledRules.set(source, compiled);
    }
    return compiled;
  }

  private loadVerdicts(): Map<string, RuleFinding[]> {
    if (this.verdicts === undefined) {
      const stored = this.cacheDir === undefined ? undefined : readJson(this.verdictsFile()) as Record<string, RuleFinding[]> | undefined;
      this.verdicts = new Map(Object.entries(stored ?? {}));
    }
    return this.verdicts;
  }

  private verdictsFile(): string {
    return path.join(this.cacheDir!, `cel-verdicts-${this.fingerprint()}.json`);
  }

  /**
   * Changes with anything that could change a verdict: the cache format, @bufbuild/cel's version
   * and the source of this folder (the evaluator, its functions, the conversion of values).
   */
  private fingerprint(): string {
    if (this.fingerprintValue === undefined) {
      const hash = createHash('sha256').update(`${CACHE_ENTRY_FORMAT}\0${celVersion()}`);
      const extension = path.extname(__filename);
      for (const file of fs.readdirSync(__dirname).filter((name) => name.endsWith(extension)).sort()) {
        hash.update(`\0${file}\0`).update(fs.readFileSync(path.join(__dirname, file)));
      }
      this.fingerprintValue = hash.digest('hex').slice(0, 32);
    }
    return this.fingerprintValue;
  }

  private write(file: string, content: string): void {
    if (!this.writable) {
      return;
    }
    try {
      writeCacheEntry(file, content);
    } catch {
      this.writable = false;
    }
  }
}

/** @bufbuild/cel exports no package.json: it is found from the module's entry point (dist/cjs). */
function celVersion(): string {
  const packageJson = path.join(path.dirname(require.resolve('@bufbuild/cel')), '..', '..', 'package.json');
  return (JSON.parse(fs.readFileSync(packageJson, 'utf8')) as { version: string }).version;
}

function readJson(file: string, reviver?: (key: string, value: unknown) => unknown): unknown {
  const content = readCacheEntry(file);
  if (content === undefined) {
    return undefined;
  }
  try {
    return JSON.parse(content.toString('utf8'), reviver as Parameters<typeof JSON.parse>[1]);
  } catch {
    return undefined;
  }
}

/** JSON keeps no bigints (ids, int literals) nor bytes (bytes literals) of a parsed rule: tagged. */
function encodeAstValue(_key: string, value: unknown): unknown {
  if (typeof value === 'bigint') {
    return { $bigint: value.toString() };
  }
  return value instanceof Uint8Array ? { $bytes: Buffer.from(value).toString('base64') } : value;
}

function reviveAstValue(_key: string, value: unknown): unknown {
  if (value === null || typeof value !== 'object') {
    return value;
  }
  const tagged = value as { $bigint?: unknown; $bytes?: unknown };
  if (typeof tagged.$bigint === 'string') {
    return BigInt(tagged.$bigint);
  }
  return typeof tagged.$bytes === 'string' ? Uint8Array.from(Buffer.from(tagged.$bytes, 'base64')) : value;
}

/**
 * Walks a value with its schema, as the API server's pruning does: only declared properties
 * (`status` and `metadata` of a resource aside), array items, map values. Records format problems
 * and the nodes that declare rules.
 */
function collect(schema: SchemaNode, value: unknown, at: string, isResource: boolean, sites: RuleSite[], findings: StoredObjectFinding[]): void {
  if (value === undefined || value === null || !hasChecks(schema)) {
    return;
  }
  const problem = schema.format !== undefined ? formatProblem(schema.format, value) : undefined;
  if (problem !== undefined) {
    findings.push({ path: at || '(root)', message: problem });
  }
  const embedded = isResource || schema['x-kubernetes-embedded-resource'] === true;
  if (Array.isArray(schema['x-kubernetes-validations']) && schema['x-kubernetes-validations'].length > 0) {
    sites.push({ schema, value: isResource ? withoutStatus(value) : value, path: at, isResource: embedded });
  }
  const join = (name: string) => (at ? `${at}.${name}` : name);
  if (Array.isArray(value)) {
    if (schema.items) {
      value.forEach((item, index) => collect(schema.items, item, `${at}[${index}]`, false, sites, findings));
    }
  } else if (typeof value === 'object') {
    const object = value as Record<string, unknown>;
    if (schema.properties) {
      for (const [name, property] of Object.entries(schema.properties as Record<string, SchemaNode>)) {
        if (!(embedded && (name === 'metadata' || (isResource && name === 'status')))) {
          collect(property, object[name], join(name), false, sites, findings);
        }
      }
    } else if (typeof schema.additionalProperties === 'object') {
      for (const [key, child] of Object.entries(object)) {
        collect(schema.additionalProperties, child, join(key), false, sites, findings);
      }
    }
  }
}

// Most of a schema (most strings, for one) has neither rules nor checked formats: not walked.
const subtreeHasChecks = new WeakMap<SchemaNode, boolean>();

/** Whether this node or one below it declares rules or a format that {@link formatProblem} checks. */
function hasChecks(schema: SchemaNode): boolean {
  let found = subtreeHasChecks.get(schema);
  if (found === undefined) {
    const children = [
      ...Object.values((schema.properties ?? {}) as Record<string, SchemaNode>),
      ...(schema.items ? [schema.items as SchemaNode] : []),
      ...(typeof schema.additionalProperties === 'object' ? [schema.additionalProperties as SchemaNode] : []),
    ];
    found = Array.isArray(schema['x-kubernetes-validations']) || CHECKED_FORMATS.has(schema.format) || children.some(hasChecks);
    subtreeHasChecks.set(schema, found);
  }
  return found;
}

/** The API server drops `status` from a create: rules on the root do not see it. */
function withoutStatus(value: unknown): unknown {
  if (value === null || typeof value !== 'object' || Array.isArray(value) || !('status' in value)) {
    return value;
  }
  const { status: _status, ...rest } = value as Record<string, unknown>;
  return rest;
}
