/**
 * Compile, once per run, a validator for every response body and response header
 * schema the profile declares. Later stages only look validators up by the
 * schema pointer the loader gave them; nothing compiles during probing, except
 * in a profile with more than `EAGER_COMPILE_LIMIT` schemas, where each is
 * compiled (still once) when first needed, so that time and memory follow what
 * the run uses rather than what the profile declares.
 */
import { performance } from 'node:perf_hooks';
import { Ajv, type ErrorObject, type Options, type ValidateFunction } from 'ajv';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { exportSchemaPointers } from '../profile/export-annotation.js';
import type { LoadedProfile, OperationSpec, ProfileWarning } from '../profile/profile-types.js';
import type { SchemaError } from '../results.js';
import { addHarnessFormats, registerUnknownFormats, type AjvCore } from './formats.js';
import { headerReadings } from './header-value.js';
import { getAtPointer, isRecord, localRefToPointer, pointerToFragment } from '../json-pointer.js';
import { translateOas30Document, type TranslatedDocument } from './oas30-schema.js';
import { prepareOas31Document } from './oas31-schema.js';
import { useDecimalMultipleOf } from './multiple-of.js';
import { linearRegExp } from './regexp-engine.js';
import { BudgetExceeded, MAX_COLLECTED_ERRORS, useValidationBudget, ValidationBudget, type BudgetLimit } from './validation-budget.js';
import { toSchemaErrors, type ErrorContext } from './schema-errors.js';
import { ValidationNotRun } from './validation-not-run.js';
import { dialectOfVersion, formatIsAnnotation, type SchemaDialect } from './schema-keywords.js';

export interface CompiledValidators {
  /**
   * Validate a parsed JSON body against the schema at that pointer; [] when valid.
   * Throws `ValidationNotRun` when validation could not finish (e.g. the stack
   * overflowed on a body nested 200,000 levels deep): neither pass nor fail.
   */
  validate(schemaPointer: string, value: unknown): SchemaError[];
  /** Validate a raw header value (string) against the header schema at that pointer, coercing per its type (integer/number/boolean/array split on commas). Throws `ValidationNotRun` like `validate`. */
  validateHeader(schemaPointer: string, raw: string): SchemaError[];
  has(schemaPointer: string): boolean;
  /**
   * Problems found while compiling: unknown formats, schemas Ajv refused (those pointers then have no validator and `has` is false).
   * Complete when `compileValidators` returns: `prepareRun` copies it into the report once,
   * so a warning added while validating would never be seen. Find problems at compile time.
   * (A profile with more than `eagerLimit` schemas compiles each on first use instead; one
   * `schema-compile-deferred` warning says so, and a schema Ajv refuses then shows as a
   * result that could not check it, not as a warning here.)
   */
  readonly warnings: readonly ProfileWarning[];
  /** How long one validation may take (`--timeout`); a body validated in parts (a stream's items) shares it. */
  readonly timeoutMs: number;
  /**
   * Schema objects compiled so far, all validators together: a component shared by many
   * responses counts once. Grows only when a deferred schema is first used.
   */
  compiledSchemaObjects(): number;
  /** Milliseconds spent compiling, for the benchmark. */
  compileMs: number;
  /**
   * No validation runs past this `performance.now()` instant (the run's
   * `--run-timeout`): one that would is stopped and throws `ValidationNotRun`.
   */
  setRunDeadline(deadline: number): void;
}

export { ValidationNotRun } from './validation-not-run.js';

/** Nesting beyond this is named in the message: it is almost certainly why validation failed. */
const NOTABLE_NESTING = 1000;

/** The key the translated document is registered under in Ajv; schema pointers become fragments of it. */
export const PROFILE_SCHEMA_ID = 'interop-harness:profile';

/**
 * Profiles with more response schemas than this compile each one on first use.
 * Ajv takes about 1 ms and leaves some 40 KB of garbage per schema: 22,000 inline
 * schemas (a 19 MB profile) took 25 s and peaked near 1 GB compiled up front.
 */
export const EAGER_COMPILE_LIMIT = 1000;

export interface CompileOptions {
  /**
   * The operations whose responses the run can validate (default: every operation).
   * Only their schemas are compiled: a run of three operations of a 400-operation
   * profile compiles three operations' worth.
   */
  operations?: readonly OperationSpec[];
  /** Compile every schema now when there are at most this many (default `EAGER_COMPILE_LIMIT`); else on first use. */
  eagerLimit?: number;
  /** Budget of one validation, in milliseconds: the run's `--timeout` (default 10 s). */
  timeoutMs?: number;
}

/** One validation's time budget when the caller names none: the default `--timeout`. */
const DEFAULT_VALIDATION_TIMEOUT_MS = 10_000;

/** JSON Schema 2020-12, or an OpenAPI dialect of it (3.1's `base`, 3.2's `2025-09-17`): what the validator reads. */
const JSON_SCHEMA_2020_12 = /^(https?:\/\/json-schema\.org\/draft\/2020-12\/schema#?|https:\/\/spec\.openapis\.org\/oas\/3\.[12]\/dialect\/[\w-]+)$/;

/**
 * Compile validators for every `schemaPointer` of every response media type and
 * response header in the profile. Never throws for a bad schema: it becomes a
 * `schema-uncompilable` warning and `has(pointer)` is false.
 * `validate`/`validateHeader` on a pointer without a validator return [] (no
 * evidence, no finding); callers check `has` to report "not checked".
 * @example
 *   const validators = compileValidators(profile);
 *   const errors = validators.validate(mediaType.schemaPointer!, JSON.parse(body));
 *   // [] or [{pointer: '/data/3/dateOfBirth', keyword: 'format', ...}]
 */
export function compileValidators(profile: LoadedProfile, options: CompileOptions = {}): CompiledValidators {
  const started = performance.now();
  const document = profile.document;
  const dialect = dialectOf(profile);
  const bodyPointers = new Set<string>();
  const headerPointers = new Set<string>();
  for (const op of options.operations ?? profile.operations) {
    for (const response of op.responses) {
      for (const media of response.content) {
        if (media.schemaPointer !== undefined) bodyPointers.add(media.schemaPointer);
        if (media.itemSchemaPointer !== undefined) bodyPointers.add(media.itemSchemaPointer);
      }
      for (const header of response.headers) if (header.schemaPointer !== undefined) headerPointers.add(header.schemaPointer);
    }
  }
  // Records of a bulk export are validated like bodies: against the type's schema.
  for (const pointer of exportSchemaPointers(document)) bodyPointers.add(pointer);
  const pointers = [...new Set([...bodyPointers, ...headerPointers])];

  const warnings: ProfileWarning[] = [];
  const warnOnce = (warning: ProfileWarning): void => {
    if (!warnings.some((w) => w.code === warning.code && w.location === warning.location && w.message === warning.message)) warnings.push(warning);
  };
  let compiling = '';
  let noting = true;
  const budget = new ValidationBudget(options.timeoutMs ?? DEFAULT_VALIDATION_TIMEOUT_MS);
  const ajv = makeAjv(dialect, true, budget, (message) => {
    if (noting) warnOnce({ code: 'schema-note', message, location: compiling });
  });

  const translated: TranslatedDocument = dialect === '3.1' ? prepareOas31Document(document, pointers) : translateOas30Document(document, pointers);
  for (const w of registerUnknownFormats(ajv, document, translated.roots, dialect)) warnOnce(w);
  noteDialectHabits(document, dialect, translated, warnOnce);
  for (const { location, message } of translated.closedAllOfBranches) warnOnce({ code: 'allof-additional-properties', message, location });
  for (const location of translated.unusablePatterns) {
    warnOnce({ code: 'pattern-unsupported', message: 'this regular expression is not valid in JavaScript; values are not checked against it', location });
  }
  for (const location of translated.invalidTypes) {
    warnOnce({ code: 'schema-type-invalid', message: 'this type names no JSON type (string, number, integer, boolean, object, array or null, or a list of them), so it is left out: values are checked against the rest of the schema', location });
  }
  for (const { location, reason } of translated.backtrackingPatterns) {
    warnOnce({
      code: 'pattern-unsupported',
      message: `this regular expression holds ${reason}: the harness runs patterns only on a linear-time engine (RE2), because a hostile value could stall JavaScript's own for minutes, so values are not checked against it`,
      location,
    });
  }

  // A pointer maps to its validator, or to null once Ajv has refused it.
  const validators = new Map<string, ValidateFunction | null>();
  let registered = true;
  try {
    ajv.addSchema(translated.document, PROFILE_SCHEMA_ID);
  } catch (error) {
    // E.g. two different schemas claiming one `$id`: nothing can be resolved then.
    registered = false;
    warnOnce({ code: 'schema-uncompilable', message: `the profile's schemas could not be loaded into the validator: ${messageOf(error)}`, location: '' });
  }
  const compilable = new Set<string>();
  for (const pointer of registered ? pointers : []) {
    if (getAtPointer(document, pointer) === undefined) {
      warnOnce({ code: 'schema-uncompilable', message: 'no schema at this pointer; responses using it are not validated', location: pointer });
    } else {
      compilable.add(pointer);
    }
  }
  // Many responses name one component (`$ref: '#/components/schemas/Person'`): one validator per final target.
  // A refusal is kept as the error, so every pointer using that target gets its own warning.
  const byTarget = new Map<string, ValidateFunction | { refused: unknown }>();
  const compile = (pointer: string, warn: (w: ProfileWarning) => void): ValidateFunction | null => {
    compiling = pointer;
    const target = refTarget(translated.document, translated.mapPointer(pointer));
    try {
      let validator = byTarget.get(target);
      if (validator === undefined) {
        try {
          validator = compileShared(ajv, `${PROFILE_SCHEMA_ID}#${pointerToFragment(target)}`);
        } catch (error) {
          validator = { refused: error };
        }
        byTarget.set(target, validator);
      }
      if (typeof validator !== 'function') throw validator.refused;
      return validator;
    } catch (error) {
      warn({ code: 'schema-uncompilable', message: `schema could not be compiled, so responses using it are not validated: ${messageOf(error)}`, location: pointer });
      return null;
    } finally {
      compiling = '';
    }
  };
  const eager = compilable.size <= (options.eagerLimit ?? EAGER_COMPILE_LIMIT);
  if (eager) {
    for (const pointer of compilable) validators.set(pointer, compile(pointer, warnOnce));
  } else {
    warnOnce({
      code: 'schema-compile-deferred',
      message: `${compilable.size} response schemas, so each is compiled when a response first needs it (at most ${options.eagerLimit ?? EAGER_COMPILE_LIMIT} are compiled up front); a schema the validator refuses shows as a result that could not be checked, not as a warning here`,
      location: '',
    });
  }
  // Deferred compiles keep their notes out of `warnings`: the report has already copied it.
  const ignore = (): void => undefined;
  const validatorFor = (pointer: string): ValidateFunction | undefined => {
    let validator = validators.get(pointer);
    if (validator === undefined && !eager && compilable.has(pointer)) {
      validator = compile(pointer, ignore);
      validators.set(pointer, validator);
    }
    return validator ?? undefined;
  };

  // A second instance that stops at the first error, for bodies with more errors than
  // the all-errors pass collects: it gives the verdict and one error. Built when first needed.
  let firstErrorAjv: AjvCore | undefined;
  const firstErrorValidators = new Map<string, ValidateFunction | null>();
  const firstErrorValidatorFor = (pointer: string): ValidateFunction | null => {
    let validator = firstErrorValidators.get(pointer);
    if (validator === undefined) {
      if (!firstErrorAjv) {
        firstErrorAjv = makeAjv(dialect, false, budget, ignore);
        registerUnknownFormats(firstErrorAjv, document, translated.roots, dialect);
        firstErrorAjv.addSchema(translated.document, PROFILE_SCHEMA_ID);
      }
      validator = compileShared(firstErrorAjv, `${PROFILE_SCHEMA_ID}#${pointerToFragment(refTarget(translated.document, translated.mapPointer(pointer)))}`);
      firstErrorValidators.set(pointer, validator);
    }
    return validator;
  };

  // In 3.1 a format is an annotation, but Ajv asserts it: a breach inside a oneOf/anyOf branch fails the
  // combinator, an error that is not the format's. A third instance, formats not asserted, gives the verdict then.
  const annotatesFormats = formatIsAnnotation(dialect);
  let formatFreeAjv: AjvCore | undefined;
  const formatFreeValidators = new Map<string, ValidateFunction | null>();
  const formatFreeValidatorFor = (pointer: string): ValidateFunction | null => {
    let validator = formatFreeValidators.get(pointer);
    if (validator === undefined) {
      try {
        if (!formatFreeAjv) {
          formatFreeAjv = makeAjv(dialect, false, budget, ignore, { validateFormats: false });
          formatFreeAjv.addSchema(translated.document, PROFILE_SCHEMA_ID);
        }
        validator = compileShared(formatFreeAjv, `${PROFILE_SCHEMA_ID}#${pointerToFragment(refTarget(translated.document, translated.mapPointer(pointer)))}`);
      } catch {
        // The first instance compiled it; should this one not, the errors stand as they came.
        validator = null;
      }
      formatFreeValidators.set(pointer, validator);
    }
    return validator;
  };
  /**
   * Where formats are annotations and a failure holds a format breach beside another error: whether the
   * value is valid with formats not asserted. Then only the breaches are kept (a warning, as a breach
   * alone is); else the errors stand as they came.
   */
  const withoutAnnotations = (pointer: string, value: unknown, errors: ErrorObject[]): ErrorObject[] => {
    if (!annotatesFormats || !errors.some((e) => e.keyword === 'format') || errors.every((e) => e.keyword === 'format' || e.keyword === 'if')) return errors;
    const formatFree = formatFreeValidatorFor(pointer);
    return formatFree?.(value) ? errors.filter((e) => e.keyword === 'format') : errors;
  };

  const context: ErrorContext = { origins: translated.origins, document: translated.document, reachCache: new WeakMap() };
  /**
   * Raw errors, `capped` when there were more than the all-errors pass collects (then only the first),
   * and `onlyFormats` when such a body is valid with formats not asserted (3.1: every fault an annotation's).
   */
  const run = (pointer: string, value: unknown): RunOutcome | undefined => {
    const validator = validatorFor(pointer);
    if (!validator) return undefined;
    budget.begin();
    budget.errorCap = MAX_COLLECTED_ERRORS;
    try {
      return { errors: validator(value) ? [] : withoutAnnotations(pointer, value, [...(validator.errors ?? [])]), capped: false };
    } catch (error) {
      if (!(error instanceof BudgetExceeded && error.limit === 'errors')) throw notRun(pointer, value, error);
    }
    // Too many errors to collect: the verdict, and its first error, from the pass that stops there.
    budget.errorCap = Infinity;
    try {
      const verdict = firstErrorValidatorFor(pointer);
      if (!verdict) return { errors: [], capped: false };
      if (verdict(value)) return { errors: [], capped: false };
      const first = [...(verdict.errors ?? [])];
      if (annotatesFormats && formatFreeValidatorFor(pointer)?.(value)) return { errors: first.filter((e) => e.keyword === 'format'), capped: true, onlyFormats: true };
      return { errors: first, capped: true };
    } catch (error) {
      throw notRun(pointer, value, error);
    }
  };
  const notRun = (pointer: string, value: unknown, error: unknown): ValidationNotRun => {
    // Over budget names the limit. A schema that recurses on the same value (Pet oneOf
    // Cat, Cat allOf Pet), or a recursive schema meeting a body nested thousands deep,
    // overflows the stack. Either proves nothing: returning [] would be a false pass.
    if (error instanceof BudgetExceeded) return new ValidationNotRun(budgetMessage(error.limit, budget, schemaName(pointer)), { cause: error });
    return new ValidationNotRun(describeFailure(value, error), { cause: error });
  };
  /** The schema a pointer names, as a reader knows it: the `$ref` target when it is only a reference. */
  const schemaName = (pointer: string): string => {
    const schema = getAtPointer(document, pointer);
    const ref = schema !== null && typeof schema === 'object' && typeof (schema as { $ref?: unknown }).$ref === 'string' ? (schema as { $ref: string }).$ref : undefined;
    return ref?.startsWith('#') ? ref.slice(1) : pointer;
  };
  const toErrors = (outcome: RunOutcome): SchemaError[] => {
    const errors = toSchemaErrors(outcome.errors, context);
    if (outcome.onlyFormats) {
      errors.push({ pointer: '', keyword: 'format', schemaPath: '', message: `more than ${MAX_COLLECTED_ERRORS} schema errors: collecting stopped there (error budget); with formats not asserted the body is valid, so every one is a format's` });
    } else if (outcome.capped) {
      errors.push({ pointer: '', keyword: 'truncated', schemaPath: '', message: `more than ${MAX_COLLECTED_ERRORS} schema errors: collecting stopped there (error budget), so only the first is shown` });
    }
    return errors;
  };

  const compileMs = performance.now() - started;
  noting = false;
  return {
    warnings,
    timeoutMs: budget.timeoutMs,
    compileMs,
    has: (pointer) => validatorFor(pointer) !== undefined,
    compiledSchemaObjects: () => budget.compiledSchemaObjects,
    setRunDeadline(deadline) {
      budget.runDeadline = deadline;
    },
    validate(pointer, value) {
      const outcome = run(pointer, value);
      return outcome && outcome.errors.length > 0 ? toErrors(outcome) : [];
    },
    validateHeader(pointer, raw) {
      if (validatorFor(pointer) === undefined) return [];
      const schema = getAtPointer(translated.document, translated.mapPointer(pointer));
      let first: RunOutcome | undefined;
      for (const reading of headerReadings(raw, schema, translated.document)) {
        const outcome = run(pointer, reading);
        if (outcome === undefined || outcome.errors.length === 0) return [];
        first ??= outcome;
      }
      return first ? toErrors(first) : [];
    },
  };
}

/** 3.1 and later are JSON Schema 2020-12; 3.0 (and converted Swagger 2.0) is the OpenAPI dialect. */
function dialectOf(profile: LoadedProfile): SchemaDialect {
  return dialectOfVersion(typeof profile.document.openapi === 'string' ? profile.document.openapi : profile.info.openapi);
}

/** A `$ref` chain longer than this is left to Ajv (real ones are 1-3 long; a cycle never ends). */
const MAX_TARGET_HOPS = 32;

/**
 * Where a schema that is only a reference (`{$ref: '#/components/schemas/Person'}`)
 * finally leads, in the translated document: responses naming the same component
 * share one validator. A schema with anything beside its `$ref` is its own target.
 *
 * @example refTarget(doc, '/paths/~1people/get/responses/200/content/application~1json/schema') // '/components/schemas/Person'
 */
function refTarget(document: Record<string, unknown>, pointer: string): string {
  let current = pointer;
  for (let hop = 0; hop < MAX_TARGET_HOPS; hop++) {
    const schema = getAtPointer(document, current);
    if (!isRecord(schema) || typeof schema.$ref !== 'string' || Object.keys(schema).length !== 1) return current;
    const next = localRefToPointer(schema.$ref);
    if (next === undefined || next === current || getAtPointer(document, next) === undefined) return current;
    current = next;
  }
  return pointer;
}

/**
 * Compile a validator for `ref`, sharing every referenced schema with the
 * validators compiled before it. With `inlineRefs: false` Ajv compiles each
 * referenced schema to a function of its own, cached on the document's entry;
 * the entry point (`{$ref}`) and the document reach it through two different
 * caches (Ajv's `refs` and the document's), so each learns what the other compiled:
 * a component referenced from 400 responses is compiled once, not 400 times.
 */
function compileShared(ajv: AjvCore, ref: string): ValidateFunction {
  const documentEntry = ajv.schemas[PROFILE_SCHEMA_ID];
  const learn = (from: Record<string, unknown>, into: Record<string, unknown>): void => {
    for (const key of Object.keys(from)) if (into[key] === undefined && typeof from[key] === 'object') into[key] = from[key];
  };
  if (documentEntry) learn(documentEntry.refs, ajv.refs);
  const validator = ajv.compile({ $ref: ref });
  if (documentEntry) {
    learn(validator.schemaEnv.refs, documentEntry.refs);
    learn(documentEntry.refs, ajv.refs);
  }
  return validator;
}

/** What one validation found (see `run` in `compileValidators`). */
interface RunOutcome {
  errors: ErrorObject[];
  capped: boolean;
  onlyFormats?: true;
}

/** An Ajv instance with the harness's formats, keywords and budget. */
function makeAjv(dialect: SchemaDialect, allErrors: boolean, budget: ValidationBudget, warn: (message: string) => void, extra: Pick<Options, 'validateFormats'> = {}): AjvCore {
  const options: Options = {
    ...extra,
    strict: false,
    allErrors,
    // The document is a profile, not a meta-schema-valid JSON Schema; Ajv judges what it compiles.
    validateSchema: false,
    allowUnionTypes: true,
    // `required: ['constructor']` must not be met by Object.prototype's constructor.
    ownProperties: true,
    // Linear-time patterns: a profile's regular expression must not stall the run.
    // No optimizing pass over the generated code: it was a third of compiling (a
    // 400-operation profile: 1.7 -> 1.0 s; unleash-server's 198 operations: 0.8 -> 0.6 s)
    // and bought nothing at validation, which V8 optimizes anyway (same speed measured).
    // The verdicts are Ajv's either way: 94,000 validations over 22 documents, valid and
    // mutated bodies, gave identical errors with the pass and without it.
    code: { regExp: linearRegExp, optimize: false },
    // Errors carry the schema object and the data: that is how they map back to the profile.
    verbose: true,
    // Each referenced schema is compiled once, to a function every user calls, rather than inlined into each user.
    inlineRefs: false,
    logger: { log: () => undefined, warn: (...args: unknown[]) => warn(args.map(String).join(' ')), error: (...args: unknown[]) => warn(args.map(String).join(' ')) },
  };
  const ajv = dialect === '3.1' ? new Ajv2020(options) : new Ajv(options);
  // Ajv throws on any draft-04 `id` ("use $id") and so refuses the whole schema. In
  // 2020-12 `id` is just an unknown keyword (no effect); the 3.0 translation drops it.
  ajv.removeKeyword('id');
  addHarnessFormats(ajv);
  useDecimalMultipleOf(ajv);
  useValidationBudget(ajv, budget);
  return ajv;
}

/**
 * What an over-budget validation says: which limit, how large, and which schema.
 * @example "validation exceeded the 10 s --timeout budget; schema /components/schemas/Tree"
 */
function budgetMessage(limit: BudgetLimit, budget: ValidationBudget, schema: string): string {
  if (limit === 'run-timeout') return `not validated: the --run-timeout was reached during validation; schema ${schema}`;
  return `not validated: validation exceeded the ${formatSeconds(budget.timeoutMs)} --timeout budget; schema ${schema}`;
}

function formatSeconds(ms: number): string {
  return `${Number((ms / 1000).toFixed(3))} s`;
}

function noteDialectHabits(document: Record<string, unknown>, dialect: SchemaDialect, translated: TranslatedDocument, warn: (w: ProfileWarning) => void): void {
  if (dialect !== '3.1') return;
  const declared = document.jsonSchemaDialect;
  if (typeof declared === 'string' && !JSON_SCHEMA_2020_12.test(declared)) {
    warn({ code: 'json-schema-dialect-ignored', message: `jsonSchemaDialect "${declared}" is not supported; schemas are read as JSON Schema 2020-12`, location: '/jsonSchemaDialect' });
  }
  const first = translated.nullableIn31[0];
  if (first !== undefined) {
    const count = translated.nullableIn31.length;
    warn({
      code: 'nullable-in-oas31',
      message: `"nullable" is not an OpenAPI 3.1 keyword (use type: [..., "null"]); read as allowing null in ${count} place${count === 1 ? '' : 's'}`,
      location: `${first}/nullable`,
    });
  }
}

/** Why validation could not run, naming the body's nesting depth when that is the likely cause. */
function describeFailure(value: unknown, error: unknown): string {
  const depth = nestingDepth(value);
  const why = error instanceof RangeError ? 'the validator ran out of stack' : `the validator failed: ${messageOf(error)}`;
  return depth > NOTABLE_NESTING ? `nested ${depth} levels deep, so it was not validated (${why})` : `could not be validated: ${why}`;
}

/**
 * How deeply arrays and objects nest in a parsed JSON value, measured with an
 * explicit stack so that measuring cannot overflow where validating did.
 *
 * @example
 *   nestingDepth({ a: [[1]] }); // 3
 */
export function nestingDepth(value: unknown): number {
  let deepest = 0;
  const pending: Array<[unknown, number]> = [[value, 0]];
  while (pending.length > 0) {
    const [node, depth] = pending.pop()!;
    if (node === null || typeof node !== 'object') continue;
    const here = depth + 1;
    if (here > deepest) deepest = here;
    for (const child of Array.isArray(node) ? node : Object.values(node)) {
      if (child !== null && typeof child === 'object') pending.push([child, here]);
    }
  }
  return deepest;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
