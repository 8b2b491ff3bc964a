import type { LoadedProfile } from '../profile/profile-types.js';
import type { Level } from '../results.js';

export interface RequirementBinding {
  requirement: string | null;
  level: Level;
}

/**
 * Which requirements each check verifies. In generic mode (no `x-interop`
 * requirements) every check stands for itself at MUST, so any mismatch with
 * the document fails the run.
 *
 * @example
 *   bindingsFor(index, 'response-schema') // [{ requirement: 'BASE-04', level: 'MUST' }]
 */
export type RequirementIndex = ReadonlyMap<string, RequirementBinding[]>;

export function buildRequirementIndex(profile: LoadedProfile): RequirementIndex {
  const index = new Map<string, RequirementBinding[]>();
  for (const requirement of profile.requirements) {
    for (const check of requirement.checks) {
      const list = index.get(check) ?? [];
      list.push({ requirement: requirement.id, level: requirement.level });
      index.set(check, list);
    }
  }
  return index;
}

const GENERIC: RequirementBinding[] = [{ requirement: null, level: 'MUST' }];

export function bindingsFor(index: RequirementIndex, checkId: string): RequirementBinding[] {
  return index.get(checkId) ?? GENERIC;
}
