import type { Check } from './check.js';
import { authRequired } from './auth-required.js';
import { codedValues } from './coded-values.js';
import { compression } from './compression.js';
import { conditionalRequests } from './conditional-requests.js';
import { contentType } from './content-type.js';
import { discovery } from './discovery.js';
import { documentationQuality } from './documentation-quality.js';
import { exportCancel } from './export-cancel.js';
import { exportCompleteness } from './export-completeness.js';
import { exportCsv } from './export-csv.js';
import { exportFormat } from './export-format.js';
import { exportIncremental } from './export-incremental.js';
import { exportIntegrity } from './export-integrity.js';
import { exportKickoff } from './export-kickoff.js';
import { exportManifest } from './export-manifest.js';
import { exportNdjson } from './export-ndjson.js';
import { exportStatus } from './export-status.js';
import { hashIntegrity } from './hash-integrity.js';
import { isoDates } from './iso-dates.js';
import { jsonObjectRoot } from './json-object-root.js';
import { pagination } from './pagination.js';
import { problemDetails } from './problem-details.js';
import { resourceAvailable } from './resource-available.js';
import { responseHeaders } from './response-headers.js';
import { responseSchema } from './response-schema.js';
import { serverError } from './server-error.js';
import { statusCode } from './status-code.js';
import { transparencyRecord } from './transparency-record.js';
import { useAfterDelete } from './use-after-delete.js';
import { versioning } from './versioning.js';
import { negativeDataRejection } from './negative-data-rejection.js';
import { positiveDataAcceptance } from './positive-data-acceptance.js';
import { unknownId } from './unknown-id.js';
import { unsupportedMethod } from './unsupported-method.js';
import { ignoredAuth } from './ignored-auth.js';
import { missingRequiredHeader } from './missing-required-header.js';
import { unsupportedMediaType } from './unsupported-media-type.js';

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
  // generic, with --allow-writes: what a lifecycle's reads show of the records the run created
  resourceAvailable,
  useAfterDelete,
  // profile: policies a profile requirement must name
  discovery,
  documentationQuality,
  problemDetails,
  authRequired,
  pagination,
  versioning,
  jsonObjectRoot,
  isoDates,
  codedValues,
  compression,
  conditionalRequests,
  hashIntegrity,
  transparencyRecord,
  // profile: bulk export (service checks sharing one export per run)
  exportKickoff,
  exportStatus,
  exportManifest,
  exportNdjson,
  exportIntegrity,
  exportCompleteness,
  exportIncremental,
  exportFormat,
  exportCancel,
  exportCsv,
  // generic, --negative only: the negative phase's changed requests, never the ordinary probes
  negativeDataRejection,
  positiveDataAcceptance,
  unknownId,
  unsupportedMethod,
  ignoredAuth,
  missingRequiredHeader,
  // generic, --negative with --allow-writes: bodies sent to the run's own creates and records
  unsupportedMediaType,
];

export type { Check, CheckContext, LifecycleCheck, LifecycleStep, NegativeCheck, NegativeCheckContext, ProbeCheck, ProbeCheckContext, ResponseCheck } from './check.js';
