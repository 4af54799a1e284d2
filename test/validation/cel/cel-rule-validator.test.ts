import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { CelRuleValidator } from '../../../lib/validation/cel/cel-rule-validator';
import { withDefaults } from '../../../lib/validation/cel/schema-defaults';

const validator = new CelRuleValidator(undefined);

function check(schema: Record<string, unknown>, value: unknown) {
  return validator.validate(schema, withDefaults(schema, value), false);
}

const rule = (source: string, extra: Record<string, unknown> = {}) => ({ 'x-kubernetes-validations': [{ rule: source, ...extra }] });

describe('CelRuleValidator', () => {
  test('applies defaults before the rules, where the parent exists', () => {
    // GIVEN a rule that reads a field the object leaves to its default
    const schema = {
      type: 'object',
      properties: { mode: { type: 'string', default: 'STRICT' }, nested: { type: 'object', properties: { size: { type: 'integer', default: 3 } } } },
      ...rule("self.mode == 'STRICT' && (!has(self.nested) || self.nested.size == 3)"),
    };
    // THEN the default counts, in the parent that exists only
    expect(check(schema, {})).toEqual([]);
    expect(check(schema, { nested: {} })).toEqual([]);
    expect(check(schema, { mode: 'PERMISSIVE' })).toEqual([expect.objectContaining({ path: '(root)' })]);
    expect(withDefaults(schema, {})).toEqual({ mode: 'STRICT' });
  });

  test('binds int-or-string and preserved unknown fields with their JSON types', () => {
    // GIVEN
    const schema = {
      type: 'object',
      properties: {
        port: { 'x-kubernetes-int-or-string': true, ...rule("type(self) == int ? self > 0 : self.startsWith('http')") },
        free: { 'type': 'object', 'x-kubernetes-preserve-unknown-fields': true, ...rule('self.replicas == 2 && self.labels.app == "cart"') },
      },
    };
    // THEN
    expect(check(schema, { port: 8080, free: { replicas: 2, labels: { app: 'cart' } } })).toEqual([]);
    expect(check(schema, { port: 'http-metrics' })).toEqual([]);
    expect(check(schema, { port: 'metrics', free: { replicas: 3, labels: { app: 'cart' } } }).map((finding) => finding.path)).toEqual(['port', 'free']);
  });

  test('reports messageExpression, fieldPath and reason of the rule', () => {
    // GIVEN
    const schema = {
      type: 'object',
      properties: { spec: { type: 'object', properties: { replicas: { type: 'integer' } } } },
      ...rule('self.spec.replicas <= 5', {
        messageExpression: "'replicas must be at most 5, got ' + string(self.spec.replicas)",
        message: 'unused when the expression works',
        fieldPath: '.spec.replicas',
        reason: 'FieldValueForbidden',
      }),
    };
    // THEN
    expect(check(schema, { spec: { replicas: 7 } })).toEqual([{
      path: 'spec.replicas', message: 'replicas must be at most 5, got 7', celRule: 'self.spec.replicas <= 5', reason: 'FieldValueForbidden',
    }]);
  });

  test('an unsupported function, a syntax the evaluator lacks and an evaluation error are findings, never passes', () => {
    // GIVEN
    const schema = {
      type: 'object',
      properties: {
        memory: { type: 'string', ...rule("quantity(self).isLessThan(quantity('1Gi'))") },
        name: { type: 'string', ...rule('self.?first.orValue("") == ""') },
        missing: { type: 'object', properties: { a: { type: 'string' } }, ...rule("self.a == 'x'") },
      },
    };
    // WHEN
    const findings = check(schema, { memory: '512Mi', name: 'x', missing: {} });
    // THEN
    expect(findings.map((finding) => `${finding.path}: ${finding.message}`)).toEqual([
      'memory: rule not evaluated: function isLessThan, quantity unsupported',
      expect.stringMatching(/^name: rule not evaluated: syntax not supported/),
      expect.stringMatching(/^missing: rule evaluation failed: .*a/),
    ]);
  });

  test('a resource\'s rules see neither status nor metadata beyond name and generateName', () => {
    // GIVEN rules on the root of a CRD schema
    const schema = {
      type: 'object',
      properties: { metadata: { type: 'object' }, status: { type: 'object', properties: { phase: { type: 'string' } } } },
      'x-kubernetes-validations': [{ rule: '!has(self.status)' }, { rule: "self.metadata.name == 'default' && !has(self.metadata.labels)" }],
    };
    // THEN
    expect(validator.validate(schema, { metadata: { name: 'default', labels: { a: 'b' } }, status: { phase: 'Ready' } }, true)).toEqual([]);
  });

  test('checks the formats the API server enforces', () => {
    // GIVEN
    const schema = {
      type: 'object',
      properties: {
        count: { type: 'integer', format: 'int32' },
        since: { type: 'string', format: 'date-time' },
        ca: { type: 'string', format: 'byte' },
      },
    };
    // THEN
    expect(check(schema, { count: 2147483647, since: '2026-02-28T23:59:59.5+01:00', ca: 'aGVsbG8=' })).toEqual([]);
    expect(check(schema, { count: 2147483648, since: '2026-02-30T10:00:00Z', ca: 'not base64!' }).map((finding) => finding.path + ': ' + finding.message)).toEqual([
      'count: must be a 32-bit integer (format int32), got 2147483648',
      'since: must be an RFC 3339 date-time such as 2026-01-31T12:00:00Z (format date-time), got "2026-02-30T10:00:00Z"',
      'ca: must be base64-encoded data (format byte), got "not base64!"',
    ]);
  });

  test('parsed rules and verdicts are kept in the cache folder and give the same findings', () => {
    // GIVEN a cache folder
    const cacheDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cel-cache-'));
    const schema = { type: 'object', properties: { n: { type: 'integer', ...rule('self % 2 == 0', { message: 'must be even' }) } } };
    try {
      // WHEN one process judges and flushes, and the next judges the same values
      const first = new CelRuleValidator(cacheDir);
      const findings = first.validate(schema, { n: 3 }, false);
      first.flush();
      const files = fs.readdirSync(cacheDir);
      fs.rmSync(path.join(cacheDir, files.find((file) => file.startsWith('cel-verdicts-'))!));
      const fromParsedRules = new CelRuleValidator(cacheDir).validate(schema, { n: 3 }, false);
      // THEN
      expect(findings).toEqual([expect.objectContaining({ path: 'n', message: 'must be even' })]);
      expect(files.filter((file) => file.startsWith('cel-rule-'))).toHaveLength(1);
      expect(files.filter((file) => file.startsWith('cel-verdicts-'))).toHaveLength(1);
      expect(fromParsedRules).toEqual(findings);
    } finally {
      fs.rmSync(cacheDir, { recursive: true, force: true });
    }
  });

  test('a verdict from the cache equals a fresh one, and a corrupt cache entry costs time only', () => {
    // GIVEN verdicts written by an earlier process
    const cacheDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cel-cache-'));
    const schema = { type: 'object', properties: { n: { type: 'integer', ...rule('self < 10', { message: 'must be below 10' }) } } };
    try {
      const first = new CelRuleValidator(cacheDir);
      const fresh = [first.validate(schema, { n: 3 }, false), first.validate(schema, { n: 30 }, false)];
      first.flush();
      const cached = new CelRuleValidator(cacheDir);
      const fromCache = [cached.validate(schema, { n: 3 }, false), cached.validate(schema, { n: 30 }, false)];
      // WHEN every entry is damaged
      for (const file of fs.readdirSync(cacheDir)) {
        fs.writeFileSync(path.join(cacheDir, file), fs.readFileSync(path.join(cacheDir, file), 'utf8').replace('below', 'above'));
      }
      const afterDamage = new CelRuleValidator(cacheDir).validate(schema, { n: 30 }, false);
      // THEN
      expect(fresh[1]).toEqual([expect.objectContaining({ message: 'must be below 10' })]);
      expect(fromCache).toEqual(fresh);
      expect(afterDamage).toEqual(fresh[1]);
    } finally {
      fs.rmSync(cacheDir, { recursive: true, force: true });
    }
  });
});
