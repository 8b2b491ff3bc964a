/**
 * Validation started but could not finish, so the value is neither valid nor
 * invalid as far as the harness knows. Checks report it as `error`. In a module
 * of its own so that the checks that catch it do not load Ajv with it.
 *
 * @example
 *   try { validators.validate(pointer, body); } catch (e) { if (e instanceof ValidationNotRun) return error(e.message); throw e; }
 */
export class ValidationNotRun extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ValidationNotRun';
  }
}
