import { parseArgs } from 'node:util';
import { resolve } from 'node:path';
import { HarnessError } from '../errors.js';
import { sanitizeTerminalText } from '../report/terminal-text.js';
import type { CommandIo } from './run-command.js';

/**
 * `interop-harness serve [--port N] [--host H] [--data DIR]`: the evaluation
 * workspace. Embedded database in `--data` (default ./interop-data) with an
 * in-process worker, or the PostgreSQL server of DATABASE_URL (then runs are
 * executed by `interop-harness worker` processes; `--worker` adds one here too).
 * Prints `listening <url>` as its first stdout line once it accepts requests.
 *
 * @example
 *   await serveCommand(['--port', '0'], io); // stdout: listening http://127.0.0.1:41234
 */
export async function serveCommand(args: string[], io: CommandIo): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args,
      strict: true,
      allowPositionals: false,
      options: { port: { type: 'string', short: 'p' }, host: { type: 'string' }, data: { type: 'string' }, worker: { type: 'boolean', default: false }, 'secure-cookies': { type: 'boolean', default: false } },
    }));
  } catch (error) {
    throw new HarnessError('USAGE', error instanceof Error ? error.message : String(error));
  }
  const port = parsePort(values.port ?? io.env.PORT ?? '8080');
  const host = values.host ?? '127.0.0.1';
  const note = (line: string) => io.stderr.write(`interop-harness: ${sanitizeTerminalText(line)}\n`);
  const { openService } = await import('../service/open-service.js');
  const { buildApp } = await import('../service/app.js');
  const embedded = !io.env.DATABASE_URL;
  const service = await openService({ env: io.env, dataDir: resolve(io.cwd, values.data ?? 'interop-data'), worker: embedded || values.worker, note });
  let app;
  try {
    app = await buildApp({ context: service.context, plugins: await pagePlugins(values['secure-cookies']), logServerError: (line) => note(`server error ${line}`) });
    await app.listen({ port, host });
  } catch (error) {
    await app?.close().catch(() => {});
    await service.close();
    throw new HarnessError('LISTEN_FAILED', `cannot listen on ${host}:${port}: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
  const address = app.server.address();
  const actualPort = typeof address === 'object' && address ? address.port : port;
  const shownHost = host.includes(':') ? `[${host}]` : host;
  io.stdout.write(`listening http://${shownHost}:${actualPort}\n`);
  note(embedded ? `embedded database in ${resolve(io.cwd, values.data ?? 'interop-data')}, with an in-process worker` : `database ${new URL(io.env.DATABASE_URL!).host}; runs are executed by \`interop-harness worker\` processes${values.worker ? ' and one in this process' : ''}`);
  await new Promise<void>((done) => {
    process.once('SIGINT', done);
    process.once('SIGTERM', done);
  });
  await app.close();
  await service.close();
  return 0;
}

/**
 * The workspace's pages beside the API. `--secure-cookies`: the service sits
 * behind a TLS-terminating proxy, so its session cookie is Secure although
 * requests reach it over http.
 */
async function pagePlugins(secureCookies: boolean) {
  const { workspacePages } = await import('../web/workspace-pages.js');
  return [workspacePages({ secureCookies })];
}

function parsePort(raw: string): number {
  const port = Number(raw);
  if (!/^\d+$/.test(raw) || !Number.isInteger(port) || port < 0 || port > 65535) throw new HarnessError('USAGE', `--port must be a whole number from 0 to 65535, got ${JSON.stringify(raw)}`);
  return port;
}
