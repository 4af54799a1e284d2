import { CelEnv, CelResult, celEnv, isCelError, parse, plan } from '@bufbuild/cel';
import { toCelInput } from './cel-input';
import { KUBERNETES_FUNCTIONS } from './kubernetes-library';
import { SchemaNode } from './schema-defaults';

/** One `x-kubernetes-validations` entry of a CRD schema. */
export interface ValidationRule {
  readonly rule: string;
  readonly message?: string;
  readonly messageExpression?: string;
  readonly fieldPath?: string;
  readonly reason?: string;
  readonly optionalOldSelf?: boolean;
}

/** A rule the object breaks, or could not be checked against. */
export interface RuleFinding {
  /** Dotted path of the field the finding is about, relative to the rule's node. */
  readonly fieldPath: string;
  readonly message: string;
  readonly rule: string;
  /** The rule's `reason` (FieldValueInvalid unless the rule says otherwise). */
  readonly reason: string;
}

/** What the cache keeps of a rule: the parsed expression, or why it cannot be evaluated. */
export type CompiledRule =
  | { readonly kind: 'expression'; readonly ast: unknown }
  | { readonly kind: 'transition' }
  | { readonly kind: 'not-evaluated'; readonly why: string };

/** Standard CEL as @bufbuild/cel implements it, with the Kubernetes functions of {@link KUBERNETES_FUNCTIONS}. */
const KUBERNETES_ENV: CelEnv = celEnv({ funcs: [...KUBERNETES_FUNCTIONS] });

/** Parses a rule once; the result is plain data (bigints aside), fit for the on-disk cache. */
export function compileRule(source: string): CompiledRule {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(source);
  } catch (error) {
    return { kind: 'not-evaluated', why: `rule not evaluated: syntax not supported by the evaluator (${(error as Error).message})` };
  }
  const { identifiers, functions } = namesIn(parsed.expr);
  // Transition rules compare with the stored object, which a create does not have: the API server
  // skips them on create, and so do we.
  if (identifiers.has('oldSelf')) {
    return { kind: 'transition' };
  }
  // Operators (`_&&_`, `@in`, `!_`, ...) are the planner's own; a macro (has, all, exists_one, ...)
  // is expanded by the parser; any other name must be a function of the environment.
  const unsupported = [...functions].filter((name) => !/^[_@!-]/.test(name) && KUBERNETES_ENV.funcs.find(name) === undefined).sort();
  if (unsupported.length > 0) {
    return { kind: 'not-evaluated', why: `rule not evaluated: function ${unsupported.join(', ')} unsupported` };
  }
  return { kind: 'expression', ast: parsed };
}

/** Identifiers and called function names of a parsed expression (macros already expanded). */
function namesIn(root: unknown): { identifiers: Set<string>; functions: Set<string> } {
  const identifiers = new Set<string>();
  const functions = new Set<string>();
  const visit = (node: unknown): void => {
    if (node === null || typeof node !== 'object') {
      return;
    }
    if (Array.isArray(node)) {
      node.forEach(visit);
      return;
    }
    const kind = (node as { exprKind?: { case?: string; value?: Record<string, unknown> } }).exprKind;
    if (kind?.case === 'identExpr') {
      identifiers.add(String(kind.value?.name));
    } else if (kind?.case === 'callExpr') {
      functions.add(String(kind.value?.function));
    }
    for (const child of Object.values(node)) {
      if (typeof child === 'object') {
        visit(child);
      }
    }
  };
  visit(root);
  return { identifiers, functions };
}

type Program = (bindings: { self: unknown }) => CelResult;

/**
 * Evaluates rules the way kube-apiserver does on create, `self` bound to the node the rule is
 * declared on. Plans are made once per rule text.
 */
export class RuleEvaluator {
  private readonly programs = new Map<string, Program>();

  /**
   * @param compiled the compiled form of a rule text, from the cache or {@link compileRule}
   */
  constructor(private readonly compiled: (source: string) => CompiledRule) {}

  /** The findings of the rules of one schema node on its value. */
  public evaluate(schema: SchemaNode, value: unknown, isResource: boolean): RuleFinding[] {
    const self = toCelInput(schema, value, isResource);
    const findings: RuleFinding[] = [];
    for (const rule of schema['x-kubernetes-validations'] as ValidationRule[]) {
      const finding = this.evaluateRule(rule, self);
      if (finding !== undefined) {
        findings.push(finding);
      }
    }
    return findings;
  }

  private evaluateRule(rule: ValidationRule, self: unknown): RuleFinding | undefined {
    const compiled = this.compiled(rule.rule);
    if (compiled.kind === 'transition') {
      return undefined;
    }
    const found = (message: string): RuleFinding => ({
      fieldPath: relativeFieldPath(rule.fieldPath),
      message,
      rule: rule.rule,
      reason: rule.reason ?? 'FieldValueInvalid',
    });
    if (compiled.kind === 'not-evaluated') {
      return found(compiled.why);
    }
    const result = this.program(rule.rule, compiled.ast)({ self });
    if (result === true) {
      return undefined;
    }
    if (isCelError(result)) {
      return found(`rule evaluation failed: ${result.message} (rule: ${rule.rule})`);
    }
    if (result !== false) {
      return found(`rule evaluated to ${String(result)}, not a bool (rule: ${rule.rule})`);
    }
    return found(this.message(rule, self));
  }

  /** The rule's messageExpression's value, else its message, else the API server's default. */
  private message(rule: ValidationRule, self: unknown): string {
    if (rule.messageExpression !== undefined) {
      const compiled = this.compiled(rule.messageExpression);
      const value = compiled.kind === 'expression' ? this.program(rule.messageExpression, compiled.ast)({ self }) : undefined;
      if (typeof value === 'string' && value.trim() !== '' && !value.includes('\n')) {
        return value;
      }
    }
    return rule.message ?? `failed rule: ${rule.rule}`;
  }

  private program(source: string, ast: unknown): Program {
    let program = this.programs.get(source);
    if (!program) {
      program = plan(KUBERNETES_ENV, ast as ReturnType<typeof parse>) as unknown as Program;
      this.programs.set(source, program);
    }
    return program;
  }
}

/** `fieldPath` is a JSONPath from the rule's node, `.a.b`, `.a['b.c']` or `.a[0]`: made dotted. */
function relativeFieldPath(fieldPath: string | undefined): string {
  if (fieldPath === undefined) {
    return '';
  }
  return fieldPath.replace(/\['([^']*)'\]/g, '.$1').replace(/^\./, '');
}
