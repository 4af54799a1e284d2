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
const KEY_PREFIX = `${SUCRASE_VERSION}\0${JSON.stringify(OPTIONS)}\0`;

const setting = process.env.MESH_TRANSPILE_CACHE;
const cacheDir = setting === 'off'
  ? undefined
  : path.resolve(setting || path.join(__dirname, '..', 'node_modules', '.cache', 'cdk8s-istio-mesh'));
let cacheWritable = cacheDir !== undefined;

// Loaded on the first cache miss only: a synth whose files are all cached never needs it.
function transform(source, filename) {
  return require('sucrase').transform(source, { ...OPTIONS, filePath: filename }).code;
}

function readEntry(file, encoding) {
  try {
    return fs.readFileSync(file, encoding);
  } catch {
    return undefined;
  }
}

function writeEntry(file, content) {
  if (!cacheWritable) {
    return;
  }
  const partial = `${file}.${process.pid}.tmp`;
  try {
    fs.mkdirSync(cacheDir, { recursive: true });
    fs.writeFileSync(partial, content);
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
  let code = readEntry(entry, 'utf8');
  if (code === undefined) {
    code = transform(source, filename);
    writeEntry(entry, code);
  }
  runWithCodeCache(module, code, filename, path.join(cacheDir, `${key}.${process.version}-${process.arch}.v8`));
};
