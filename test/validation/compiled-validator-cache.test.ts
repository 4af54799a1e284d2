import { createHash } from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import Ajv from 'ajv';
import { CompiledValidatorCache } from '../../lib';

const SCHEMA = {
  type: 'object',
  properties: { port: { type: 'integer', minimum: 1, maximum: 65535 }, name: { type: 'string', pattern: '^[a-z]+$' } },
  required: ['port'],
  additionalProperties: false,
};
const BAD = { port: 0, name: 'Web', extra: true };

function newAjv(): Ajv {
  return new Ajv({ allErrors: true, strict: false, code: { source: true } });
}

function tempDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'validator-cache-'));
}

// An entry: a header line with the content's length and sha256, then ajv's standalone code.
const ENTRY_HEADER = /^cdk8s-istio-mesh cache 2 (\d+) ([0-9a-f]{64})\n/;

function withoutHeader(entry: Buffer): Buffer {
  return entry.subarray(ENTRY_HEADER.exec(entry.toString('latin1'))?.[0].length ?? 0);
}

/** What a disk can hand back instead of the entry that was written. */
const CORRUPTIONS: Array<[string, (entry: Buffer) => Buffer]> = [
  ['an empty file', () => Buffer.alloc(0)],
  ['half of the entry', (entry) => entry.subarray(0, Math.floor(entry.length / 2))],
  ['one byte flipped', (entry) => {
    const flipped = Buffer.from(entry);
    flipped[Math.floor(flipped.length / 2)] ^= 0x01;
    return flipped;
  }],
  ['garbage', (entry) => Buffer.alloc(entry.length, 'not a cache entry\0\n')],
  ['the header of another content', (entry) => Buffer.concat([entry.subarray(0, entry.indexOf('\n') + 1), Buffer.from('module.exports = 1;')])],
  // What the previous version wrote under the same name: the bare code.
  ['an old-format entry', withoutHeader],
  // It passes its checksum, but runs to no validator: compiled again all the same.
  ['checksummed code that is no validator', () => {
    const code = Buffer.from('module.exports = { notAValidator: true };');
    return Buffer.concat([Buffer.from(`cdk8s-istio-mesh cache 2 ${code.length} ${createHash('sha256').update(code).digest('hex')}\n`), code]);
  }],
];

describe('CompiledValidatorCache', () => {
  test('a second process loads the validator from disk, with the same verdicts and errors', () => {
    // GIVEN
    const dir = tempDir();
    const first = new CompiledValidatorCache(dir).compile(newAjv(), 'test', SCHEMA);
    const ajv = newAjv();
    const compile = jest.spyOn(ajv, 'compile');
    // WHEN
    const second = new CompiledValidatorCache(dir).compile(ajv, 'test', SCHEMA);
    // THEN
    expect(compile).not.toHaveBeenCalled();
    expect(fs.readdirSync(dir)).toHaveLength(1);
    expect(second({ port: 8080, name: 'web' })).toBe(true);
    expect(first(BAD)).toBe(false);
    expect(second(BAD)).toBe(false);
    expect(second.errors).toEqual(first.errors);
    expect(second.errors?.map((e) => e.keyword).sort()).toEqual(['additionalProperties', 'minimum', 'pattern']);
  });

  test('another schema or another ajv setup is compiled afresh', () => {
    // GIVEN
    const dir = tempDir();
    const cache = new CompiledValidatorCache(dir);
    cache.compile(newAjv(), 'test', SCHEMA);
    // WHEN
    const widened = cache.compile(newAjv(), 'test', { ...SCHEMA, additionalProperties: true });
    cache.compile(newAjv(), 'other setup', SCHEMA);
    // THEN
    expect(widened({ port: 1, extra: true })).toBe(true);
    expect(fs.readdirSync(dir)).toHaveLength(3);
  });

  test('an entry is its code after a header with the code\'s length and sha256', () => {
    // GIVEN
    const dir = tempDir();
    // WHEN
    new CompiledValidatorCache(dir).compile(newAjv(), 'test', SCHEMA);
    // THEN
    const entry = fs.readFileSync(path.join(dir, fs.readdirSync(dir)[0]));
    const [, length, sha256] = ENTRY_HEADER.exec(entry.toString('latin1')) ?? [];
    const code = withoutHeader(entry);
    expect({ length: Number(length), sha256 }).toEqual({ length: code.length, sha256: createHash('sha256').update(code).digest('hex') });
    expect(code.toString('utf8')).toContain('module.exports');
  });

  test.each(CORRUPTIONS)('an entry replaced by %s is compiled again and rewritten', (_corruption, corrupt) => {
    // GIVEN
    const dir = tempDir();
    const first = new CompiledValidatorCache(dir).compile(newAjv(), 'test', SCHEMA);
    first(BAD);
    const [name] = fs.readdirSync(dir);
    const written = fs.readFileSync(path.join(dir, name));
    fs.writeFileSync(path.join(dir, name), corrupt(written));
    const ajv = newAjv();
    const compile = jest.spyOn(ajv, 'compile');
    // WHEN
    const validate = new CompiledValidatorCache(dir).compile(ajv, 'test', SCHEMA);
    // THEN
    expect(compile).toHaveBeenCalledTimes(1);
    expect(validate({ port: 8080, name: 'web' })).toBe(true);
    expect(validate(BAD)).toBe(false);
    expect(validate.errors).toEqual(first.errors);
    expect(fs.readdirSync(dir)).toEqual([name]);
    expect(fs.readFileSync(path.join(dir, name))).toEqual(written);
  });

  test('compiles in memory when the folder cannot be written', () => {
    // GIVEN
    const file = path.join(tempDir(), 'not-a-folder');
    fs.writeFileSync(file, '');
    // WHEN
    const validate = new CompiledValidatorCache(path.join(file, 'cache')).compile(newAjv(), 'test', SCHEMA);
    // THEN
    expect(validate({ port: 443 })).toBe(true);
    expect(validate({ port: 'https' })).toBe(false);
  });

  test('without a folder, nothing is written', () => {
    // GIVEN
    const ajv = newAjv();
    const compile = jest.spyOn(ajv, 'compile');
    // WHEN
    const validate = new CompiledValidatorCache(undefined).compile(ajv, 'test', SCHEMA);
    // THEN
    expect(compile).toHaveBeenCalledTimes(1);
    expect(validate({ port: 70000 })).toBe(false);
  });
});
