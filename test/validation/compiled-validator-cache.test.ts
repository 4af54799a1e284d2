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
