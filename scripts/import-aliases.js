// The short module names of the generated imports, for `cdk8s-istio-mesh/imports/<alias>`.
// `cdk8s import <name>:=<file>` writes `<name>-<api group>.ts` per API group of the file: the alias
// is the import's name from cdk8s.yaml, and `<name>-<first label of the group>` for an import that
// spans several groups (`istio` -> istio-networking, istio-security, ...).
'use strict';
const fs = require('fs');
const path = require('path');
const yaml = require('js-yaml');

/** Alias -> generated module (file name without .ts) in imports/. */
function importAliases(root) {
  const names = yaml.load(fs.readFileSync(path.join(root, 'cdk8s.yaml'), 'utf8')).imports.map((spec) => spec.split(':=')[0]);
  const modules = fs.readdirSync(path.join(root, 'imports')).filter((file) => file.endsWith('.ts')).map((file) => file.slice(0, -'.ts'.length));
  const byName = new Map(names.map((name) => [name, []]));
  for (const module of modules) {
    // The group holds no dash, so exactly one import name leaves a dash-free rest.
    const name = names.find((candidate) => module.startsWith(`${candidate}-`) && !module.slice(candidate.length + 1).includes('-'));
    if (!name) {
      throw new Error(`imports/${module}.ts: no import of cdk8s.yaml is named like it (expected <name>-<api group>.ts)`);
    }
    byName.get(name).push(module);
  }
  const aliases = {};
  for (const [name, nameModules] of byName) {
    for (const module of nameModules) {
      const group = module.slice(name.length + 1);
      const alias = nameModules.length === 1 ? name : `${name}-${group.split('.')[0]}`;
      if (aliases[alias] || modules.includes(alias)) {
        throw new Error(`imports/${module}.ts: its alias ${alias} is taken`);
      }
      aliases[alias] = module;
    }
  }
  return aliases;
}

module.exports = { importAliases };
