/**
 * A request the service refuses on its content (an unknown profile id, a
 * target with credentials in it): 400 from the API, a form error on a page;
 * 422 for a well-formed value the service refuses (a target off INTEROP_ALLOWED_TARGETS).
 * `field` names the input at fault when there is one.
 */
export class InvalidInput extends Error {
  readonly field: string | undefined;
  readonly status: 400 | 409 | 422;
  constructor(message: string, field?: string, status: 400 | 409 | 422 = 400) {
    super(message);
    this.name = 'InvalidInput';
    this.field = field;
    this.status = status;
  }
}
