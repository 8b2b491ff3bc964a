/**
 * The evaluation workspace for tests: the real service (database, queue,
 * in-process worker, API and pages) on an ephemeral loopback port, in
 * embedded mode under a fresh data folder, with accounts made through the
 * core's own workspace operations (as an administrator would).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../harness/service/app.js';
import type { Role } from '../../harness/service/domain.js';
import { openService, type OpenService } from '../../harness/service/open-service.js';
import { accountByEmail } from '../../harness/service/store/accounts-repository.js';
import { workspacePages } from '../../harness/web/workspace-pages.js';

export interface RunningWorkspace {
  url: string;
  service: OpenService;
  app: FastifyInstance;
  /** Creates an account with a password, as the bootstrap administrator. */
  createAccount(input: { email: string; password: string; role: Role; supplier?: string }): Promise<{ id: string }>;
  close(): Promise<void>;
}

/**
 * @example
 *   const workspace = await startWorkspace();
 *   await workspace.createAccount({ email: 'lead@force.example', password: 'a long passphrase', role: 'evaluator' });
 */
export async function startWorkspace(options: { env?: NodeJS.ProcessEnv } = {}): Promise<RunningWorkspace> {
  const dataDir = await mkdtemp(join(tmpdir(), 'interop-workspace-'));
  const env: NodeJS.ProcessEnv = { INTEROP_BOOTSTRAP_TOKEN: 'ih_test-bootstrap-token-0123456789', ...options.env };
  const service = await openService({ env, ...(env.DATABASE_URL ? {} : { dataDir }), worker: !env.DATABASE_URL, note: () => undefined });
  const app = await buildApp({ context: service.context, plugins: [workspacePages()] });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = app.server.address() as AddressInfo;
  const admin = (await accountByEmail(service.context.db, 'admin@localhost'))!;
  return {
    url: `http://127.0.0.1:${port}`,
    service,
    app,
    async createAccount(input) {
      const account = await service.context.workspace.createAccount(admin, {
        email: input.email,
        name: input.email,
        role: input.role,
        password: input.password,
        ...(input.supplier ? { supplier: input.supplier } : {}),
      });
      return { id: account.id };
    },
    async close() {
      await app.close();
      await service.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
