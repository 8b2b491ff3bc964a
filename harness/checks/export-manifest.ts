import type { SchemaError } from '../results.js';
import { FORMAT_ANNOTATION, onlyAnnotatedFormats } from '../schema/schema-errors.js';
import type { ServiceCheck } from './check.js';
import { MAX_FILES } from '../export/export-session.js';
import { completedMainExport, count, listed, withEvidence } from './export-findings.js';

/**
 * HL7 FHIR Bulk Data Access, complete status: the manifest states
 * transactionTime, request, requiresAccessToken, output[] and error[]; each
 * type asked for has its files, nothing else is exported, and every file is
 * on the supplier's own origin (the profile's rule, as for evidence content).
 */
export const exportManifest: ServiceCheck = {
  kind: 'service',
  id: 'export-manifest',
  scope: 'profile',
  title: 'Bulk export manifest',
  description: 'The completed export\'s manifest matches the profile\'s manifest schema (x-interop.export.manifestSchema) and the FHIR fields; it has files for every type asked for, none for types not asked for, and every file URL is on the supplier\'s own origin.',
  async run(context) {
    const done = await completedMainExport(context);
    if (!done.ok) return done.finding;
    const { main, session, completion, statusPath: path } = done;
    const { validators, target, document } = context;
    const manifest = completion.manifest;
    const problems: string[] = [];
    let schemaErrors: SchemaError[] = [];
    const pointer = session.spec.manifestSchemaPointer;
    if (pointer !== undefined && validators.has(pointer)) {
      schemaErrors = validators.validate(pointer, manifest);
    }
    // Under OpenAPI 3.1 a value that breaks only formats breaks no schema: a warning, unless something else fails.
    const formatsOnly = onlyAnnotatedFormats(document, schemaErrors);
    const schemaBreaches = schemaErrors.length === 0 ? '' : `it does not match the profile's manifest schema: ${schemaErrors.slice(0, 3).map((e) => `${e.pointer || '/'} ${e.message}`).join('; ')}`;
    if (schemaBreaches !== '' && !formatsOnly) problems.push(schemaBreaches);
    if (typeof manifest['transactionTime'] !== 'string' || Number.isNaN(Date.parse(manifest['transactionTime']))) problems.push('transactionTime is missing or not an instant');
    if (typeof manifest['requiresAccessToken'] !== 'boolean') problems.push('requiresAccessToken is missing or not true/false');
    if (!Array.isArray(manifest['output'])) problems.push('output is missing or not an array');
    if (manifest['error'] !== undefined && !Array.isArray(manifest['error'])) problems.push('error is not an array');

    const requested = main.request.types;
    const typesListed = new Set(main.entries.map((e) => e.type).filter((t): t is string => t !== undefined));
    // FHIR servers leave a type with no records out of output[]; the list endpoint says whether it has any.
    const missing = requested.filter((type) => !typesListed.has(type) && !main.emptyTypes.has(type));
    const unrequested = [...typesListed].filter((type) => !requested.includes(type));
    if (missing.length > 0) problems.push(`it has no file for ${listed(missing)} (asked for ${requested.join(', ')})`);
    if (unrequested.length > 0) problems.push(`it has files for ${listed(unrequested)}, which were not asked for`);
    const unreadable = main.entries.filter((e) => e.type === undefined || e.url === undefined);
    if (unreadable.length > 0) problems.push(`output entr${unreadable.length === 1 ? 'y' : 'ies'} ${listed(unreadable.map((e) => String(e.index)))} lack${unreadable.length === 1 ? 's' : ''} a type or a URL`);
    const elsewhere = main.entries.filter((e) => e.url !== undefined && e.url.origin !== target.origin);
    if (elsewhere.length > 0) {
      problems.push(`the file${elsewhere.length === 1 ? '' : 's'} ${listed(elsewhere.map((e) => e.url!.href))} ${elsewhere.length === 1 ? 'is' : 'are'} not on the supplier's origin ${target.origin}; not downloaded`);
    }
    const errors = Array.isArray(manifest['error']) ? manifest['error'] : [];
    const errorNote = errors.length > 0 ? ` (the supplier also reports ${errors.length} error file${errors.length === 1 ? '' : 's'})` : '';

    if (problems.length > 0) {
      return withEvidence(
        {
          method: 'GET',
          path,
          status: 'fail',
          message: `the export manifest is not usable as it stands: ${problems.join('; ')}${errorNote}`,
          expected: `a manifest with files for ${requested.join(', ')} on ${target.origin}`,
          actual: problems[0]!,
          ...(schemaErrors.length > 0 ? { schemaErrors } : {}),
        },
        completion.exchange.evidence,
      );
    }
    const outputs = main.entries.length;
    const emptyNote = main.emptyTypes.size > 0 ? `; no file for ${listed([...main.emptyTypes])}, which the API lists no record of` : '';
    const capNote = outputs > MAX_FILES ? `; only the first ${count(MAX_FILES)} files are downloaded and read` : '';
    const usable = `the manifest lists ${count(outputs)} file${outputs === 1 ? '' : 's'} for ${requested.join(', ')}, all on the supplier's origin${emptyNote}${errorNote}${capNote}`;
    if (formatsOnly) {
      return withEvidence(
        {
          method: 'GET',
          path,
          status: 'warn',
          message: `${usable}; but ${schemaBreaches}, formats only; ${FORMAT_ANNOTATION}`,
          expected: "a manifest valid against the profile's manifest schema, its formats met",
          actual: schemaBreaches,
          schemaErrors,
        },
        completion.exchange.evidence,
      );
    }
    return withEvidence(
      { method: 'GET', path, status: 'pass', message: usable },
      completion.exchange.evidence,
    );
  },
};
