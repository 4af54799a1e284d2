// Entries of the on-disk caches (scripts/ts-loader.js: transpiled code and V8 code caches;
// lib/validation/compiled-validator-cache.ts: compiled validators). Plain JavaScript, so that the
// loader can use it before it can load TypeScript; scripts/build.js copies it into the package.
//
// A disk still hands back what a crash, a full disk or another tool left behind: an empty file,
// half of one, a flipped byte. So each entry starts with a line giving its content's length and
// sha256, `<CACHE_ENTRY_FORMAT> <length in bytes> <sha256, hex>\n`, checked before the content is
// used: an entry that fails the check counts as missing, so a broken cache costs time, never a
// different result. Entries are written to a temporary file and renamed into place, so a
// concurrent reader never sees half of one.
'use strict';
const crypto = require('crypto');
const fs = require('fs');
const path = require('path');

/** Part of every cache key, so that entries of an older format are not even found. */
const CACHE_ENTRY_FORMAT = 'cdk8s-istio-mesh cache 2';
const ENTRY_HEADER = new RegExp(`^${CACHE_ENTRY_FORMAT} (\\d+) ([0-9a-f]{64})\n`);
// The header takes about 100 bytes: only those are decoded to find it.
const HEADER_MAX_BYTES = 128;

function sha256(content) {
  return crypto.createHash('sha256').update(content).digest('hex');
}

/** The content of the entry in `file`, or undefined when it is missing or fails its header's check. */
function readCacheEntry(file) {
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

/** Writes an entry whole or not at all; throws when the folder cannot be written. */
function writeCacheEntry(file, content) {
  const bytes = Buffer.from(content);
  const partial = `${file}.${process.pid}.tmp`;
  try {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(partial, Buffer.concat([Buffer.from(`${CACHE_ENTRY_FORMAT} ${bytes.length} ${sha256(bytes)}\n`), bytes]));
    fs.renameSync(partial, file);
  } catch (error) {
    try {
      fs.rmSync(partial, { force: true });
    } catch {
      // Nothing was written: the folder itself may be what is missing.
    }
    throw error;
  }
}

module.exports = { CACHE_ENTRY_FORMAT, readCacheEntry, writeCacheEntry };
