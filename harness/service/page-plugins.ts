import type { ServicePlugin } from './app.js';

/**
 * The route plugins `serve` registers beside the API: the HTML pages
 * (branch ws-web adds its plugin here). Kept as one list so the CLI and tests
 * build the same app.
 *
 * @example
 *   const app = await buildApp({ context, plugins: servicePagePlugins() });
 */
export function servicePagePlugins(): ServicePlugin[] {
  return [];
}
