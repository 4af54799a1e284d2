import * as fs from 'fs';
import * as path from 'path';
import * as yaml from 'js-yaml';

/** The openAPIV3Schema of one served version of a CRD, with where it came from. */
export interface CrdVersionSchema {
  /** `group/version/Kind`. */
  readonly key: string;
  readonly scope: 'Namespaced' | 'Cluster';
  readonly schema: Record<string, any>;
  /** The file the CRD was read from, for messages. */
  readonly file: string;
}

const CRD_FILE = /\.(ya?ml|json)$/;

/**
 * Reads the CustomResourceDefinitions of files and folders (every `.yaml`, `.yml` and `.json`
 * below a folder, in name order) and returns the schema of every served version. Documents of
 * other kinds in the same files (a Namespace, a webhook) are skipped, as `kubectl apply` of a
 * CRD bundle would apply them apart.
 *
 * @param sources files or folders, relative to `baseDir`
 * @throws naming the source if it does not exist, does not parse, or holds no CRD at all
 */
export function readCrdSchemas(sources: readonly string[], baseDir: string = process.cwd()): CrdVersionSchema[] {
  const schemas: CrdVersionSchema[] = [];
  for (const source of sources) {
    const resolved = path.resolve(baseDir, source);
    if (!fs.existsSync(resolved)) {
      throw new Error(`CRD source ${source} does not exist (looked for ${resolved}): name a CRD file or a folder of them`);
    }
    const files = fs.statSync(resolved).isDirectory() ? filesBelow(resolved) : [resolved];
    const found = files.flatMap((file) => crdSchemasOfFile(file));
    if (found.length === 0) {
      throw new Error(`CRD source ${source} holds no CustomResourceDefinition with a served version (apiextensions.k8s.io/v1)`);
    }
    schemas.push(...found);
  }
  return schemas;
}

/**
 * The local CRD files a cdk8s project imports: the `imports` of its cdk8s.yaml that name a file
 * (`name:=path/to/crd.yaml` or `path/to/crd.yaml`), relative to the cdk8s.yaml. `k8s` (the core
 * API, checked anyway) is left out.
 *
 * @throws if the file cannot be read, or an import is a URL or a jsii package, which cannot be
 * read offline: download that CRD and list the file instead
 */
export function crdFilesOfCdk8sYaml(cdk8sYaml: string, baseDir: string = process.cwd()): string[] {
  const file = path.resolve(baseDir, cdk8sYaml);
  let config: unknown;
  try {
    config = yaml.load(fs.readFileSync(file, 'utf8'));
  } catch (error) {
    throw new Error(`cdk8s.yaml ${cdk8sYaml} cannot be read: ${(error as Error).message}`);
  }
  const imports = (config as { imports?: unknown } | undefined)?.imports ?? [];
  if (!Array.isArray(imports) || imports.some((entry) => typeof entry !== 'string')) {
    throw new Error(`${cdk8sYaml}: imports must be a list of strings, got ${JSON.stringify(imports)}`);
  }
  const files: string[] = [];
  for (const entry of imports as string[]) {
    const target = entry.includes(':=') ? entry.slice(entry.indexOf(':=') + 2) : entry;
    if (target === 'k8s' || /^k8s@/.test(target)) {
      continue;
    }
    if (/^[a-z][a-z0-9+.-]*:/i.test(target)) {
      throw new Error(`${cdk8sYaml}: import '${entry}' is not a local file and cannot be read offline: download the CRD and add the file to the validation's crds`);
    }
    files.push(path.resolve(path.dirname(file), target));
  }
  return files;
}

function filesBelow(folder: string): string[] {
  return fs.readdirSync(folder, { withFileTypes: true })
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    .flatMap((entry) => {
      const full = path.join(folder, entry.name);
      if (entry.isDirectory()) {
        return filesBelow(full);
      }
      return CRD_FILE.test(entry.name) ? [full] : [];
    });
}

function crdSchemasOfFile(file: string): CrdVersionSchema[] {
  let documents: unknown[];
  try {
    documents = yaml.loadAll(fs.readFileSync(file, 'utf8'));
  } catch (error) {
    throw new Error(`CRD file ${file} does not parse: ${(error as Error).message}`);
  }
  const schemas: CrdVersionSchema[] = [];
  for (const document of documents.flatMap((doc: any) => (doc?.kind === 'List' && Array.isArray(doc.items) ? doc.items : [doc]))) {
    const crd = document as Record<string, any> | null;
    if (crd?.kind !== 'CustomResourceDefinition' || crd.apiVersion !== 'apiextensions.k8s.io/v1') {
      continue;
    }
    const { group, names, scope, versions } = crd.spec ?? {};
    for (const version of Array.isArray(versions) ? versions : []) {
      if (!version?.served) {
        continue;
      }
      const schema = version.schema?.openAPIV3Schema;
      if (!schema || typeof schema !== 'object') {
        throw new Error(`CRD file ${file}: ${crd.metadata?.name} version ${version.name} has no schema.openAPIV3Schema`);
      }
      schemas.push({ key: `${group}/${version.name}/${names?.kind}`, scope, schema, file });
    }
  }
  return schemas;
}
