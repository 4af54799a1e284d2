import * as fs from 'fs';
import * as path from 'path';
import * as yaml from 'js-yaml';
import { Manifest } from '../validation/crd-schema-validator';

/** One synthesized manifest file. */
export interface ManifestFile {
  /** Path relative to the output folder, with '/' separators. */
  readonly file: string;
  /** The objects of the file, in order. */
  readonly manifests: readonly Manifest[];
}

/** Manifest files cdk8s writes: `<chart>.k8s.yaml`. */
const MANIFEST_FILE = /\.k8s\.yaml$/;

/**
 * Reads back every manifest file cdk8s wrote into `dir` and its sub-folders, sorted by path, so
 * that validation, the kustomization and the reports all see exactly what will be committed.
 */
export function readManifestFiles(dir: string): ManifestFile[] {
  return fs.readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .map((file) => file.split(path.sep).join('/'))
    .filter((file) => MANIFEST_FILE.test(file))
    .sort()
    .map((file) => ({
      file,
      manifests: yaml.loadAll(fs.readFileSync(path.join(dir, file), 'utf8')).filter((doc) => doc !== null) as Manifest[],
    }));
}
