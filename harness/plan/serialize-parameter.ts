/**
 * Parameter values to URL and header text, per the OpenAPI 3 `style` and
 * `explode` rules (which follow RFC 6570): `simple`, `label` and `matrix` for
 * path parameters, `form`, `spaceDelimited`, `pipeDelimited` and `deepObject`
 * for query parameters, `simple` for headers, `form` for cookies.
 */

import { takesJsonText } from '../media-type.js';
import type { ParameterSpec } from '../profile/profile-types.js';

type Pairs = Array<[string, string]>;

/** What writing a parameter's value needs: its name and style, or the media type its `content` gives. */
export type ParameterForm = Pick<ParameterSpec, 'name' | 'style' | 'explode' | 'mediaType'>;

/** How a value is held: a value to write (an example, a generated one), or the text to send as it is (a `--var`). */
export type ValueForm = 'value' | 'verbatim';

/**
 * A value of a parameter described by `content`: written whole in its media
 * type (OpenAPI 3.0 4.7.12.1), the JSON text for a JSON one, else its plain
 * text.
 *
 * @example contentText({ limit: 2 }, 'application/json') // '{"limit":2}'
 * @example contentText('42', 'application/json') // '"42"'
 */
export function contentText(value: unknown, mediaType: string, form: ValueForm = 'value'): string {
  if (form === 'verbatim' && typeof value === 'string') return value;
  return takesJsonText(mediaType) ? (JSON.stringify(value) ?? '') : scalarText(value);
}

/**
 * A query parameter's name/value pairs, by its style or its media type.
 *
 * @example queryPairs({ name: 'filter', mediaType: 'application/json' }, { limit: 2 }) // [['filter', '{"limit":2}']]
 * @example queryPairs({ name: 'tag' }, ['a', 'b']) // [['tag', 'a'], ['tag', 'b']]
 */
export function queryPairs(parameter: ParameterForm, value: unknown, form: ValueForm = 'value'): Pairs {
  if (parameter.mediaType !== undefined) return [[parameter.name, contentText(value, parameter.mediaType, form)]];
  return serializeQuery(parameter.name, value, parameter.style, parameter.explode ?? (parameter.style ?? 'form') === 'form');
}

/** A path parameter's text in the path, by its style or its media type (percent-encoded either way). */
export function pathText(parameter: ParameterForm, value: unknown, form: ValueForm = 'value'): string {
  if (parameter.mediaType !== undefined) return encodeURIComponent(contentText(value, parameter.mediaType, form));
  return serializePathValue(parameter.name, value, parameter.style, parameter.explode ?? false);
}

/** A header parameter's value, by its style (`simple`) or its media type. */
export function headerText(parameter: ParameterForm, value: unknown, form: ValueForm = 'value'): string {
  if (parameter.mediaType !== undefined) return contentText(value, parameter.mediaType, form);
  return serializeHeader(value, parameter.explode ?? false);
}

/** A cookie parameter's value, percent-encoded: `form` style, or its media type. */
export function cookieText(parameter: ParameterForm, value: unknown, form: ValueForm = 'value'): string {
  return encodeURIComponent(parameter.mediaType !== undefined ? contentText(value, parameter.mediaType, form) : serializeHeader(value));
}

/**
 * A path parameter's value as it goes into the path: each value
 * percent-encoded, the style's separators literal.
 *
 * @example
 *   serializePathValue('id', [3, 4], 'matrix', true) // ';id=3;id=4'
 */
export function serializePathValue(name: string, value: unknown, style = 'simple', explode = false): string {
  const encode = encodeURIComponent;
  const items = listOf(value);
  const entries = entriesOf(value);
  switch (style) {
    case 'label': {
      if (entries) return '.' + entries.map(([k, v]) => (explode ? `${encode(k)}=${encode(v)}` : `${encode(k)},${encode(v)}`)).join(explode ? '.' : ',');
      return '.' + items.map(encode).join(explode ? '.' : ',');
    }
    case 'matrix': {
      if (entries) return explode ? entries.map(([k, v]) => `;${encode(k)}=${encode(v)}`).join('') : `;${encode(name)}=${entries.flat().map(encode).join(',')}`;
      if (Array.isArray(value) && explode) return items.map((item) => `;${encode(name)}=${encode(item)}`).join('');
      return `;${encode(name)}=${items.map(encode).join(',')}`;
    }
    default: {
      if (entries) return entries.map(([k, v]) => (explode ? `${encode(k)}=${encode(v)}` : `${encode(k)},${encode(v)}`)).join(',');
      return items.map(encode).join(',');
    }
  }
}

/**
 * A query parameter as name/value pairs (unencoded: URLSearchParams encodes).
 *
 * @example
 *   serializeQuery('filter', { color: 'red' }, 'deepObject', true) // [['filter[color]', 'red']]
 */
export function serializeQuery(name: string, value: unknown, style = 'form', explode = true): Pairs {
  const items = listOf(value);
  const entries = entriesOf(value);
  switch (style) {
    case 'deepObject':
      return entries ? entries.map(([k, v]) => [`${name}[${k}]`, v]) : [[name, items.join(',')]];
    case 'spaceDelimited':
    case 'pipeDelimited': {
      const separator = style === 'spaceDelimited' ? ' ' : '|';
      if (Array.isArray(value) && explode) return items.map((item) => [name, item]);
      return [[name, (entries ? entries.flat() : items).join(separator)]];
    }
    default: {
      if (entries) return explode ? entries : [[name, entries.flat().join(',')]];
      if (Array.isArray(value) && explode) return items.map((item) => [name, item]);
      return [[name, items.join(',')]];
    }
  }
}

/** A header value: `simple` style. */
export function serializeHeader(value: unknown, explode = false): string {
  const entries = entriesOf(value);
  if (entries) return entries.map(([k, v]) => (explode ? `${k}=${v}` : `${k},${v}`)).join(',');
  return listOf(value).join(',');
}

/**
 * The whole query string from one value (an OpenAPI 3.2 `in: querystring`
 * parameter): a form from an object's members (a list repeats its name, an
 * object member is written as JSON), or the JSON text itself for a JSON media
 * type. Undefined when the value has no such form.
 *
 * @example serializeQuerystring({ name: 'one', tag: ['a', 'b'] }, 'application/x-www-form-urlencoded') // 'name=one&tag=a&tag=b'
 * @example serializeQuerystring({ name: 'one' }, 'application/json') // '%7B%22name%22%3A%22one%22%7D'
 */
export function serializeQuerystring(value: unknown, mediaType: string): string | undefined {
  if (takesJsonText(mediaType)) return value === undefined ? undefined : encodeURIComponent(JSON.stringify(value));
  if (typeof value === 'string') return new URLSearchParams(value).toString();
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
  const form = new URLSearchParams();
  const text = (item: unknown) => (item !== null && typeof item === 'object' ? JSON.stringify(item) : String(item));
  for (const [name, member] of Object.entries(value)) {
    if (member === undefined || member === null) continue;
    if (Array.isArray(member)) for (const item of member) form.append(name, text(item));
    else form.append(name, text(member));
  }
  return form.toString();
}

function listOf(value: unknown): string[] {
  return (Array.isArray(value) ? value : [value]).map(scalarText);
}

function entriesOf(value: unknown): Array<[string, string]> | undefined {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
  return Object.entries(value).map(([k, v]) => [k, scalarText(v)]);
}

function scalarText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}
