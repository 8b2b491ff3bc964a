import { rename, rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { HarnessError } from '../errors.js';

/**
 * Writes one report file into `outDir` and returns its absolute path.
 *
 * The content goes to a temporary sibling first and is renamed into place, so
 * a CI step or a reader never picks up a half-written report.json from a run
 * that was killed mid-write. A failure is OUTPUT_UNWRITABLE naming the file:
 * the folder is the user's to fix, not a harness bug.
 *
 * @example
 *   const path = await writeReportFile('/tmp/out', 'report.json', text); // '/tmp/out/report.json'
 */
export async function writeReportFile(outDir: string, fileName: string, content: string): Promise<string> {
  const target = resolve(outDir, fileName);
  const temporary = join(outDir, `.${fileName}.${process.pid}.tmp`);
  try {
    await writeFile(temporary, content, 'utf8');
    await rename(temporary, target);
  } catch (error) {
    await rm(temporary, { force: true }).catch(() => undefined);
    const reason = error instanceof Error ? error.message : String(error);
    throw new HarnessError('OUTPUT_UNWRITABLE', `cannot write ${target}: ${reason}`, { cause: error });
  }
  return target;
}
