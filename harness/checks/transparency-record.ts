import { getAtPointer, isRecord } from '../json-pointer.js';
import { fail, pass, skip, type ResponseCheck } from './check.js';

/**
 * Attributes an Algorithmic Transparency Recording Standard (ATRS) record
 * must fill: its metadata and Tier 1 (owner and responsibility, description
 * and rationale). Names as in the ATRS attribute list (CDDO, OGL v3).
 */
export const ATRS_REQUIRED = ['name', 'description', 'organisation', 'senior_responsible_owner', 'external_supplier', 'standard_version'];

const SHOWN = 5;

/**
 * Maximum Transparency by Default and the NPCC AI principles: every
 * algorithmic tool in a product has a published, complete transparency record.
 * Judges the operation the profile marks `x-interop-transparency-records`.
 */
export const transparencyRecord: ResponseCheck = {
  kind: 'response',
  id: 'transparency-record',
  scope: 'profile',
  title: 'Algorithmic transparency records',
  description: `The operation marked x-interop-transparency-records answers at least one record, and every record fills the ATRS attributes ${ATRS_REQUIRED.join(', ')}.`,
  run({ operation, response, document, json }) {
    const definition = getAtPointer(document, operation.pointer);
    if (!isRecord(definition) || definition['x-interop-transparency-records'] !== true) return skip('not the transparency records operation');
    if (response.status !== 200) return skip(`answered ${response.status}; records are judged on a 200`);
    const body = json();
    if (!body.ok) return skip('body is not valid JSON (response-schema reports it)');
    const bare = Array.isArray(body.value);
    const records = bare ? (body.value as unknown[]) : isRecord(body.value) && Array.isArray(body.value.data) ? body.value.data : undefined;
    if (!records) return fail('no list of records (an array, or one under data)', { expected: 'a list of ATRS records', actual: typeof body.value });
    if (records.length === 0) return fail('no transparency record is published', { expected: 'at least one record', actual: 'none' });
    const gaps: string[] = [];
    records.forEach((record, index) => {
      // Absent and empty told apart: "lacks name" over a record with `name: ""` sent a reader looking for a field that is there.
      const absent = ATRS_REQUIRED.filter((field) => !isRecord(record) || record[field] === undefined || record[field] === null);
      const empty = ATRS_REQUIRED.filter((field) => !absent.includes(field) && !filled((record as Record<string, unknown>)[field]));
      if (absent.length === 0 && empty.length === 0) return;
      const name = isRecord(record) && typeof record.name === 'string' && record.name.trim() !== '' ? record.name : 'unnamed';
      const faults = [absent.length > 0 ? `lacks ${absent.join(', ')}` : '', empty.length > 0 ? `leaves ${empty.join(', ')} empty` : ''].filter((f) => f !== '');
      gaps.push(`${bare ? '' : '/data'}/${index} (${name}) ${faults.join(' and ')}`);
    });
    if (gaps.length > 0) {
      const more = gaps.length > SHOWN ? ` (and ${gaps.length - SHOWN} more)` : '';
      return fail(`${gaps.length} incomplete transparency record${gaps.length === 1 ? '' : 's'}: ${gaps.slice(0, SHOWN).join('; ')}${more}`, {
        expected: `every record with ${ATRS_REQUIRED.join(', ')}`,
        actual: `${gaps.length} of ${records.length} incomplete`,
      });
    }
    return pass(`${records.length} transparency record${records.length === 1 ? '' : 's'}, all complete`);
  },
};

function filled(value: unknown): boolean {
  if (typeof value === 'string') return value.trim() !== '';
  if (typeof value === 'boolean' || typeof value === 'number') return true;
  return isRecord(value) && Object.keys(value).length > 0;
}
