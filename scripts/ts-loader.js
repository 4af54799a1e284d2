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
// Each entry carries its length and sha256 and counts as missing when it fails them, V8 code
// caches too (V8 does not checksum a code cache it is given outside debug builds): see
// lib/core/cache-entry.js. Hashing the ~6 MB a synth reads costs about 5 ms.
'use strict';
const crypto = require('crypto');
const fs = require('fs');
const path = require('path');
const vm = require('vm');
const Module = require('module');
const SUCRASE_VERSION = require('sucrase/package.json').version;
const { CACHE_ENTRY_FORMAT, readCacheEntry, writeCacheEntry } = require('../lib/core/cache-entry.js');

// Sucrase keeps every statement on its source line, so stack traces point at the right line of
// the .ts file without a source map (building one for a 2 MB import costs as much as transpiling).
const OPTIONS = { transforms: ['imports', 'typescript'] };
const KEY_PREFIX = `${CACHE_ENTRY_FORMAT}\0${SUCRASE_VERSION}\0${JSON.stringify(OPTIONS)}\0`;

const setting = process.env.MESH_TRANSPILE_CACHE;
const cacheDir = setting === 'off'
  ? undefined
  : path.resolve(setting || path.join(__dirname, '..', 'node_modules', '.cache', 'cdk8s-istio-mesh'));
let cacheWritable = cacheDir !== undefined;

// Loaded on the first cache miss only: a synth whose files are all cached never needs it.
function transform(source, filename) {
  return require('sucrase').transform(source, { ...OPTIONS, filePath: filename }).code;
}

function writeEntry(file, content) {
  if (!cacheWritable) {
    return;
  }
  try {
    writeCacheEntry(file, content);
  } catch {
    cacheWritable = false;
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
  const cachedData = readCacheEntry(codeCacheFile);
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
  let code = readCacheEntry(entry)?.toString('utf8');
  if (code === undefined) {
    code = transform(source, filename);
    writeEntry(entry, code);
  }
  runWithCodeCache(module, code, filename, path.join(cacheDir, `${key}.${process.version}-${process.arch}.v8`));
};
