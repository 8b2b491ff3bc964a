/**
 * Validation has a budget. The profile chooses the schema and the supplier the
 * body, and either can make a validator run for hours or collect millions of
 * errors: recursive `anyOf`s that try every branch at every level, `oneOf`s of
 * near-identical branches, `uniqueItems` over 100,000 objects (Ajv compares
 * every pair), an array of a million wrong values with `allErrors`.
 *
 * So every schema object the translation produces carries a hidden keyword
 * (a non-enumerable property, so nothing that reads the schema sees it) that
 * Ajv compiles into a call to `budget.tick(vErrors)`. Work is proportional to
 * the schema objects entered, and each entry ticks: `tick` throws
 * `BudgetExceeded` once the validation's deadline has passed (checked every
 * 1,024 ticks) or once more errors have been collected than the cap. The throw
 * unwinds the generated code at once, so errors are capped while they are
 * collected, not after. Patterns are linear-time (see `regexp-engine.ts`) and
 * `uniqueItems` is replaced by a hashing version that ticks as it goes, so no
 * single keyword can run long between ticks either.
 */
import { performance } from 'node:perf_hooks';
import { _, Name, str, type KeywordCxt, type KeywordDefinition } from 'ajv';
import type { AjvCore } from './formats.js';

/** The hidden keyword that makes a schema object tick the budget. */
export const BUDGET_KEYWORD = 'interopHarnessBudget';

/** The all-errors pass stops collecting past this many (raw Ajv) errors. */
export const MAX_COLLECTED_ERRORS = 1000;

/** Ticks between two looks at the clock: reading it on every tick would cost more than the tick. */
const TICKS_PER_CLOCK_READ = 1024;

/**
 * Make a translated schema object tick the budget when a validator enters it.
 * @example const out = { type: 'object' }; markBudgeted(out); Object.keys(out) // ['type']
 */
export function markBudgeted(schema: Record<string, unknown>): void {
  Object.defineProperty(schema, BUDGET_KEYWORD, { value: true, enumerable: false, configurable: true, writable: true });
}

export type BudgetLimit = 'timeout' | 'run-timeout' | 'errors';

/** Thrown from inside a validator when its budget is spent; carries which limit it hit. */
export class BudgetExceeded extends Error {
  constructor(readonly limit: BudgetLimit) {
    super(`validation budget exceeded (${limit})`);
    this.name = 'BudgetExceeded';
  }
}

/**
 * The clock and error count of the validation in progress. One per set of
 * compiled validators; validations never overlap (they are synchronous).
 *
 * @example
 *   const budget = new ValidationBudget(10_000);
 *   budget.begin(); validator(value); // may throw BudgetExceeded
 */
export class ValidationBudget {
  /** Absolute `performance.now()` after which no validation may run (`--run-timeout`). */
  runDeadline = Infinity;
  /** Collected errors beyond this make `tick` throw; Infinity while the verdict pass runs. */
  errorCap = MAX_COLLECTED_ERRORS;
  /** Schema objects compiled so far (each budgeted object once per compile): what sharing saves is visible here. */
  compiledSchemaObjects = 0;
  private deadline = Infinity;
  private ticks = 0;

  constructor(readonly timeoutMs: number) {}

  /** Start the clock for one validation (of both passes, when a second is needed). */
  begin(): void {
    this.deadline = Math.min(performance.now() + this.timeoutMs, this.runDeadline);
    this.ticks = 0;
  }

  /** Which limit the deadline came from, for the message. */
  get timeLimit(): BudgetLimit {
    return this.runDeadline <= this.deadline ? 'run-timeout' : 'timeout';
  }

  /** Called by generated code on entering a schema object, with the errors collected so far. */
  tick(errors: unknown[] | null): void {
    if (errors !== null && errors.length > this.errorCap) throw new BudgetExceeded('errors');
    if (++this.ticks % TICKS_PER_CLOCK_READ === 0 && performance.now() > this.deadline) throw new BudgetExceeded(this.timeLimit);
  }
}

/**
 * Register the budget keyword and the hashing `uniqueItems` on an Ajv instance. Call before compiling.
 * @example useValidationBudget(ajv, new ValidationBudget(10_000))
 */
export function useValidationBudget(ajv: AjvCore, budget: ValidationBudget): void {
  // `vErrors` is the local every Ajv-generated function collects its errors in.
  const vErrors = new Name('vErrors');
  const budgetKeyword: KeywordDefinition = {
    keyword: BUDGET_KEYWORD,
    schemaType: 'boolean',
    code(cxt: KeywordCxt) {
      budget.compiledSchemaObjects++;
      const ref = cxt.gen.scopeValue('obj', { ref: budget, key: 'interopHarnessBudget' });
      cxt.gen.code(_`${ref}.tick(${vErrors})`);
    },
  };
  ajv.addKeyword(budgetKeyword);
  ajv.removeKeyword('uniqueItems');
  ajv.addKeyword(uniqueItemsKeyword(budget));
}

function uniqueItemsKeyword(budget: ValidationBudget): KeywordDefinition {
  /** `[j, i]`: item i repeats item j (j < i); undefined when all items differ. */
  const findDuplicate = (items: unknown[]): [number, number] | undefined => {
    // Keyed by a type tag plus the value, never by the bare value: a Map hashes
    // numbers, and strings that read as array indices, without V8's per-process
    // random seed, so a supplier could choose values that all collide.
    const seen = new Map<string, number>();
    for (let i = 0; i < items.length; i++) {
      if (i % 64 === 0) budget.tick(null);
      const key = canonicalKey(items[i]);
      const first = seen.get(key);
      if (first !== undefined) return [first, i];
      seen.set(key, i);
    }
    return undefined;
  };
  return {
    keyword: 'uniqueItems',
    type: 'array',
    schemaType: 'boolean',
    // Same message and params as Ajv's own keyword, so reports read the same.
    error: {
      message: ({ params: { i, j } }) => str`must NOT have duplicate items (items ## ${j} and ${i} are identical)`,
      params: ({ params: { i, j } }) => _`{i: ${i}, j: ${j}}`,
    },
    code(cxt: KeywordCxt) {
      const { gen, data, schema } = cxt;
      if (schema !== true) return;
      const find = gen.scopeValue('func', { ref: findDuplicate });
      const duplicate = gen.const('duplicate', _`${find}(${data})`);
      cxt.setParams({ i: _`${duplicate}[1]`, j: _`${duplicate}[0]` });
      cxt.fail(_`${duplicate} !== undefined`);
    },
  };
}

/**
 * One string per JSON value, equal exactly when Ajv's deep equality says so:
 * object keys sorted, numbers by value. Iterative, so a deep item cannot
 * overflow the stack here (Ajv would have overflowed first anyway).
 * @example canonicalKey({ b: 1, a: [true] }) === canonicalKey({ a: [true], b: 1 }) // true
 */
export function canonicalKey(value: unknown): string {
  if (value === null || typeof value !== 'object') return `${typeof value}:${String(value)}`;
  return `j:${canonicalJson(value)}`;
}

function canonicalJson(root: object): string {
  const out: string[] = [];
  const pending: unknown[] = [root];
  while (pending.length > 0) {
    const next = pending.pop();
    if (next instanceof Literal) {
      out.push(next.text);
    } else if (Array.isArray(next)) {
      out.push('[');
      pending.push(CLOSE_ARRAY);
      for (let i = next.length - 1; i >= 0; i--) {
        pending.push(next[i]);
        if (i > 0) pending.push(COMMA);
      }
    } else if (next !== null && typeof next === 'object') {
      out.push('{');
      pending.push(CLOSE_OBJECT);
      const keys = Object.keys(next).sort();
      for (let i = keys.length - 1; i >= 0; i--) {
        const key = keys[i]!;
        pending.push((next as Record<string, unknown>)[key]);
        pending.push(new Literal(`${JSON.stringify(key)}:`));
        if (i > 0) pending.push(COMMA);
      }
    } else {
      out.push(JSON.stringify(next) ?? 'null');
    }
  }
  return out.join('');
}

/** Text already encoded (punctuation, keys), kept apart from string values, which are encoded when popped. */
class Literal {
  constructor(readonly text: string) {}
}

const COMMA = new Literal(',');
const CLOSE_ARRAY = new Literal(']');
const CLOSE_OBJECT = new Literal('}');
