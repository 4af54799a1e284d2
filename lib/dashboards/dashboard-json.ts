import * as fs from 'fs';
import * as path from 'path';

/** The most a ConfigMap's data may hold: the API server refuses a larger object. */
export const MAX_CONFIGMAP_BYTES = 1024 * 1024;

/**
 * A Grafana dashboard's JSON model, read from a file the user provides (an export from Grafana,
 * the download of a grafana.com dashboard revision, or Istio's own dashboards from the
 * `istio-grafana-dashboards` ConfigMaps of Istio's samples/addons/grafana.yaml). The library
 * ships no dashboard JSON: for air-gapped clusters the JSON has to be in the output, and which
 * revision of which dashboard (and under which licence) is the user's choice.
 *
 * Data source inputs of a grafana.com export (`__inputs` of type `datasource`, such as Istio's
 * `DS_PROMETHEUS`) are kept as they are for grafana-operator, which fills them in, and replaced
 * by a data source uid for a Grafana that provisions dashboards from files.
 */
export class DashboardJson {
  /**
   * Reads `file` now (relative to the working directory, or absolute).
   * @throws naming the file if it cannot be read, is not JSON, or is not a dashboard
   */
  public static fromFile(file: string): DashboardJson {
    let text: string;
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch (error) {
      throw new Error(`dashboard file ${file}: cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}): give the path of a dashboard's JSON model, exported from Grafana or downloaded from grafana.com`);
    }
    let model: unknown;
    try {
      model = JSON.parse(text);
    } catch (error) {
      throw new Error(`dashboard file ${file}: not JSON (${(error as Error).message})`);
    }
    return DashboardJson.parse(model, `dashboard file ${path.normalize(file)}`, path.resolve(file));
  }

  /**
   * A dashboard model built in code.
   * @param source how messages name it
   * @throws unless `model` is an object with a `title` and a `panels` (or old-style `rows`) list
   */
  public static fromObject(model: unknown, source = 'dashboard'): DashboardJson {
    return DashboardJson.parse(model, source, undefined);
  }

  private static parse(model: unknown, source: string, file: string | undefined): DashboardJson {
    if (typeof model !== 'object' || model === null || Array.isArray(model)) {
      throw new Error(`${source}: must be a JSON object (a dashboard's JSON model), got ${Array.isArray(model) ? 'a list' : JSON.stringify(model)}`);
    }
    const dashboard = model as Record<string, unknown>;
    if (typeof dashboard.title !== 'string' || dashboard.title.trim() === '') {
      throw new Error(`${source}: has no title: a dashboard's JSON model has a "title" (is it a dashboard export, not a wrapper such as {"dashboard": {...}}?)`);
    }
    if (!Array.isArray(dashboard.panels) && !Array.isArray(dashboard.rows)) {
      throw new Error(`${source}: dashboard '${dashboard.title}' has no "panels" list`);
    }
    const inputs = Array.isArray(dashboard.__inputs) ? dashboard.__inputs as unknown[] : [];
    const datasourceInputs = inputs
      .filter((input): input is { name: string; type: string } => typeof input === 'object' && input !== null && (input as { type?: unknown }).type === 'datasource' && typeof (input as { name?: unknown }).name === 'string')
      .map((input) => input.name);
    return new DashboardJson(source, dashboard, datasourceInputs, file);
  }

  private constructor(
    /** How messages name the dashboard: its file, or what the code said. */
    public readonly source: string,
    private readonly model: Readonly<Record<string, unknown>>,
    /** Names of the data source inputs of a grafana.com export (`DS_PROMETHEUS`), in their order. */
    public readonly datasourceInputs: readonly string[],
    /** The file it was read from (absolute), for a dashboard from {@link fromFile}. */
    public readonly file?: string,
  ) {}

  /** The dashboard's title. */
  public get title(): string {
    return this.model.title as string;
  }

  /** The model as it was read, as JSON text: for grafana-operator, which fills in the inputs. */
  public toJsonString(): string {
    return JSON.stringify(this.model);
  }

  /**
   * The model with every data source input (`${DS_PROMETHEUS}`, wherever it is a whole string)
   * replaced by `datasourceUid` and without `__inputs`: for a Grafana that provisions dashboards
   * from files, which resolves no inputs. Grafana takes a uid wherever a data source is named.
   */
  public withDatasource(datasourceUid: string): string {
    const placeholders = new Set(this.datasourceInputs.map((name) => `\${${name}}`));
    const replace = (value: unknown): unknown => {
      if (typeof value === 'string') {
        return placeholders.has(value) ? datasourceUid : value;
      }
      if (Array.isArray(value)) {
        return value.map(replace);
      }
      if (typeof value === 'object' && value !== null) {
        return Object.fromEntries(Object.entries(value).map(([key, child]) => [key, replace(child)]));
      }
      return value;
    };
    const { __inputs: _inputs, ...model } = this.model;
    return JSON.stringify(replace(model));
  }
}
