import type { ResponseCheck } from './check.js';
import { contentType } from './content-type.js';
import { responseHeaders } from './response-headers.js';
import { responseSchema } from './response-schema.js';
import { serverError } from './server-error.js';
import { statusCode } from './status-code.js';

/**
 * Every check the harness knows, in the order results are listed. Adding a
 * check means adding it here: nothing registers itself on import.
 */
export const CHECKS: readonly ResponseCheck[] = [serverError, statusCode, contentType, responseSchema, responseHeaders];

export type { CheckContext, ResponseCheck } from './check.js';
