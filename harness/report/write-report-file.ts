import { randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import { open, rename, rm } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { HarnessError } from '../errors.js';

/** Open flags for a temporary file: created here and now, never an existing file or a symlink. */
const EXCLUSIVE_CREATE = constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | (constants.O_NOFOLLOW ?? 0);

/**
 * Writes one report file into `outDir` and returns its absolute path.
 *
 * The content goes to a temporary sibling with a random name, created
 * exclusively (`wx`, and `O_NOFOLLOW` where the platform has it), so a file or
 * symlink planted at that path is never written through; it is then renamed
 * into place, which replaces whatever is at the destination (a planted
 * symlink included) rather than following it. A CI step or a reader never
 * picks up a half-written report.json from a run killed mid-write. A failure
 * is OUTPUT_UNWRITABLE naming the file: the folder is the user's to fix.
 *
 * `fileName` must be a plain file name: a separator or `..` is a harness bug.
 *
 * @example
 *   const path = await writeReportFile('/tmp/out', 'report.json', text); // '/tmp/out/report.json'
 */
export async function writeReportFile(outDir: string, fileName: string, content: string): Promise<string> {
  if (fileName !== basename(fileName) || fileName === '..' || fileName === '.' || fileName.includes('\\') || fileName.includes('\0')) {
    throw new Error(`report file name ${JSON.stringify(fileName)} is not a plain file name`);
  }
  const target = resolve(outDir, fileName);
  let temporary: string | undefined;
  try {
    const created = await createTemporary(outDir, fileName);
    temporary = created.path;
    try {
      await created.handle.writeFile(content, 'utf8');
    } finally {
      await created.handle.close();
    }
    await rename(temporary, target);
  } catch (error) {
    if (temporary !== undefined) await rm(temporary, { force: true }).catch(() => undefined);
    const reason = error instanceof Error ? error.message : String(error);
    throw new HarnessError('OUTPUT_UNWRITABLE', `cannot write ${target}: ${reason}`, { cause: error });
  }
  return target;
}

/** A new, empty file beside the target with an unguessable name; retried if the name is somehow taken. */
async function createTemporary(outDir: string, fileName: string) {
  for (let attempt = 0; ; attempt++) {
    const path = join(outDir, `.${fileName}.${randomBytes(8).toString('hex')}.tmp`);
    try {
      return { path, handle: await open(path, EXCLUSIVE_CREATE, 0o644) };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST' || attempt >= 4) throw error;
    }
  }
}
