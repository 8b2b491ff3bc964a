/**
 * The profile's own metadata, `x-interop` at the top of the document: its id,
 * version, status and the requirements checks are reported against.
 */
import { LEVEL_RANK, type Level } from '../results.js';
import { isRecord, joinPointer } from '../json-pointer.js';
import type { ProfileWarning, Requirement } from './profile-types.js';

export interface XInterop {
  id?: string;
  version?: string;
  status?: string;
  requirements: Requirement[];
  /** `x-interop-invalid`: entries that were skipped or fields that were ignored. */
  warnings: ProfileWarning[];
}

/**
 * Reads `x-interop`. Entries that do not fit are skipped with a warning; extra
 * fields are allowed. A level is accepted in any case (`must` → `MUST`).
 *
 * @example
 *   readXInterop({ 'x-interop': { id: 'person-search', requirements: [{ id: 'PS-1', level: 'MUST', statement: '…', checks: ['status-code'] }] } })
 *   // { id: 'person-search', requirements: [{ id: 'PS-1', level: 'MUST', statement: '…', checks: ['status-code'] }], warnings: [] }
 */
export function readXInterop(document: Record<string, unknown>): XInterop {
  const result: XInterop = { requirements: [], warnings: [] };
  const raw = document['x-interop'];
  if (raw === undefined) return result;
  const warn = (location: string, message: string): void => {
    result.warnings.push({ code: 'x-interop-invalid', message: `x-interop: ${message}`, location });
  };
  if (!isRecord(raw)) {
    warn('/x-interop', 'is not an object; ignored');
    return result;
  }
  for (const field of ['id', 'version', 'status'] as const) {
    const value = raw[field];
    if (value === undefined) continue;
    if (typeof value === 'string' && value.trim() !== '') result[field] = value.trim();
    else if (typeof value === 'number') result[field] = String(value);
    else warn(joinPointer('/x-interop', field), `${field} is not a non-empty string; ignored`);
  }
  const list = raw['requirements'];
  if (list === undefined) return result;
  if (!Array.isArray(list)) {
    warn('/x-interop/requirements', 'requirements is not a list; ignored');
    return result;
  }
  const ids = new Set<string>();
  list.forEach((entry, index) => {
    const location = joinPointer('/x-interop/requirements', index);
    if (!isRecord(entry)) return warn(location, 'requirement is not an object; skipped');
    const id = entry['id'];
    if (typeof id !== 'string' || id.trim() === '') return warn(location, 'requirement has no id; skipped');
    if (ids.has(id)) return warn(location, `requirement id "${id}" is repeated; this entry is skipped`);
    const level = typeof entry['level'] === 'string' ? entry['level'].trim().toUpperCase() : undefined;
    if (level === undefined || !(LEVEL_RANK as readonly string[]).includes(level)) {
      return warn(joinPointer(location, 'level'), `requirement "${id}" has level ${JSON.stringify(entry['level']) ?? 'undefined'}, not MUST, SHOULD or MAY; skipped`);
    }
    const statement = entry['statement'];
    if (typeof statement !== 'string' || statement.trim() === '') {
      return warn(joinPointer(location, 'statement'), `requirement "${id}" has no statement; skipped`);
    }
    const checks: string[] = [];
    const rawChecks = entry['checks'];
    if (Array.isArray(rawChecks)) {
      rawChecks.forEach((check, checkIndex) => {
        if (typeof check === 'string' && check.trim() !== '') checks.push(check.trim());
        else warn(joinPointer(location, 'checks', checkIndex), `requirement "${id}" lists a check that is not a name; ignored`);
      });
    } else if (rawChecks !== undefined) {
      warn(joinPointer(location, 'checks'), `requirement "${id}" checks is not a list; ignored`);
    }
    ids.add(id);
    const requirement: Requirement = { id, level: level as Level, statement, checks };
    const principle = optionalText(entry['principle']);
    if (principle) requirement.principle = principle;
    const source = sourceText(entry['source']);
    if (source) requirement.source = source;
    const notTestedReason = optionalText(entry['notTestedReason']);
    if (notTestedReason) requirement.notTestedReason = notTestedReason;
    result.requirements.push(requirement);
  });
  return result;
}

function optionalText(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

/** `source` is a string, or `{standard, section?, url?}` as the bundled profiles write it. */
function sourceText(value: unknown): string | undefined {
  if (!isRecord(value)) return optionalText(value);
  const parts = [optionalText(value['standard']), optionalText(value['section']), optionalText(value['url'])].filter(Boolean);
  return parts.length > 0 ? parts.join(', ') : undefined;
}
