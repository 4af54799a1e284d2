// Lets `require` load TypeScript without type-checking it: sucrase strips the types, and the
// result is kept on disk by a hash of the source, so the generated imports (megabytes of
// TypeScript that take seconds to transpile) are transpiled once per change, not on every synth.
// Types are checked by `npm run build` and `npm test`.
//
// The cache lives in node_modules/.cache/cdk8s-istio-mesh (MESH_TRANSPILE_CACHE names another
// folder, or `off` disables it). An entry is found only for the exact source, path and sucrase
// version it was made from, and is written to a temporary file and renamed into place, so
// concurrent synths never read half an entry. When the folder cannot be written, everything is
// transpiled in memory as before.
'use strict';
const crypto = require('crypto');
const fs = require('fs');
const path = require('path');
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

function transpile(source, filename) {
  if (cacheDir === undefined) {
    return transform(source, filename);
  }
  const key = crypto.createHash('sha256').update(KEY_PREFIX).update(filename).update('\0').update(source).digest('hex');
  const entry = path.join(cacheDir, `${key}.js`);
  try {
    return fs.readFileSync(entry, 'utf8');
  } catch {
    // Not cached yet.
  }
  const code = transform(source, filename);
  if (cacheWritable) {
    const partial = `${entry}.${process.pid}.tmp`;
    try {
      fs.mkdirSync(cacheDir, { recursive: true });
      fs.writeFileSync(partial, code);
      fs.renameSync(partial, entry);
    } catch {
      cacheWritable = false;
      fs.rmSync(partial, { force: true });
    }
  }
  return code;
}

Module._extensions['.ts'] = function loadTypeScript(module, filename) {
  module._compile(transpile(fs.readFileSync(filename, 'utf8'), filename), filename);
};
