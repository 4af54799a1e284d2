import { createHash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import Ajv, { AnySchema, ValidateFunction } from 'ajv';
import standaloneCode from 'ajv/dist/standalone';

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
    const key = createHash('sha256').update(`${AJV_VERSION}\0${setup}\0${JSON.stringify(schema)}`).digest('hex');
    const file = path.join(this.cacheDir, `${key}.js`);
    let code: string | undefined;
    try {
      code = fs.readFileSync(file, 'utf8');
    } catch {
      // Not compiled yet.
    }
    if (code !== undefined) {
      return load(code);
    }
    const validate = ajv.compile(schema);
    this.write(file, standaloneCode(ajv, validate));
    return validate;
  }

  private write(file: string, code: string): void {
    if (!this.writable) {
      return;
    }
    const partial = `${file}.${process.pid}.tmp`;
    try {
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(partial, code);
      fs.renameSync(partial, file);
    } catch {
      this.writable = false;
      removeQuietly(partial);
    }
  }
}

/** Removes what a failed write may have left; the folder itself may be what is missing. */
function removeQuietly(file: string): void {
  try {
    fs.rmSync(file, { force: true });
  } catch {
    // Nothing was written.
  }
}

/** Runs ajv's standalone module code; its `require`s are ajv's runtime helpers, found from here. */
function load(code: string): ValidateFunction {
  const module = { exports: {} as unknown };
  // eslint-disable-next-line @typescript-eslint/no-implied-eval
  new Function('require', 'module', 'exports', code)(require, module, module.exports);
  return module.exports as ValidateFunction;
}
