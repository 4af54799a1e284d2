/** One problem of a mesh config file. */
export interface ConfigProblem {
  /**
   * Key path of the offending value, e.g. `tracing.samplingPercent` or
   * `workloads.namespaces.shop.services.cart.ports[0]`; '' for the file as a whole.
   */
  readonly path: string;
  /** What is wrong, with the bad value and what is expected. */
  readonly message: string;
  /** 1-based line and column, when known (YAML syntax errors). */
  readonly line?: number;
  readonly column?: number;
}

/** `<file>:<line>:<column>: <message>` or `<file>: <path>: <message>`: the line a problem takes in reports. */
export function formatProblem(file: string, problem: ConfigProblem): string {
  if (problem.line !== undefined) {
    return `${file}:${problem.line}:${problem.column ?? 1}: ${problem.message}`;
  }
  return problem.path === '' ? `${file}: ${problem.message}` : `${file}: ${problem.path}: ${problem.message}`;
}

/**
 * A mesh config file with problems: the user's mistake, reported without a stack trace. The
 * message lists every problem, one a line.
 */
export class MeshConfigError extends Error {
  /** Whether `error` is a MeshConfigError, also across copies of the library. */
  public static isMeshConfigError(error: unknown): error is MeshConfigError {
    return error instanceof Error && error.name === 'MeshConfigError' && Array.isArray((error as MeshConfigError).problems);
  }

  constructor(public readonly file: string, public readonly problems: readonly ConfigProblem[]) {
    super(problems.length === 1
      ? formatProblem(file, problems[0])
      : [`${file} has ${problems.length} problems:`, ...problems.map((problem) => `  ${formatProblem(file, problem)}`)].join('\n'));
    this.name = 'MeshConfigError';
  }
}
