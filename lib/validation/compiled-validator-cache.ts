import { createHash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import Ajv, { AnySchema, ValidateFunction } from 'ajv';
import standaloneCode from 'ajv/dist/standalone';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const AJV_VERSION: string = require('ajv/package.json').version;

/**
 * Part of every key, so that entries of an older format are not even found. Entries are written
 * as scripts/ts-loader.js writes its own (this file is packaged, that one is not, so they cannot
 * share the code): `<FORMAT> <content length in bytes> <sha256 of the content, hex>\n`, then the
 * content, so that an empty, truncated or altered file is recognized before it is run.
 */
const FORMAT = 'cdk8s-istio-mesh cache 2';
const ENTRY_HEADER = new RegExp(`^${FORMAT} (\\d+) ([0-9a-f]{64})\n`);
// The header takes about 100 bytes: only those are decoded to find it.
const HEADER_MAX_BYTES = 128;

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
    const key = sha256(`${FORMAT}\0${AJV_VERSION}\0${setup}\0${JSON.stringify(schema)}`);
    const file = path.join(this.cacheDir, `${key}.js`);
    const cached = load(readEntry(file));
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
    const partial = `${file}.${process.pid}.tmp`;
    try {
      fs.mkdirSync(path.dirname(file), { recursive: true });
      const content = Buffer.from(code, 'utf8');
      fs.writeFileSync(partial, Buffer.concat([Buffer.from(`${FORMAT} ${content.length} ${sha256(content)}\n`), content]));
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

function sha256(content: string | Buffer): string {
  return createHash('sha256').update(content).digest('hex');
}

/** The content of the entry in `file`, or undefined when it is missing or fails its header's check. */
function readEntry(file: string): string | undefined {
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(file);
  } catch {
    return undefined;
  }
  const header = ENTRY_HEADER.exec(bytes.subarray(0, HEADER_MAX_BYTES).toString('latin1'));
  if (header === null) {
    return undefined;
  }
  const content = bytes.subarray(header[0].length);
  return content.length === Number(header[1]) && sha256(content) === header[2] ? content.toString('utf8') : undefined;
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
