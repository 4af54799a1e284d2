#!/usr/bin/env node
// `npm run config-schema`: derives the JSON Schema of mesh.yaml (lib/config/mesh-spec.schema.json)
// and its reference (docs/mesh-yaml.md) from the MeshSpec type in lib/config/mesh-spec.ts, whose
// parts are the constructs' own props. Both files are committed; test/config/mesh-spec-schema.test.ts
// fails when they differ from what this script generates.
'use strict';
const fs = require('fs');
const path = require('path');

const root = path.resolve(__dirname, '..');
const SPEC_FILE = path.join(root, 'lib', 'config', 'mesh-spec.ts');
const SCHEMA_FILE = path.join(root, 'lib', 'config', 'mesh-spec.schema.json');
const DOCS_FILE = path.join(root, 'docs', 'mesh-yaml.md');
const ROOT_TYPE = 'MeshSpec';

/**
 * Props document defaults two ways: a value (`@default 'istio-system'`, `@default 1`) or prose
 * (`@default - the chart's defaults`, `@default IstioProfile.DEFAULT`). The generator keeps prose
 * as a string, indistinguishable from a string value, so prose is marked here and, after
 * generation, moved to `x-default` (documentation only) or resolved to an enum value.
 */
const PROSE = '\u0000prose:';

function generateMeshSpecSchema() {
  const tsj = require('ts-json-schema-generator');
  const { BasicAnnotationsReader } = require('ts-json-schema-generator/dist/src/AnnotationsReader/BasicAnnotationsReader.js');
  const original = BasicAnnotationsReader.prototype.parseJsDocTag;
  BasicAnnotationsReader.prototype.parseJsDocTag = function parseJsDocTag(tag) {
    if (tag.name === 'default') {
      const text = (tag.text ?? []).map((part) => part.text).join('');
      if (this.parseJson(text) === undefined) {
        return PROSE + text;
      }
    }
    return original.call(this, tag);
  };
  try {
    const generator = tsj.createGenerator({
      path: SPEC_FILE,
      tsconfig: path.join(root, 'tsconfig.json'),
      type: ROOT_TYPE,
      expose: 'export',
      topRef: true,
      jsDoc: 'extended',
      additionalProperties: false,
      sortProps: false,
      // tsc checks the project; the generator only needs the declarations.
      skipTypeCheck: true,
    });
    return tidy(generator.createSchema(ROOT_TYPE));
  } finally {
    BasicAnnotationsReader.prototype.parseJsDocTag = original;
  }
}

/** Makes TypeScript-flavoured documentation read as YAML documentation. */
function tidy(schema) {
  const enums = new Map();
  for (const [name, definition] of Object.entries(schema.definitions)) {
    if (Array.isArray(definition.enum)) {
      enums.set(name, definition.enum);
    }
  }
  // `InstallPath.IN_CLUSTER_OPERATOR` -> `in-cluster-operator`: the member's value as written in YAML.
  const normalize = (text) => String(text).toLowerCase().replace(/[^a-z0-9]/g, '');
  const enumValue = (type, member) => (enums.get(type) ?? []).find((value) => normalize(value) === normalize(member));
  const translate = (text) => text
    .replace(/\s*\n\s*/g, ' ')
    .replace(/ *\{@link\s+([^}\s]+)\s*\} */g, ' `$1` ')
    .replace(/ {2,}/g, ' ')
    .replace(/ ([.,;)]|'s\b)/g, '$1')
    .trim()
    .replace(/\b([A-Z][A-Za-z]+)\.([A-Z][A-Z0-9_]*)\b/g, (match, type, member) => {
      const value = enumValue(type, member);
      return value === undefined ? match : `\`${value}\``;
    });

  const visit = (node) => {
    if (Array.isArray(node)) {
      node.forEach(visit);
      return;
    }
    if (node === null || typeof node !== 'object') {
      return;
    }
    if (typeof node.description === 'string') {
      node.description = translate(node.description);
    }
    if (typeof node.default === 'string' && node.default.startsWith(PROSE)) {
      const prose = node.default.slice(PROSE.length).trim();
      delete node.default;
      const single = /^([A-Z][A-Za-z]+)\.([A-Z][A-Z0-9_]*)$/.exec(prose);
      const value = single && enumValue(single[1], single[2]);
      if (value !== undefined && value !== null) {
        node.default = value;
      } else {
        node['x-default'] = translate(prose.replace(/^-\s*/, ''));
      }
    }
    for (const [key, child] of Object.entries(node)) {
      if (key !== 'default' && key !== 'enum') {
        visit(child);
      }
    }
  };
  visit(schema);
  return {
    $schema: schema.$schema,
    $id: 'https://github.com/cdk8s-istio-mesh/mesh-spec.schema.json',
    title: 'mesh.yaml of cdk8s-istio-mesh',
    ...schema,
  };
}

/** docs/mesh-yaml.md: every key of mesh.yaml, section by section, from the schema. */
function renderMeshYamlReference(schema) {
  const definitions = schema.definitions;
  const definitionOf = (node) => (node.$ref ? definitions[node.$ref.replace('#/definitions/', '')] : node);
  const isObject = (node) => definitionOf(node).type === 'object' && definitionOf(node).properties !== undefined;
  const anchor = (keyPath) => keyPath.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
  const code = (value) => `\`${typeof value === 'string' ? value : JSON.stringify(value)}\``;

  const sectionOf = new Map();
  const sections = [];
  const typeText = (node, keyPath) => {
    const resolved = definitionOf(node);
    if (Array.isArray(resolved.enum)) {
      return resolved.enum.map(code).join(' \\| ');
    }
    // A key that takes one of several forms, such as a call's string or `{ to, ... }` object.
    if (Array.isArray(resolved.anyOf)) {
      return resolved.anyOf.map((form) => typeText(form, keyPath)).join(' or ');
    }
    if (isObject(node)) {
      return `[object](#${anchor(sectionOf.get(node.$ref ?? keyPath) ?? keyPath)})`;
    }
    if (resolved.type === 'array') {
      return `list of ${typeText(resolved.items, `${keyPath}[]`)}`;
    }
    if (resolved.type === 'object') {
      const values = resolved.additionalProperties;
      if (values && Object.keys(values).length > 0) {
        return `map of ${typeText(values, `${keyPath}.*`)}`;
      }
      return 'map';
    }
    return resolved.type;
  };
  const constraints = (node) => {
    const resolved = definitionOf(node);
    const parts = [];
    if (resolved.pattern !== undefined) {
      parts.push(`pattern ${code(resolved.pattern)}`);
    }
    if (resolved.minProperties === 1 && resolved.maxProperties === 1) {
      parts.push('exactly one key');
    }
    for (const [keyword, words] of [['minimum', '>='], ['maximum', '<=']]) {
      if (resolved[keyword] !== undefined) {
        parts.push(`${words} ${resolved[keyword]}`);
      }
    }
    return parts;
  };

  // Depth-first, so that nested parts follow their parent; a type used in several places is
  // described where it first appears and linked from the others.
  const visit = (keyPath, node) => {
    const key = node.$ref ?? keyPath;
    if (sectionOf.has(key)) {
      return;
    }
    sectionOf.set(key, keyPath);
    sections.push({ keyPath, node });
    for (const [name, property] of Object.entries(definitionOf(node).properties)) {
      let child = property;
      let childPath = keyPath === 'mesh.yaml' ? name : `${keyPath}.${name}`;
      for (;;) {
        const container = definitionOf(child);
        if (container.type === 'array') {
          childPath += '[]';
          child = container.items;
        } else if (container.type === 'object' && !container.properties && Object.keys(container.additionalProperties ?? {}).length > 0) {
          childPath += '.<name>';
          child = container.additionalProperties;
        } else {
          break;
        }
      }
      for (const form of definitionOf(child).anyOf ?? [child]) {
        if (isObject(form)) {
          visit(childPath, form);
        }
      }
    }
  };
  visit('mesh.yaml', { $ref: `#/definitions/${ROOT_TYPE}` });

  const lines = [
    '# mesh.yaml reference',
    '',
    '<!-- Generated by `npm run config-schema` from lib/config/mesh-spec.ts; do not edit. -->',
    '',
    '`npm run synth` reads `mesh.yaml` (or the file `MESH_CONFIG` names), checks it against',
    '[lib/config/mesh-spec.schema.json](../lib/config/mesh-spec.schema.json) and builds the mesh from it.',
    'Keys not listed here are errors. A default in *italics* describes what happens when the key is left out.',
    '',
  ];
  for (const { keyPath, node } of sections) {
    const resolved = definitionOf(node);
    lines.push(`## ${keyPath}`, '');
    const description = node.description ?? resolved.description;
    if (description) {
      lines.push(description, '');
    }
    const extra = constraints(node);
    if (extra.length > 0) {
      lines.push(`Constraints: ${extra.join(', ')}.`, '');
    }
    lines.push('| key | type | default | description |', '| --- | --- | --- | --- |');
    const required = new Set(resolved.required ?? []);
    for (const [name, property] of Object.entries(resolved.properties)) {
      const childPath = keyPath === 'mesh.yaml' ? name : `${keyPath}.${name}`;
      const type = [typeText(property, childPath), ...constraints(property)].join(', ');
      const fallback = property.default !== undefined
        ? code(property.default)
        : property['x-default'] !== undefined ? `*${property['x-default']}*` : required.has(name) ? '**required**' : '';
      const text = (property.description ?? definitionOf(property).description ?? '').replace(/\|/g, '\\|');
      lines.push(`| \`${name}\` | ${type} | ${fallback.replace(/\|/g, '\\|')} | ${text} |`);
    }
    lines.push('');
  }
  return lines.join('\n');
}

function renderSchemaFile(schema) {
  return `${JSON.stringify(schema, null, 2)}\n`;
}

module.exports = { generateMeshSpecSchema, renderMeshYamlReference, renderSchemaFile, SCHEMA_FILE, DOCS_FILE };

if (require.main === module) {
  const schema = generateMeshSpecSchema();
  fs.writeFileSync(SCHEMA_FILE, renderSchemaFile(schema));
  fs.mkdirSync(path.dirname(DOCS_FILE), { recursive: true });
  fs.writeFileSync(DOCS_FILE, renderMeshYamlReference(schema));
  console.log(`config-schema: ${path.relative(root, SCHEMA_FILE)} and ${path.relative(root, DOCS_FILE)} written`);
}
