import type { ErrorObject } from 'ajv';
import { Manifest, SchemaViolation, describeObject, toViolations } from './crd-schema-validator';

/** The part of a kubernetes-models model class that validation needs. */
interface ModelClass {
  readonly apiVersion?: string;
  readonly kind?: string;
  readonly prototype: { validate(this: unknown): void };
}

/** What @kubernetes-models/validate throws: ajv errors, messages already in English. */
interface ModelValidationError {
  readonly errors?: ErrorObject[];
}

/** `group/version` or a core `version`, and a Kind: all that may become part of a module path. */
const API_VERSION = /^([a-z0-9]([a-z0-9.-]*[a-z0-9])?\/)?v[0-9]+((alpha|beta)[0-9]+)?$/;
const KIND = /^[A-Z][A-Za-z0-9]*$/;

/**
 * Validates core Kubernetes objects (Namespace, Deployment, Service, RBAC, HPA, PDB,
 * CustomResourceDefinition, webhook configurations, ...) against the Kubernetes OpenAPI schema, as
 * published by the `kubernetes-models` package: types, required fields, enums, formats, and
 * unknown fields rejected (which `kubernetes-models` alone does not do).
 *
 * `kubernetes-models` ships ajv validators compiled ahead of time, one module per kind, so nothing
 * is compiled here: the module of a kind is required on its first use, then cached.
 */
export class CoreSchemaValidator {
  /** A process-wide validator, so that each model module is loaded once. */
  public static shared(): CoreSchemaValidator {
    if (!CoreSchemaValidator.instance) {
      CoreSchemaValidator.instance = new CoreSchemaValidator();
    }
    return CoreSchemaValidator.instance;
  }

  private static instance: CoreSchemaValidator | undefined;

  private readonly models = new Map<string, ModelClass | undefined>();

  /** Whether the Kubernetes schema defines this apiVersion and kind as a top-level object. */
  public hasSchema(apiVersion: string, kind: string): boolean {
    return this.model(apiVersion, kind) !== undefined;
  }

  /**
   * Validates one core object. Throws if the Kubernetes schema has no such kind: an object that
   * cannot be checked must not pass silently.
   */
  public validate(manifest: Manifest): SchemaViolation[] {
    const model = this.model(manifest.apiVersion, manifest.kind);
    if (!model) {
      throw new Error(`no Kubernetes schema for ${manifest.apiVersion}/${manifest.kind}`);
    }
    const tracker = new FieldTracker();
    let errors: readonly ErrorObject[] = [];
    try {
      model.prototype.validate.call(tracker.track(manifest));
    } catch (error) {
      const found = (error as ModelValidationError).errors;
      if (!found) {
        throw error;
      }
      errors = found;
    }
    const object = describeObject(manifest);
    return [
      ...toViolations(manifest, errors),
      ...tracker.unknownFields(manifest)
        .filter((unknown) => !isMissingFromModels(manifest.kind, unknown))
        .map(({ path, field }) => ({ object, path, message: `unknown field '${field}'` })),
    ];
  }

  private model(apiVersion: string, kind: string): ModelClass | undefined {
    const key = `${apiVersion}/${kind}`;
    if (!this.models.has(key)) {
      this.models.set(key, loadModel(apiVersion, kind));
    }
    return this.models.get(key);
  }
}

/**
 * Fields of the Kubernetes API that the kubernetes-models schemas leave out: the `x-kubernetes-*`
 * extensions of a CRD's JSONSchemaProps (the API server requires `x-kubernetes-preserve-unknown-fields`
 * for an open schema) and the `description` of an additional printer column.
 */
function isMissingFromModels(kind: string, unknown: { path: string; field: string }): boolean {
  if (kind !== 'CustomResourceDefinition') {
    return false;
  }
  return (unknown.field.startsWith('x-kubernetes-') && unknown.path.includes('openAPIV3Schema'))
    || (unknown.field === 'description' && /additionalPrinterColumns\[\d+\]$/.test(unknown.path));
}

function loadModel(apiVersion: string, kind: string): ModelClass | undefined {
  if (!API_VERSION.test(apiVersion) || !KIND.test(kind)) {
    return undefined;
  }
  let exported: Record<string, ModelClass | undefined>;
  try {
    // One module per kind: loading only the kinds in use keeps synth fast.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    exported = require(`kubernetes-models/${apiVersion}/${kind}`);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'MODULE_NOT_FOUND' || code === 'ERR_PACKAGE_PATH_NOT_EXPORTED') {
      return undefined;
    }
    throw error;
  }
  const model = exported[kind];
  // Nested types (`v1/PodSpec`) have modules too, but no apiVersion and kind of their own.
  return model?.apiVersion === apiVersion && model.kind === kind ? model : undefined;
}

/**
 * Finds the fields a validator did not look at. The compiled validators read every property their
 * schema declares (present or not) and enumerate the keys of maps (`labels`, `data`), but never
 * look into free-form values. So, in an object the validator read from without enumerating it,
 * every key it did not read is a field the schema does not know: the API server would drop it.
 */
class FieldTracker {
  private readonly read = new Map<object, Set<string>>();
  private readonly enumerated = new Set<object>();
  private readonly proxies = new Map<object, object>();

  /** A view of `value` that records what is read from it, at any depth. */
  public track<T>(value: T): T {
    if (value === null || typeof value !== 'object') {
      return value;
    }
    const target = value as unknown as object;
    let proxy = this.proxies.get(target);
    if (!proxy) {
      proxy = new Proxy(target, {
        get: (object, property, receiver) => {
          this.markRead(object, property);
          return this.track(Reflect.get(object, property, receiver));
        },
        has: (object, property) => {
          this.markRead(object, property);
          return Reflect.has(object, property);
        },
        ownKeys: (object) => {
          this.enumerated.add(object);
          return Reflect.ownKeys(object);
        },
      });
      this.proxies.set(target, proxy);
    }
    return proxy as T;
  }

  /** The unread fields of `root` and its descendants, by the dotted path of their parent. */
  public unknownFields(root: unknown): Array<{ path: string; field: string }> {
    const found: Array<{ path: string; field: string }> = [];
    const visit = (value: unknown, path: string) => {
      if (value === null || typeof value !== 'object') {
        return;
      }
      if (Array.isArray(value)) {
        value.forEach((item, index) => visit(item, `${path}[${index}]`));
        return;
      }
      const read = this.read.get(value);
      const checked = read !== undefined && !this.enumerated.has(value);
      for (const [field, child] of Object.entries(value)) {
        if (checked && !read.has(field)) {
          found.push({ path: path || '(root)', field });
        } else {
          visit(child, path ? `${path}.${field}` : field);
        }
      }
    };
    visit(root, '');
    return found;
  }

  private markRead(object: object, property: string | symbol): void {
    if (typeof property !== 'string') {
      return;
    }
    let read = this.read.get(object);
    if (!read) {
      read = new Set();
      this.read.set(object, read);
    }
    read.add(property);
  }
}
