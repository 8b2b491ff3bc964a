import { spawn } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import t from 'tap';
import { signReport } from '../../harness/report/report-signature.js';
import { buildSampleReport } from '../report/sample-report.js';
import { runCli } from '../support/run-cli.js';

/**
 * Every command, run as a real child process, with hostile text in every
 * place it can come from (a profile's ids, statements and paths, a report's
 * fields, a file name, an unknown command or flag): no raw escape sequence,
 * control character, bidi or zero-width character reaches stdout or stderr.
 */

const root = join(import.meta.dirname, '..', '..');
const bin = join(root, 'harness', 'cli', 'bin.ts');

/** ESC, CSI clear, OSC 8 hyperlink, 8-bit CSI, NEL, BEL, backspace, CR, bidi override, zero-width space, isolate, soft hyphen, tag character. */
const HOSTILE = 'x\x1b[2J\x1b]8;;http://evil.example\x07link\x1b]8;;\x07\x9b31m\x85\x07\x08\rover\u202eLIAF\u200b\u2066y\u00ad\u{e0041}';
/** Without the characters a file name or URL cannot hold. */
const HOSTILE_NAME = 'r\x1b[2J\x9b31m\x07\u202eLIAF\u200b';

/** Raw bytes no output may carry. A CR is allowed only as part of CRLF (CSV line ends). */
const FORBIDDEN = /[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u00ad\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]|\r(?!\n)|\udb40[\udc00-\udc7f]/u;

function spawnCli(args: string[], cwd: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', bin, ...args], { cwd, env: { ...process.env, NO_COLOR: '1' } });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (c: Buffer) => out.push(c));
    child.stderr.on('data', (c: Buffer) => err.push(c));
    child.on('close', (code) => resolve({ code, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') }));
  });
}

function hostileProfile(): object {
  return {
    openapi: '3.1.0',
    info: { title: `Hostile ${HOSTILE}`, version: '1' },
    'x-interop': {
      id: `id-${HOSTILE}`,
      version: '0.1.0',
      status: 'draft',
      requirements: [
        { id: `R-${HOSTILE}`, level: 'MUST', statement: `=cmd|' /C calc'!A0 ${HOSTILE}`, checks: ['response-schema'], source: { standard: HOSTILE } },
        { id: 'R-2', level: 'SHOULD', statement: `+${HOSTILE}`, checks: [`check-${HOSTILE}`] },
      ],
    },
    paths: {
      [`/things/${HOSTILE}`]: {
        get: {
          operationId: `list${HOSTILE}`,
          parameters: [{ name: 'q', in: 'query', required: true, schema: { type: 'string' }, example: HOSTILE }],
          responses: { '200': { description: HOSTILE } },
        },
      },
    },
  };
}

function hostileReport(): Record<string, unknown> {
  const report = buildSampleReport() as unknown as Record<string, unknown>;
  const r = report as unknown as ReturnType<typeof buildSampleReport>;
  r.profile.id = `id-${HOSTILE}`;
  r.profile.version = `1${HOSTILE}`;
  r.harness.version = HOSTILE;
  r.target.url = 'https://evil.example/\u202eLIAF\u200b\x9b31m';
  r.requirements[0]!.id = `R-${HOSTILE}`;
  r.requirements[0]!.statement = HOSTILE;
  for (const result of r.results) {
    result.message = HOSTILE;
    if (result.requirement !== null) result.requirement = `R-${HOSTILE}`;
  }
  return report;
}

t.test('no command lets a raw control, escape, bidi or zero-width character out', async (t) => {
  const dir = t.testdir();
  const profile = join(dir, 'hostile.json');
  await writeFile(profile, JSON.stringify(hostileProfile()));
  const report = join(dir, 'report.json');
  const reportText = JSON.stringify(hostileReport(), null, 2);
  await writeFile(report, reportText);
  const other = join(dir, `${HOSTILE_NAME}.json`);
  await writeFile(other, reportText.replace('"verdict":', '"verdict": "x", "verdict":'));
  const keys = generateKeyPairSync('ed25519');
  await writeFile(join(dir, 'signer.pub'), keys.publicKey.export({ type: 'spki', format: 'pem' }));
  await writeFile(`${report}.sig`, JSON.stringify(signReport(Buffer.from(reportText), keys.privateKey)));
  const tampered = join(dir, 'tampered.json');
  await writeFile(tampered, reportText.replace('"results": [', `"${HOSTILE}": 1, "results": [`));
  await writeFile(`${tampered}.sig`, JSON.stringify(signReport(Buffer.from(reportText), keys.privateKey)));

  // [what, argv, allowed exit codes, run as a child process]. The rest run in-process through the same main(), output guard included:
  // a child process each would be the same code path at a few seconds apiece on a shared machine.
  const commands: Array<[string, string[], number[], boolean?]> = [
    ['run --dry-run', ['run', '--profile', profile, '--target', 'http://127.0.0.1:9', '--dry-run'], [0, 2], true],
    ['requirements (table)', ['requirements', profile], [0], true],
    ['requirements --format md', ['requirements', profile, '--format', 'md'], [0]],
    ['requirements --format csv', ['requirements', profile, '--format', 'csv'], [0]],
    ['requirements --format json', ['requirements', profile, '--format', 'json'], [0]],
    ['lint-profile', ['lint-profile', profile], [1]],
    ['profiles', ['profiles'], [0]],
    ['compare (Markdown on stdout)', ['compare', report, report], [0], true],
    ['compare --out', ['compare', report, report, '--out', join(dir, `${HOSTILE_NAME}.md`)], [0]],
    ['compare, a hostile file name with a duplicate key', ['compare', report, other], [2]],
    ['verify, verified', ['verify', report, '--key', join(dir, 'signer.pub')], [0], true],
    ['verify, a hostile key added', ['verify', tampered, '--key', join(dir, 'signer.pub')], [1]],
    ['verify, a hostile missing file', ['verify', other, '--key', join(dir, 'signer.pub')], [2]],
    ['keygen, a hostile path', ['keygen', '--out', join(dir, HOSTILE_NAME)], [0]],
    ['an unknown command', [HOSTILE], [2], true],
    ['an unknown flag', ['run', `--${HOSTILE_NAME}`], [2]],
    ['a hostile profile path', ['run', '--profile', join(dir, HOSTILE_NAME), '--target', 'http://127.0.0.1:9'], [2]],
  ];
  // Three children at a time: the machine is shared, and each child starts its own TypeScript loader.
  const outcomes = new Map<string, Awaited<ReturnType<typeof spawnCli>>>();
  const queue = [...commands];
  await Promise.all(
    Array.from({ length: 3 }, async () => {
      for (let next = queue.shift(); next !== undefined; next = queue.shift()) outcomes.set(next[0], next[3] ? await spawnCli(next[1], dir) : await runCli(next[1], { cwd: dir }));
    }),
  );
  for (const [what, , codes] of commands) {
    const outcome = outcomes.get(what)!;
    t.ok(codes.includes(outcome.code ?? -1), `${what}: exit ${outcome.code} (${outcome.stderr.trim().slice(0, 200)})`);
    for (const [stream, text] of [['stdout', outcome.stdout], ['stderr', outcome.stderr]] as const) {
      const found = FORBIDDEN.exec(text);
      t.equal(found, null, `${what}: ${stream} is clean`, { near: found ? JSON.stringify(text.slice(Math.max(0, found.index - 30), found.index + 30)) : undefined });
    }
    t.notMatch(outcome.stderr, /\n\s+at /, `${what}: no stack trace`);
  }

  // Hidden characters are shown, not dropped: a reader can see something was there.
  t.match(outcomes.get('requirements (table)')!.stdout, /⟨U\+202E⟩LIAF⟨U\+200B⟩⟨U\+2066⟩y/);
  const csv = outcomes.get('requirements --format csv')!.stdout;
  t.match(csv, /"'=cmd\|' \/C calc'!A0 /, 'CSV: a formula is prefixed with a quote');
  t.match(csv, /"'\+x/, 'CSV: so is a leading +');
  const parsed = JSON.parse(outcomes.get('requirements --format json')!.stdout) as Array<{ id: string }>;
  t.equal(parsed[0]!.id, `R-${HOSTILE}`, 'JSON: escaped for the terminal, yet the same value');
  t.match(outcomes.get('requirements --format md')!.stdout, /⟨U\+001B⟩\\\[2J/, 'Markdown: the escape shown, the bracket escaped');
});
