import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Chart, Testing } from 'cdk8s';
import { CrdSchemaValidator, Manifest, validateManifests } from '../../lib';

/**
 * The PrometheusRule CRD carries one Go (RE2) pattern, `^(?i)(abort|warn)?$`, which JavaScript
 * cannot compile, so `CrdSchemaValidator.shared()` throws on that kind. Until lib/validation
 * translates Go patterns, tests that render a PrometheusRule validate against a copy of the
 * schemas in which each `(?i)` pattern is spelled out with character classes: the same language,
 * in JavaScript syntax. Every other part of the schema is checked as `synthValid` checks it.
 */
export function synthValidWithGoPatterns(chart: Chart): Manifest[] {
  const manifests = Testing.synth(chart) as Manifest[];
  expect(validateManifests(manifests, { crdValidator: translatedValidator() })).toEqual([]);
  return manifests;
}

let validator: CrdSchemaValidator | undefined;

function translatedValidator(): CrdSchemaValidator {
  if (!validator) {
    const sourceDir = path.join(__dirname, '..', '..', 'imports', 'crd-schemas');
    const targetDir = fs.mkdtempSync(path.join(os.tmpdir(), 'crd-schemas-'));
    for (const file of fs.readdirSync(sourceDir)) {
      const text = fs.readFileSync(path.join(sourceDir, file), 'utf8');
      const translated = text.includes('(?i)') ? JSON.stringify(translatePatterns(JSON.parse(text))) : text;
      fs.writeFileSync(path.join(targetDir, file), translated);
    }
    validator = new CrdSchemaValidator(targetDir);
  }
  return validator;
}

function translatePatterns(node: unknown): unknown {
  if (Array.isArray(node)) {
    return node.map(translatePatterns);
  }
  if (node === null || typeof node !== 'object') {
    return node;
  }
  return Object.fromEntries(Object.entries(node).map(([key, value]) =>
    [key, key === 'pattern' && typeof value === 'string' && value.includes('(?i)') ? caseless(value) : translatePatterns(value)]));
}

/** `(?i)` applied to the rest of a pattern without character classes: each letter becomes `[xX]`. */
function caseless(pattern: string): string {
  const [before, after] = pattern.split('(?i)');
  if (after.includes('[') || after.includes('\\')) {
    throw new Error(`cannot translate Go pattern ${pattern}: only (?i) without classes or escapes is supported`);
  }
  return before + after.replace(/[a-z]/gi, (letter) => `[${letter.toLowerCase()}${letter.toUpperCase()}]`);
}
