/**
 * The pages as the service registers them: a `ServicePlugin` for
 * `buildApp({ plugins })`, in its own fastify scope so its form parser,
 * hooks and headers never touch `/api`.
 */
import type { FastifyInstance } from 'fastify';
import type { ServiceContext, ServicePlugin } from '../service/app.js';
import { createWebPlugin, type WebPluginOptions } from './web-plugin.js';
import { createWorkspacePort } from './workspace-port.js';

/**
 * @example
 *   const app = await buildApp({ context: service.context, plugins: [workspacePages({ secureCookies: true })] });
 */
export function workspacePages(options: Omit<WebPluginOptions, 'port'> = {}): ServicePlugin {
  return async function registerWorkspacePages(app: FastifyInstance, context: ServiceContext): Promise<void> {
    await app.register(createWebPlugin({ ...options, port: createWorkspacePort(context) }));
  };
}
