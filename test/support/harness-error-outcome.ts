import { HarnessError } from '../../harness/errors.js';

/**
 * How a promise settled, as a HarnessError's code and message: `resolved`
 * when it did not throw, `not a HarnessError: …` when it threw something else.
 */
export async function outcomeOf(promise: Promise<unknown>): Promise<{ code: string; message: string }> {
  try {
    await promise;
    return { code: 'resolved', message: '' };
  } catch (error) {
    if (error instanceof HarnessError) return { code: error.code, message: error.message };
    return { code: `not a HarnessError: ${String(error)}`, message: String(error) };
  }
}
