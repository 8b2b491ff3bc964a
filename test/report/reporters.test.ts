import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import t from 'tap';
import { HarnessError } from '../../harness/errors.js';
import type { Reporter, ReporterContext } from '../../harness/report/reporter.js';
import { DEFAULT_FORMATS, REPORTERS, runReporters, selectReporters } from '../../harness/report/reporters.js';
import { buildSampleReport } from './sample-report.js';

function context(outDir: string): ReporterContext {
  return { outDir, stdout: process.stdout, color: false };
}

t.test('REPORTERS holds the file formats', async (t) => {
  t.same(Object.keys(REPORTERS), ['json', 'junit', 'html', 'md']);
  t.equal(REPORTERS.json().name, 'json');
  t.equal(REPORTERS.junit().name, 'junit');
  t.equal(REPORTERS.html().name, 'html');
  t.equal(REPORTERS.md().name, 'md');
  t.same(DEFAULT_FORMATS, ['json', 'junit', 'html'], 'a force gets the HTML page without asking');
});

t.test('selectReporters makes one reporter per format, in order, without repeats', async (t) => {
  t.same(selectReporters(['junit', 'json']).map((r) => r.name), ['junit', 'json']);
  t.same(selectReporters([' JSON', 'json', 'junit ']).map((r) => r.name), ['json', 'junit']);
  t.same(selectReporters([]), []);
});

t.test('an unknown format is a USAGE error naming it and the valid ones', async (t) => {
  t.throws(() => selectReporters(['json', 'xml']), {
    name: 'HarnessError',
    code: 'USAGE',
    message: 'unknown report format "xml" (valid: json, junit, html, md)',
  });
  t.throws(() => selectReporters(['toString']), { code: 'USAGE' }, 'inherited names are not formats');
  t.throws(() => selectReporters(['__proto__']), { code: 'USAGE' });
});

t.test('runReporters writes every file and returns their paths in order', async (t) => {
  const outDir = t.testdir();
  const files = await runReporters(
    [...selectReporters(['json', 'junit']), { name: 'events-only', onEvent: () => undefined }],
    buildSampleReport(),
    context(outDir),
  );
  t.same(files, [join(outDir, 'report.json'), join(outDir, 'junit.xml')]);
  t.same((await readdir(outDir)).sort(), ['junit.xml', 'report.json'], 'no temporary files left behind');
});

t.test('a throwing reporter is REPORTER_FAILED naming it, and later reporters do not run', async (t) => {
  const outDir = t.testdir();
  let laterRan = false;
  const broken: Reporter = {
    name: 'junit',
    finish: () => {
      throw new TypeError("Cannot read properties of undefined (reading 'path')");
    },
  };
  const later: Reporter = { name: 'later', finish: () => ((laterRan = true), []) };
  const error = await runReporters([broken, later], buildSampleReport(), context(outDir)).catch((e: unknown) => e);
  t.ok(error instanceof HarnessError);
  t.match(error, {
    code: 'REPORTER_FAILED',
    message: `reporter "junit" failed: Cannot read properties of undefined (reading 'path')`,
  });
  t.type((error as HarnessError).cause, TypeError, 'keeps the original as cause');
  t.notOk(laterRan);

  const rejecting: Reporter = { name: 'async-one', finish: async () => Promise.reject('a string, not an Error') };
  await t.rejects(runReporters([rejecting], buildSampleReport(), context(outDir)), {
    code: 'REPORTER_FAILED',
    message: 'reporter "async-one" failed: a string, not an Error',
  });
});

t.test('a file that cannot be written stays OUTPUT_UNWRITABLE', async (t) => {
  const outDir = join(t.testdir(), 'missing');
  await t.rejects(runReporters(selectReporters(['junit']), buildSampleReport(), context(outDir)), {
    code: 'OUTPUT_UNWRITABLE',
    message: /junit\.xml/,
  });
});
