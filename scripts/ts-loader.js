// Lets `require` load TypeScript without type-checking it: sucrase strips the types, and the
// result is kept on disk by a hash of the source, so the generated imports (megabytes of
// TypeScript that take seconds to transpile) are transpiled once per change, not on every synth.
// Beside each entry goes V8's code cache of the module, which spares parsing it again.
// Types are checked by `npm run build` and `npm test`.
//
// The cache lives in node_modules/.cache/cdk8s-istio-mesh (MESH_TRANSPILE_CACHE names another
// folder, or `off` disables it). An entry is found only for the exact source, path and sucrase
// version it was made from (V8 itself rejects a code cache of another node version), and is
// written to a temporary file and renamed into place, so concurrent synths never read half an
// entry. When the folder cannot be written, everything is transpiled in memory as before.
//
// A disk still hands back what a crash, a full disk or another tool left behind: an empty file,
// half of one, a flipped byte. So each entry starts with a line giving its content's length and
// sha256 (ENTRY_HEADER), checked before the content is used; an entry that fails the check is made
// again and rewritten, so a broken cache costs time, never a different result. V8 does not
// checksum a code cache it is given outside debug builds, so the .v8 files get the same check.
// Hashing the ~6 MB a synth reads costs about 5 ms. lib/validation/compiled-validator-cache.ts
// writes its entries in the same format; it cannot share this file, which is not packaged.
'use strict';
const crypto = require('crypto');
const fs = require('fs');
const path = require('path');
const vm = require('vm');
const Module = require('module');
const SUCRASE_VERSION = require('sucrase/package.json').version;

// Sucrase keeps every statement on its source line, so stack traces point at the right line of
// the .ts file without a source map (building one for a 2 MB import costs as much as transpiling).
const OPTIONS = { transforms: ['imports', 'typescript'] };
// Part of every key, so that entries of an older format are not even found.
const FORMAT = 'cdk8s-istio-mesh cache 2';
const KEY_PREFIX = `${FORMAT}\0${SUCRASE_VERSION}\0${JSON.stringify(OPTIONS)}\0`;
// `<FORMAT> <content length in bytes> <sha256 of the content, hex>\n`, then the content.
const ENTRY_HEADER = new RegExp(`^${FORMAT} (\\d+) ([0-9a-f]{64})\n`);
// The header takes about 100 bytes: only those are decoded to find it.
const HEADER_MAX_BYTES = 128;

const setting = process.env.MESH_TRANSPILE_CACHE;
const cacheDir = setting === 'off'
  ? undefined
  : path.resolve(setting || path.join(__dirname, '..', 'node_modules', '.cache', 'cdk8s-istio-mesh'));
let cacheWritable = cacheDir !== undefined;

// Loaded on the first cache miss only: a synth whose files are all cached never needs it.
function transform(source, filename) {
  return require('sucrase').transform(source, { ...OPTIONS, filePath: filename }).code;
}

function sha256(content) {
  return crypto.createHash('sha256').update(content).digest('hex');
}

/** The content of the entry in `file`, or undefined when it is missing or fails its header's check. */
function readEntry(file) {
  let bytes;
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
  return content.length === Number(header[1]) && sha256(content) === header[2] ? content : undefined;
}

function writeEntry(file, content) {
  if (!cacheWritable) {
    return;
  }
  const partial = `${file}.${process.pid}.tmp`;
  try {
    fs.mkdirSync(cacheDir, { recursive: true });
    const bytes = Buffer.from(content);
    fs.writeFileSync(partial, Buffer.concat([Buffer.from(`${FORMAT} ${bytes.length} ${sha256(bytes)}\n`), bytes]));
    fs.renameSync(partial, file);
  } catch {
    cacheWritable = false;
    try {
      fs.rmSync(partial, { force: true });
    } catch {
      // Nothing was written: the folder itself may be what is missing.
    }
  }
}

/** The `require` a module gets, as node makes it. */
function makeRequire(module) {
  const require = (id) => module.require(id);
  require.resolve = (request, options) => Module._resolveFilename(request, module, false, options);
  require.resolve.paths = (request) => Module._resolveLookupPaths(request, module);
  require.main = process.mainModule;
  require.extensions = Module._extensions;
  require.cache = Module._cache;
  return require;
}

/** Runs the module's code as node would, with V8's code cache from `codeCacheFile` when valid. */
function runWithCodeCache(module, code, filename, codeCacheFile) {
  const cachedData = readEntry(codeCacheFile);
  const script = new vm.Script(Module.wrap(code), { filename, cachedData });
  const run = script.runInThisContext({ displayErrors: true });
  run.call(module.exports, module.exports, makeRequire(module), module, filename, path.dirname(filename));
  // After the module ran, the cache also holds the functions its loading compiled.
  if (cachedData === undefined || script.cachedDataRejected) {
    writeEntry(codeCacheFile, script.createCachedData());
  }
}

Module._extensions['.ts'] = function loadTypeScript(module, filename) {
  const source = fs.readFileSync(filename, 'utf8');
  if (cacheDir === undefined) {
    module._compile(transform(source, filename), filename);
    return;
  }
  const key = crypto.createHash('sha256').update(KEY_PREFIX).update(filename).update('\0').update(source).digest('hex');
  const entry = path.join(cacheDir, `${key}.js`);
  let code = readEntry(entry)?.toString('utf8');
  if (code === undefined) {
    code = transform(source, filename);
    writeEntry(entry, code);
  }
  runWithCodeCache(module, code, filename, path.join(cacheDir, `${key}.${process.version}-${process.arch}.v8`));
};
