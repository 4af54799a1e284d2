import { createHash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import Ajv, { AnySchema, ValidateFunction } from 'ajv';
import standaloneCode from 'ajv/dist/standalone';
import { CACHE_ENTRY_FORMAT, readCacheEntry, writeCacheEntry } from '../core/cache-entry';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const AJV_VERSION: string = require('ajv/package.json').version;

/**
 * Where validators are kept unless told otherwise: the project's `node_modules/.cache`, the
 * folder build tools share for such caches. None when the working folder has no node_modules.
 */
function defaultCacheDir(env: Readonly<Record<string, string | undefined>>): string | undefined {
  const setting = env.MESH_VALIDATOR_CACHE;
  if (setting === 'off') {
    return undefined;
  }
  if (setting) {
    return path.resolve(setting);
  }
  const nodeModules = path.join(process.cwd(), 'node_modules');
  return fs.existsSync(nodeModules) ? path.join(nodeModules, '.cache', 'cdk8s-istio-mesh', 'validators') : undefined;
}

/**
 * Compiles JSON Schemas with ajv and keeps the generated code on disk, so that a schema is
 * compiled once, not in every synth: ajv's code generation of a few schemas takes longer than
 * the rest of a small synth. An entry is found only for the same ajv version, the same ajv setup
 * (`setup`, named by the caller) and the same schema, and is renamed into place whole, so
 * concurrent synths never read half of one. Without a writable folder it compiles in memory.
 * An entry that fails its length and checksum, or does not load as a validator, is compiled
 * again and rewritten: a broken cache costs time, never a different verdict.
 *
 * The folder is `node_modules/.cache/cdk8s-istio-mesh/validators` of the working folder;
 * MESH_VALIDATOR_CACHE names another one, or `off` disables the cache.
 */
export class CompiledValidatorCache {
  /** The process-wide cache in the default folder. */
  public static shared(): CompiledValidatorCache {
    if (!CompiledValidatorCache.instance) {
      CompiledValidatorCache.instance = new CompiledValidatorCache(defaultCacheDir(process.env));
    }
    return CompiledValidatorCache.instance;
  }

  private static instance: CompiledValidatorCache | undefined;

  private writable: boolean;

  /** @param cacheDir folder of the entries; undefined compiles in memory only */
  constructor(public readonly cacheDir: string | undefined) {
    this.writable = cacheDir !== undefined;
  }

  /**
   * The validator of `schema`, from disk when it was compiled before.
   *
   * @param ajv compiles on a miss; it must be made with `code: { source: true }`
   * @param setup names everything about `ajv` that changes the generated code (options, keywords)
   */
  public compile(ajv: Ajv, setup: string, schema: AnySchema): ValidateFunction {
    if (this.cacheDir === undefined) {
      return ajv.compile(schema);
    }
    const key = createHash('sha256').update(`${CACHE_ENTRY_FORMAT}\0${AJV_VERSION}\0${setup}\0${JSON.stringify(schema)}`).digest('hex');
    const file = path.join(this.cacheDir, `${key}.js`);
    const cached = load(readCacheEntry(file)?.toString('utf8'));
    if (cached !== undefined) {
      return cached;
    }
    const validate = ajv.compile(schema);
    this.write(file, standaloneCode(ajv, validate));
    return validate;
  }

  private write(file: string, code: string): void {
    if (!this.writable) {
      return;
    }
    try {
      writeCacheEntry(file, code);
    } catch {
      this.writable = false;
    }
  }
}

/**
 * Runs ajv's standalone module code; its `require`s are ajv's runtime helpers, found from here.
 * Undefined when there is no code or it makes no validator (the checksum proves the entry is
 * what was written, not that what was written was right): the caller then compiles again.
 */
function load(code: string | undefined): ValidateFunction | undefined {
  if (code === undefined) {
    return undefined;
  }
  const module = { exports: {} as unknown };
  try {
    // eslint-disable-next-line @typescript-eslint/no-implied-eval
    new Function('require', 'module', 'exports', code)(require, module, module.exports);
  } catch {
    return undefined;
  }
  return typeof module.exports === 'function' ? module.exports as ValidateFunction : undefined;
}
