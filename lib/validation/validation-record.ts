import { createHash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { DeclaredWorkload } from './mesh-analysis';

/**
 * What the app leaves in the cdk8s CLI's output folder after it validated and committed the
 * output, for the validation plugin that the CLI runs next in the same `cdk8s synth`. Its name
 * does not end in `.yaml`, so the CLI does not take it for a manifest; it is written after the
 * commit, so it never reaches dist/.
 */
export const VALIDATION_RECORD_FILE = '.cdk8s-istio-mesh-validated.json';

/** What the app validated, with no problem found. */
export interface ValidationRecord {
  /** SHA-256 of every manifest file validated, by path relative to the folder, with '/' separators. */
  readonly manifests: Readonly<Record<string, string>>;
  /** How many objects the manifests hold. */
  readonly objects: number;
  /** The namespaces that counted as existing outside the output. */
  readonly externalNamespaces: readonly string[];
  /** The hosts that counted as outside the cluster. */
  readonly externalHosts: readonly string[];
  /**
   * The workloads declared without manifests in the output (a SidecarScoping's services), which
   * the AuthorizationPolicy checks of a later run need.
   * @default - none
   */
  readonly declaredWorkloads?: readonly DeclaredWorkload[];
  /** The mesh config the manifests were built from: absolute path and SHA-256. @default - an app composed in TypeScript */
  readonly meshConfig?: { readonly path: string; readonly sha256: string };
}

/** Hex SHA-256 of a file's bytes. */
export function fileSha256(file: string): string {
  return createHash('sha256').update(fs.readFileSync(file)).digest('hex');
}

/** Writes `record` into `dir`. */
export function writeValidationRecord(dir: string, record: ValidationRecord): void {
  fs.writeFileSync(path.join(dir, VALIDATION_RECORD_FILE), `${JSON.stringify(record, null, 2)}\n`);
}

/**
 * The record that covers exactly `manifestFiles` (absolute paths): the one in the folder that
 * holds them all, if it lists the same files with the same contents. Undefined otherwise, so a
 * manifest changed, added or removed after the app validated is validated again.
 */
export function findValidationRecord(manifestFiles: readonly string[]): ValidationRecord | undefined {
  if (manifestFiles.length === 0) {
    return undefined;
  }
  const dir = commonFolder(manifestFiles.map((file) => path.resolve(file)));
  let record: ValidationRecord;
  try {
    record = JSON.parse(fs.readFileSync(path.join(dir, VALIDATION_RECORD_FILE), 'utf8'));
  } catch {
    return undefined;
  }
  const listed = Object.keys(record.manifests ?? {}).sort();
  const present = manifestFiles.map((file) => path.relative(dir, path.resolve(file)).split(path.sep).join('/')).sort();
  const same = listed.length === present.length
    && listed.every((file, index) => file === present[index] && record.manifests[file] === fileSha256(path.join(dir, file)));
  return same ? record : undefined;
}

function commonFolder(files: readonly string[]): string {
  let dir = path.dirname(files[0]);
  while (!files.every((file) => file.startsWith(dir + path.sep)) && path.dirname(dir) !== dir) {
    dir = path.dirname(dir);
  }
  return dir;
}
