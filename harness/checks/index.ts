import type { Check } from './check.js';
import { compression } from './compression.js';
import { conditionalRequests } from './conditional-requests.js';
import { contentType } from './content-type.js';
import { jsonObjectRoot } from './json-object-root.js';
import { responseHeaders } from './response-headers.js';
import { responseSchema } from './response-schema.js';
import { serverError } from './server-error.js';
import { statusCode } from './status-code.js';

/**
 * Every check the harness knows, in the order results are listed. Adding a
 * check means adding it here: nothing registers itself on import.
 */
export const CHECKS: readonly Check[] = [
  // generic: the supplier against its own document
  serverError,
  statusCode,
  contentType,
  responseSchema,
  responseHeaders,
  // profile: policies a profile requirement must name
  jsonObjectRoot,
  compression,
  conditionalRequests,
];

export type { Check, CheckContext, ProbeCheck, ProbeCheckContext, ResponseCheck } from './check.js';
