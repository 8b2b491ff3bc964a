/**
 * The CLI as `bin.ts` runs it, plus one thing: at exit, the process's peak
 * resident set size (kilobytes, from `process.resourceUsage().maxRSS`) is
 * written to the file named by the first argument. Used by the all-behaviours
 * test, which cannot read a child's /proc status after it has exited.
 *
 * @example
 *   node --import tsx test/hostile/support/cli-peak-memory.ts /tmp/rss run --profile … --target …
 */
import { writeFileSync } from 'node:fs';
import { main } from '../../../harness/cli/main.js';

const [rssFile, ...argv] = process.argv.slice(2);
if (rssFile === undefined) throw new Error('usage: cli-peak-memory.ts <rss-file> <cli arguments…>');
process.on('exit', () => writeFileSync(rssFile, String(process.resourceUsage().maxRSS)));
process.exitCode = await main(argv, { stdout: process.stdout, stderr: process.stderr, env: process.env, cwd: process.cwd() });
