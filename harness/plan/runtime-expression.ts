import { resolvePointer } from '../json-pointer.js';

/** One finished exchange, as OpenAPI runtime expressions see it. */
export interface ExpressionContext {
  url: string;
  method: string;
  statusCode: number;
  /** Path parameter values the request used, by name. */
  pathValues: Record<string, string>;
  requestHeaders: Record<string, string>;
  /** The request body, parsed as JSON when it was. */
  requestBody?: unknown;
  /** Response headers with lower-case names. */
  responseHeaders: Record<string, string>;
  /** The response body, parsed as JSON when it was. */
  responseBody?: unknown;
}

/**
 * Evaluate an OpenAPI runtime expression (a link's parameter value):
 * `$url`, `$method`, `$statusCode`, `$request.path.x`, `$request.query.x`,
 * `$request.header.x`, `$request.body#/ptr`, `$response.header.x`,
 * `$response.body#/ptr`, or a string embedding them in braces
 * (`items/{$response.body#/id}`). A value that is not an expression is a
 * constant and comes back as written; an expression naming nothing gives undefined.
 *
 * @example
 *   evaluateExpression('$response.body#/id', { ...context, responseBody: { id: 7 } }); // 7
 */
export function evaluateExpression(expression: unknown, context: ExpressionContext): unknown {
  if (typeof expression !== 'string') return expression;
  if (expression.startsWith('$')) return evaluateOne(expression, context);
  if (!expression.includes('{$')) return expression;
  let missing = false;
  const text = expression.replace(/\{(\$[^}]+)\}/g, (_match, inner: string) => {
    const value = evaluateOne(inner, context);
    if (value === undefined || (value !== null && typeof value === 'object')) missing = true;
    return String(value);
  });
  return missing ? undefined : text;
}

function evaluateOne(expression: string, context: ExpressionContext): unknown {
  if (expression === '$url') return context.url;
  if (expression === '$method') return context.method;
  if (expression === '$statusCode') return context.statusCode;
  const match = /^\$(request|response)\.(path|query|header|body)(?:\.([^#]+)|(#.*))?$/.exec(expression);
  if (!match) return undefined;
  const [, side, source, name, pointer] = match;
  if (source === 'body') {
    const body = side === 'request' ? context.requestBody : context.responseBody;
    if (pointer === undefined || pointer === '#') return body;
    const found = resolvePointer(body, pointer);
    return found.found ? found.value : undefined;
  }
  if (name === undefined) return undefined;
  if (side === 'response') return source === 'header' ? context.responseHeaders[name.toLowerCase()] : undefined;
  if (source === 'path') return Object.hasOwn(context.pathValues, name) ? context.pathValues[name] : undefined;
  if (source === 'header') {
    const entry = Object.entries(context.requestHeaders).find(([key]) => key.toLowerCase() === name.toLowerCase());
    return entry?.[1];
  }
  const values = new URL(context.url).searchParams.getAll(name);
  return values.length === 0 ? undefined : values.length === 1 ? values[0] : values;
}

