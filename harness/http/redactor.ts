/**
 * Keeps secrets out of everything the harness writes: evidence, curl lines,
 * reports. Suppliers echo what they receive (tokens in error bodies, cookies in
 * headers), so redaction works on values, not only on where a value is expected.
 */
import { setOwnValue } from '../json-pointer.js';
import { FORGED_API_KEY, FORGED_BEARER_TOKEN } from './forged-token.js';

/** What replaces a secret. */
export const REDACTED = '[redacted]';

/**
 * Secrets shorter than this are never searched for as substrings: replacing
 * `example` or `abc123` everywhere would shred the evidence (and a value that
 * short is no secret worth the name). Their known positions (headers, query
 * parameters, cookies) are still redacted, by position.
 */
export const MIN_SECRET_LENGTH = 8;

/** Header names that always carry credentials, whatever their value. */
const SENSITIVE_HEADER_NAMES = new Set(['authorization', 'proxy-authorization', 'cookie', 'set-cookie', 'x-api-key']);

/** Fragments that make any header name sensitive (`x-auth-token`, `api-key`, `x-session-id`...). */
const SENSITIVE_NAME_FRAGMENTS = ['token', 'secret', 'key', 'session', 'password', 'auth'];

/**
 * Authentication *challenges* name a scheme and realm, never a credential, and a
 * 401 without one is itself a finding: keep them readable in evidence.
 */
const CHALLENGE_HEADER_NAMES = new Set(['www-authenticate', 'proxy-authenticate']);

/** How a value of each `Authorization` scheme begins. */
const SCHEME_PREFIX: Record<NonNullable<SecretPlacement['scheme']>, RegExp> = { bearer: /^bearer\s/i, basic: /^basic\s/i };

/** Whether a sent header value is this placement's credential: the value itself, or after its scheme (`Bearer <token>`). */
function carries(placement: SecretPlacement, value: string): boolean {
  if (placement.scheme === undefined) return value === placement.value;
  const prefix = SCHEME_PREFIX[placement.scheme].exec(value);
  return prefix !== null && value.slice(prefix[0].length).trimStart() === placement.value;
}

/** The harness's forged bearer token, as an Authorization value (any case, any white space after the scheme). */
const FORGED_VALUE = new RegExp(`^bearer\\s+${FORGED_BEARER_TOKEN}$`, 'i');

/** Headers whose value is `<scheme> <credentials>`: the scheme stays, the credentials go. */
const SCHEMED_HEADER_NAMES = new Set(['authorization', 'proxy-authorization']);

/**
 * Field names (lower-cased, without `_`, `-` or `.`) whose values in a
 * supplier's responses are secrets: a name that is, or ends with, one of these
 * (`access_token`, `clientSecret`, `user.password`, `X-Api-Key`).
 */
const SECRET_FIELD_ENDINGS = [
  'token',
  'secret',
  'password',
  'passwd',
  'passphrase',
  'apikey',
  'privatekey',
  'accesskey',
  'secretkey',
  'credential',
  'credentials',
  'sessionid',
  'cookie',
  // Pairing and one-time codes: Homebridge's UI returns the HomeKit setupCode (and `pin`: see MASKED_FIELDS).
  'passcode',
  'setupcode',
];

/**
 * Response fields masked by their exact name only, and only in evidence: a
 * HomeKit pairing `pin`, but not `spin` or `mapPin`, and not a parameter the
 * planner would then never fill (a GPIO `pin`, India's `pincode`).
 */
const MASKED_FIELDS = new Set(['pin']);

/**
 * Words that, in the name of a link, say the link is itself a key: whoever
 * holds it acts as the user it was made for. n8n answers an invite with
 * `inviteAcceptUrl`, whose two ids alone claim the account (found on n8n
 * 1.123: anyone reading the report could sign up as the invited user); so do
 * reset, magic, verification, confirmation and activation links, Supabase's
 * `action_link`. Masked in evidence only: a parameter so named is still filled.
 */
const KEY_LINK_WORDS = ['invit', 'reset', 'magic', 'verif', 'confirm', 'activat', 'signup', 'accept', 'action', 'onetime', 'recover', 'claim'];

/** Words that hold a key link's word but say nothing of a key: `transactionUrl`, `acceptedTermsUrl`. */
const NOT_KEY_LINK_WORDS = /transaction|reaction|interaction|extraction|redaction|compaction|fraction|attraction|accepted|acceptance|acceptable/g;

/**
 * Whether a response field holds a link that is a key (see KEY_LINK_WORDS):
 * a name ending in url, uri, link or href (or their plurals), written in any
 * case and with any separators (`magiclink`, `pwResetLink`, `action_link`),
 * that holds one of those words once the harmless words that contain them
 * are set aside (review: a word-by-word test missed `magiclink`, a substring
 * test alone masked `transactionUrl`).
 *
 * @example isKeyLinkName('resetPasswordLink') // true
 * @example isKeyLinkName('transactionUrl') // false
 */
export function isKeyLinkName(name: string): boolean {
  const normal = normaliseFieldName(name);
  if (!/(url|uri|link|href)s?$/.test(normal)) return false;
  const meaningful = normal.replace(NOT_KEY_LINK_WORDS, ' ');
  return KEY_LINK_WORDS.some((word) => meaningful.includes(word));
}

/**
 * Names that carry none of KEY_LINK_WORDS yet, holding a link, hold a key:
 * Auth0's password-change and email-verification `ticket` (whoever opens it
 * sets the user's password) and Zoom's `start_url` (it starts the meeting as
 * its host). Masked only when the value is a link: a helpdesk's `ticket` is
 * an id or an object, and stays as evidence.
 */
const LINK_VALUED_KEYS = new Set(['ticket', 'ticketurl', 'starturl']);

/**
 * Whether a member is a key by its name and value together (LINK_VALUED_KEYS):
 * `value` as written in the text, a JSON string with its quotes or a form value.
 *
 * @example isKeyLinkMember('ticket', '"https://tenant.auth0.com/lo/reset?ticket=Xy"') // true
 * @example isKeyLinkMember('ticket', '4711') // false
 */
function isKeyLinkMember(name: string, value: string): boolean {
  return LINK_VALUED_KEYS.has(normaliseFieldName(name)) && /^"?https?(?::|%3a)/i.test(value);
}

/** Private keys written with spaces: PEM (`-----BEGIN … KEY-----`), PGP (`… KEY BLOCK-----`), PuTTY's files. */
const PRIVATE_KEY_TEXT = /-----BEGIN [A-Z0-9 ]*KEY(?: BLOCK)?-----|PuTTY-User-Key-File-\d/;

/** Whether a JSON string as written (`"abc`, `"abc\\"`) lacks its closing quote: the text was cut inside it. */
function unterminated(quoted: string): boolean {
  if (quoted.length < 2 || !quoted.endsWith('"')) return true;
  let backslashes = 0;
  for (let i = quoted.length - 2; i > 0 && quoted[i] === '\\'; i--) backslashes++;
  return backslashes % 2 === 1;
}

/** Whether a member is a secret by its name and value together: a key link (`isKeyLinkMember`) or a key (`isKeyValued`). */
function isSecretMember(name: string, value: string): boolean {
  return isKeyLinkMember(name, value) || isKeyValued(name, value);
}

/**
 * Field names masked in evidence only, by shapes too broad for the planner
 * (which never fills a secret-named parameter): found on Directus 11.3, whose
 * settings answer `mapbox_key` and whose collections held `signing_key`,
 * `secret_value` and `otp_code`, all written into the report as they came.
 * - a name ending in `key` holding a long key-like string (`isKeyValued`,
 *   judged with the value), but for the keys that name or order records
 *   (`primaryKey`, `sortKey`, `publicKey`: NOT_SECRET_KEYS) and a bare `key`;
 * - a name holding `secret` anywhere (`secretValue`, AWS's `SecretString`), but
 *   for one that names, dates or counts a secret (`secretName`, `secretArn`,
 *   `client_secret_expires_at`);
 * - a one-time or recovery code (`otp`, `mfaCode`, `recoveryCodes`).
 */
function isEvidenceSecretName(name: string): boolean {
  const normal = normaliseFieldName(name);
  // Vault AppRole's `secret_id` is the login's other half.
  if (normal.includes('secret')) return normal === 'secretid' || !NAMES_A_SECRET.test(normal);
  return ONE_TIME_CODE.test(normal);
}

/**
 * A name ending in `key` holding what looks like a key: a string of 16 or
 * more characters, with no white space and not only digits, a PEM, PGP or
 * PuTTY private key, or a string the excerpt cut short (its length unknown;
 * a form value that runs to the end of an excerpt cut there counts as one). Camunda names
 * its records by `processInstanceKey` (digits), Confluence a space by
 * `spaceKey` (`DEV`), Camunda 7 by `businessKey` (`order-4711`): shown.
 * A `mapbox_key`, `signing_key` or `license_key` value is long: masked.
 *
 * @example isKeyValued('signing_key', '"9f86d081884c7d659a2feaa0c55ad015"') // true
 * @example isKeyValued('processInstanceKey', '"2251799813685249"') // false
 */
function isKeyValued(name: string, value: string): boolean {
  const normal = normaliseFieldName(name);
  if (!normal.endsWith('key') || normal === 'key' || NOT_SECRET_KEYS.test(normal)) return false;
  const quoted = value.startsWith('"');
  // A string the excerpt cut short (no closing quote) may be any key's start: no prefix of a key is shown.
  const cut = quoted && unterminated(value);
  const text = quoted ? value.slice(1, cut ? undefined : -1) : decodeURIComponentSafe(value);
  if (/^\d*$/.test(text)) return false;
  // A PEM block (`-----BEGIN PRIVATE KEY-----\n…`) holds spaces and line breaks.
  return cut || PRIVATE_KEY_TEXT.test(text) || (text.length >= 16 && !/\s/.test(text));
}

const NOT_SECRET_KEYS =
  /(primary|foreign|sort|partition|range|hash|row|cache|object|idempotency|public|sshpublic|translation|i18n|group|project|issue|feature|flag|setting|config|field|label|message|item|entity|resource|record|lookup|natural|composite|unique|index|column|table|map|attribute|property|option|locale|lang|display|event|topic|routing|shard|bucket|file|dedup|deduplication|correlation|tracking|reference|sequence|order|parent|child|version)key$/;
const NAMES_A_SECRET = /(id|ids|name|names|arn|type|types|count|ref|path|url|uri|version|at|date|expiry|expires|length|status|enabled|required|exists|present|set|rotated|policy)$/;
const ONE_TIME_CODE = /(otp|otpcode|totp|mfacode|twofactorcode|2facode|verificationcode|recoverycode|recoverycodes|backupcode|backupcodes|authcode|authorizationcode)$/;

/**
 * A JSON object that carries a name and a value as two members, in either
 * order: a Directus flow's outgoing headers (`{"header": "Authorization",
 * "value": "Bearer …"}`), Kubernetes' `env` (`{"name": "DB_PASSWORD", "value": …}`),
 * Postman's variables (`{"key": "token", "value": …}`). The value is a secret
 * when the name is one. Only when the two members stand side by side.
 */
const NAME_THEN_VALUE = /"(name|key|header|field|variable|param|parameter)"(\s*:\s*)"((?:[^"\\\n]|\\.){1,200})"(\s*,\s*"value"\s*:\s*)("(?:[^"\\\n]|\\.)*(?:"|\\?$)|-?\d[\d.eE+-]*)/g;
const VALUE_THEN_NAME = /"value"(\s*:\s*)("(?:[^"\\\n]|\\.)*"|-?\d[\d.eE+-]*)(\s*,\s*"(name|key|header|field|variable|param|parameter)"\s*:\s*)"((?:[^"\\\n]|\\.){1,200})"/g;

/**
 * Text that holds none of these holds no secret-named field, so masking can
 * skip it (most bodies). A name is matched with its separators stripped
 * (`pass_code` is `passcode`), so each word here must survive a separator
 * where a compound name takes one: `pass`, not `passw` or `passcode`, which
 * let `pass_word`, `pass_code`, `pass_phrase` and `setup_code` through unmasked.
 * Matched against the text lower-cased, not with the `i` flag: on a 2.4 KB
 * body that is 4 µs rather than 11, more than JSON.parse of the same body.
 * Lower-casing finds all the `i` flag would (and the Kelvin sign as `k`).
 */
const MAYBE_SECRET_NAME = new RegExp(
  [
    'token', 'secret', 'pass', 'key', 'credential', 'session', 'cookie', 'pin', 'invit', 'accept', 'reset', 'magic', 'activat',
    'confirm', 'verif', 'action', 'recover', 'claim', 'ticket', 'otp', 'mfa', 'factor', 'auth',
    // Compounds, with any separators where their words join (`Setup__Code`, `2_fa_code`, `back-up-code`).
    ...[['set', 'up', 'code'], ['sign', 'up'], ['one', 'time'], ['start', 'url'], ['2', 'fa'], ['back', 'up', 'code']].map((words) => words.join('[^a-z0-9"]*')),
  ].join('|'),
);

/**
 * Text the quick test cannot judge: a JSON escape in a name (`"\u0074oken"`),
 * a percent-escape in a form field's name (`%70assword=`, found by its last
 * escape, so that a long run of escapes is scanned once), or a letter that
 * lower-cases to ASCII (KELVIN SIGN to `k`, `İ` to `i`), each of which a
 * name is read through before it is matched. A name split inside one of the
 * quick test's words (`sec_ret`) is not read as that word by it: no API
 * names a field so, and allowing a separator between every letter would
 * cost every body's quick test two to three times as much.
 */
const NAMES_READ_OTHERWISE = /\\u|%[0-9a-f]{2}[^&#\s"'<>=%]*=|[\u212a\u0130]/i;

/** Names that end like a secret but are not one: pagination cursors. */
const NOT_SECRET_FIELDS = new Set(['pagetoken', 'nextpagetoken', 'nexttoken', 'continuationtoken', 'cursortoken', 'tokentype']);

/** A place in a request where a secret is written, so it can be redacted by position rather than by value. */
export interface SecretPlacement {
  in: 'header' | 'query' | 'cookie';
  name: string;
  /** The environment variable behind it: request evidence and curl lines say `${VAR}` there. */
  variable?: string;
  /** For Authorization: how the value is built, so `Bearer ${VAR}` keeps its scheme. */
  scheme?: 'bearer' | 'basic';
  /** For basic: the user and password variables, so a curl line can say `-u "${U}:${P}"`. */
  basicVariables?: [string, string];
  /** The credential sent there (the token, for bearer): tells which of two placements for one header a sent value came from. Never written anywhere. */
  value?: string;
}

export interface RedactorOptions {
  /** Where the run's credentials sit in its requests. */
  placements?: readonly SecretPlacement[];
  /** More response field names to mask (`--redact-field`), on top of the secret-like names. */
  fields?: readonly string[];
}

/** What a curl line may expand: the variables behind the placeholders the redactor wrote. */
export interface CurlVariables {
  /** Names that appear as `${NAME}` in request evidence. */
  variables: ReadonlySet<string>;
  /** For HTTP basic from the environment: `-u "${USER}:${PASS}"` instead of the redacted header. */
  basic?: [string, string];
}

export interface Redactor {
  /**
   * Every known secret (at least MIN_SECRET_LENGTH long), and its base64,
   * URL-encoded and JSON-escaped forms, replaced by `[redacted]`; so is the
   * value of every credential query parameter (`?api_key=…`).
   */
  text(s: string): string;
  /** Values of sensitive header names redacted outright; other values through `text()`. Names are kept as given. */
  headers(h: Record<string, string>): Record<string, string>;
  /**
   * Headers of a request the harness sent: credentials become `${VAR}` where
   * the run knows the environment variable they came from (so a curl line can
   * reproduce the request), `[redacted]` otherwise.
   */
  requestHeaders(h: Record<string, string>): Record<string, string>;
  /** A request URL: credential query parameters as `${VAR}` or `[redacted]`, the rest through `text()`. */
  requestUrl(url: string): string;
  /**
   * A redacted deep copy of a JSON-like value (strings and object keys through
   * `text()`); response body excerpts and schema error values also have their
   * secret-named fields masked.
   */
  deep<T>(value: T): T;
  /**
   * What `deep()` would return, without copying what redaction leaves as it
   * is: the value itself when nothing in it changes, else a copy of the
   * objects on the way to each change, sharing the rest with the input. For a
   * value its caller built and then lets go of (a run's results, put in its
   * report), where a copy of every object would be garbage at once. The
   * result serialises exactly as `deep()`'s does; what JSON leaves out (an
   * Error's non-enumerable `message`, say) stays readable, unredacted, on a
   * shared object, so keep such values out of what is passed here.
   *
   * @example
   *   const results = [{ message: 'ok' }];
   *   createRedactor([]).deepShared(results) === results; // true
   *   createRedactor(['s3cr3t-token']).deepShared([{ message: 'got s3cr3t-token' }]); // [{ message: 'got [redacted]' }], a new array and object
   */
  deepShared<T>(value: T): T;
  /**
   * The first `maxBytes` bytes decoded as UTF-8 (with replacement), redacted. A
   * secret that straddles the cut is redacted too, so no prefix of it survives.
   */
  excerpt(bytes: Uint8Array, maxBytes: number): string;
  /**
   * `excerpt()` of a supplier's response, with the values of secret-named fields masked as well.
   * `readInPart`: the bytes given are not the whole body (the client stopped reading), so they end mid-value.
   */
  responseExcerpt(bytes: Uint8Array, maxBytes: number, readInPart?: boolean): string;
  /**
   * Values of secret-named fields (`"token": "…"`, `password=…`) masked, in JSON or form text, complete or cut short.
   * `cutAtEnd`: the text is an excerpt cut at its end, so a form value that ends it may be a key's start.
   */
  maskFields(s: string, cutAtEnd?: boolean): string;
  /** The placeholders a curl line may turn back into shell variables. */
  curlVariables: CurlVariables;
  /** A redactor that also knows `extra` (e.g. credentials found in one request's headers). */
  withSecrets(extra: readonly string[]): Redactor;
  /**
   * Declare that `value` was built only from this redactor's output (the HTTP
   * client's evidence: URL, headers and names, excerpts, curl line, messages),
   * so `deep()` of this redactor, or of one it was extended from, keeps it as it
   * is instead of copying and redacting it a second time. A redactor extended
   * from this one (it knows more secrets) still copies it. Returns `value`.
   *
   * @example
   *   const evidence = redactor.markRedacted({ request: { method: 'GET', url: redactor.requestUrl(url), headers: {} }, durationMs: 3, curl });
   *   redactor.deep({ evidence }).evidence === evidence; // true
   */
  markRedacted<T extends object>(value: T): T;
}

/**
 * Build a redactor for a run's secrets (token, API keys, client secrets).
 *
 * @example
 *   const redactor = createRedactor([process.env.TOKEN ?? '']);
 *   redactor.text('{"echo":"s3cr3t-token"}'); // '{"echo":"[redacted]"}'
 *   redactor.headers({ Authorization: 'Bearer s3cr3t-token' }); // { Authorization: 'Bearer [redacted]' }
 *   createRedactor([], { placements: [{ in: 'query', name: 'api_key', variable: 'API_KEY' }] })
 *     .requestUrl('http://h/x?api_key=k1'); // 'http://h/x?api_key=${API_KEY}'
 */
export function createRedactor(secrets: readonly string[], options: RedactorOptions = {}): Redactor {
  return buildRedactor(secrets, options, []);
}

/**
 * `createRedactor`, with the sets of values marked redacted by the redactors
 * this one extends: what this one marks is safe for them too (it knows every
 * secret they know), never the other way round.
 */
function buildRedactor(secrets: readonly string[], options: RedactorOptions, ancestors: ReadonlyArray<WeakSet<object>>): Redactor {
  const marked = new WeakSet<object>();
  const lineage = [marked, ...ancestors];
  const known = [...new Set(secrets.filter((s) => typeof s === 'string' && s.length >= MIN_SECRET_LENGTH))];
  const forms = [...new Set(known.flatMap(encodedForms))].sort((a, b) => b.length - a.length);
  // One alternation, longest first, so overlapping forms are replaced in a single pass.
  // Case-insensitive: a supplier that echoes a token upper- or lower-cased still leaks it.
  const pattern = forms.length > 0 ? new RegExp(forms.map(escapeRegExp).join('|'), 'gi') : null;
  const longestForm = forms[0]?.length ?? 0;
  const placements = options.placements ?? [];
  const extraFields = new Set((options.fields ?? []).map(normaliseFieldName).filter((f) => f !== ''));
  const placeholders = new Set(placements.flatMap((p) => (p.variable ? [placeholder(p.variable)] : [])));
  const queryPlacements = placements.filter((p) => p.in === 'query');
  // `?api_key=` or `&api_key=` (also URL-encoded names), then the value up to the next separator.
  const queryPattern =
    queryPlacements.length > 0
      ? new RegExp(`([?&](?:${[...new Set(queryPlacements.flatMap((p) => [p.name, encodeURIComponent(p.name)]))].map(escapeRegExp).join('|')})=)([^&#\\s"'<>]+)`, 'g')
      : null;
  const curlVariables: CurlVariables = {
    variables: new Set(placements.flatMap((p) => [...(p.variable ? [p.variable] : []), ...(p.basicVariables ?? [])])),
    ...(placements.find((p) => p.basicVariables)?.basicVariables ? { basic: placements.find((p) => p.basicVariables)!.basicVariables! } : {}),
  };

  function substrings(s: string): string {
    return pattern === null ? s : s.replace(pattern, REDACTED);
  }

  function queryValues(s: string, forRequest: boolean): string {
    if (queryPattern === null) return s;
    return s.replace(queryPattern, (whole, prefix: string, value: string) => {
      // The harness's forged API key is published, not a secret: shown as sent.
      if (value === REDACTED || placeholders.has(value) || value === FORGED_API_KEY) return whole;
      if (!forRequest) return prefix + REDACTED;
      const name = decodeURIComponentSafe(prefix.slice(1, -1));
      const placementFor = queryPlacements.find((p) => p.name === name);
      return prefix + (placementFor?.variable ? placeholder(placementFor.variable) : REDACTED);
    });
  }

  function text(s: string): string {
    return queryValues(substrings(s), false);
  }

  function isExtraField(name: string): boolean {
    return extraFields.size > 0 && extraFields.has(normaliseFieldName(name));
  }

  function headers(h: Record<string, string>): Record<string, string> {
    const out: Record<string, string> = {};
    // Names through text() too: a supplier can echo a secret as a header name, and evidence is not redacted again.
    // Keys, not entries: every response's headers pass here, and a pair array per header is garbage at once.
    for (const name of Object.keys(h)) setOwnValue(out, text(name), isExtraField(name) ? REDACTED : redactHeaderValue(name, String(h[name]), text));
    return out;
  }

  function requestHeaders(h: Record<string, string>): Record<string, string> {
    const out: Record<string, string> = {};
    for (const name of Object.keys(h)) setOwnValue(out, text(name), requestHeader(name, String(h[name])));
    return out;
  }

  /**
   * Where a request header's value came from. A document may offer two schemes for
   * one header: unleash-server's takes an apiKey in `Authorization` or a bearer
   * token there, and `--header-env Authorization=VAR` overrides both. A placement
   * that knows its credential names its variable only for that credential: a
   * value it does not carry (a forged or expired token) is someone else's, and
   * `${VAR}` there would make the curl line send the real one. A placement that
   * knows no value (basic) is taken by the scheme the value shows, else one with
   * no scheme, else any.
   */
  function headerPlacement(lower: string, value: string): SecretPlacement | undefined {
    let byScheme: SecretPlacement | undefined;
    let unschemed: SecretPlacement | undefined;
    let any: SecretPlacement | undefined;
    for (const p of placements) {
      if (p.in !== 'header' || p.name.toLowerCase() !== lower) continue;
      if (p.value !== undefined) {
        if (carries(p, value)) return p;
        continue;
      }
      if (p.scheme === undefined) unschemed ??= p;
      else if (SCHEME_PREFIX[p.scheme].test(value)) byScheme ??= p;
      any ??= p;
    }
    return byScheme ?? unschemed ?? any;
  }

  function requestHeader(name: string, value: string): string {
    const lower = name.toLowerCase();
    if (lower === 'cookie') return requestCookie(value);
    // The harness's own forged token and key are published, not secrets: shown as sent, their curl line repeats the request.
    if ((SCHEMED_HEADER_NAMES.has(lower) && FORGED_VALUE.test(value)) || value === FORGED_API_KEY) return value;
    const placed = headerPlacement(lower, value);
    if (placed?.scheme === 'bearer' && SCHEME_PREFIX.bearer.test(value)) return `${value.slice(0, 6)} ${placed.variable ? placeholder(placed.variable) : REDACTED}`;
    if (placed?.variable && placed.scheme === undefined) return placeholder(placed.variable);
    // A user's header: redacted whole, except that Authorization keeps its scheme (`Basic [redacted]`).
    if (placed && placed.scheme === undefined && !SCHEMED_HEADER_NAMES.has(lower)) return REDACTED;
    return isExtraField(name) ? REDACTED : redactHeaderValue(name, value, text);
  }

  /** Each cookie pair on its own: a credential cookie by its placeholder, a secret-looking one redacted, the rest kept. */
  function requestCookie(value: string): string {
    return value
      .split(';')
      .map((pair) => {
        const eq = pair.indexOf('=');
        if (eq < 0) return REDACTED;
        const name = pair.slice(0, eq).trim();
        if (pair.slice(eq + 1).trim() === FORGED_API_KEY) return `${name}=${FORGED_API_KEY}`;
        const placed = placements.find((p) => p.in === 'cookie' && p.name === name);
        if (placed) return `${name}=${placed.variable ? placeholder(placed.variable) : REDACTED}`;
        if (isSensitiveHeader(name) || isSecretFieldName(name) || isExtraField(name)) return `${name}=${REDACTED}`;
        return `${name}=${text(pair.slice(eq + 1).trim())}`;
      })
      .join('; ');
  }

  function requestUrl(url: string): string {
    // Positions first: a value also known as a secret still gets its placeholder.
    return substrings(queryValues(url, true));
  }

  // Without extra names, a text with none of the secret-name words cannot need masking.
  const quickTest = extraFields.size === 0 ? MAYBE_SECRET_NAME : null;
  const isSecretField = (name: string) => isSecretFieldName(name) || isKeyLinkName(name) || isEvidenceSecretName(name) || isExtraField(name) || MASKED_FIELDS.has(normaliseFieldName(name));

  function maskFields(s: string, cutAtEnd = false): string {
    return maskSecretFields(s, isSecretField, quickTest, cutAtEnd);
  }

  function newWalk(): Walk {
    // A run's report copies every result: a Map (dropped with the call) is cheaper than a WeakMap.
    return { text: pattern === null && queryPattern === null ? keep : text, maskFields, isSecretField, ancestors: new Set(), copies: new Map(), redacted: marked };
  }

  function deep<T>(value: T): T {
    return deepCopy(value, newWalk()) as T;
  }

  function deepShared<T>(value: T): T {
    return redactShared(value, newWalk()) as T;
  }

  function excerpt(bytes: Uint8Array, maxBytes: number): string {
    const limit = Math.max(0, Math.min(maxBytes, bytes.length));
    const head = Buffer.from(bytes.buffer, bytes.byteOffset, limit).toString('utf8');
    if (pattern === null) return queryValues(head, false);
    // Decode a little further than the cut (4 bytes per char at worst) so a secret
    // that starts before the cut is seen whole and redacted, not left as a prefix.
    const windowEnd = Math.min(bytes.length, limit + 4 * longestForm);
    const window = Buffer.from(bytes.buffer, bytes.byteOffset, windowEnd).toString('utf8');
    const cut = head.length;
    let out = '';
    let position = 0;
    // Match in the window, copy from the head: both agree before the cut, and the
    // head is exactly "the first maxBytes bytes" (a split character stays U+FFFD).
    pattern.lastIndex = 0;
    for (let match = pattern.exec(window); match !== null; match = pattern.exec(window)) {
      if (match.index >= cut) break;
      out += head.slice(position, match.index) + REDACTED;
      position = match.index + match[0].length;
    }
    pattern.lastIndex = 0;
    if (position < cut) out += head.slice(position, cut);
    return queryValues(out, false);
  }

  function responseExcerpt(bytes: Uint8Array, maxBytes: number, readInPart = false): string {
    return maskFields(excerpt(bytes, maxBytes), readInPart || bytes.length > maxBytes);
  }

  function withSecrets(extra: readonly string[]): Redactor {
    const added = extra.filter((s) => s.length >= MIN_SECRET_LENGTH && !known.includes(s));
    return added.length === 0 ? redactor : buildRedactor([...known, ...added], options, lineage);
  }

  function markRedacted<T extends object>(value: T): T {
    for (const set of lineage) set.add(value);
    return value;
  }

  const redactor: Redactor = { text, headers, requestHeaders, requestUrl, deep, deepShared, excerpt, responseExcerpt, maskFields, curlVariables, withSecrets, markRedacted };
  return redactor;
}

/** `${NAME}`: how evidence names a secret taken from the environment variable NAME. */
export function placeholder(variable: string): string {
  return `\${${variable}}`;
}

function normaliseFieldName(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]/g, '');
}

/**
 * Whether a response field (JSON property, form field, header) holds a secret by its name.
 *
 * @example
 *   isSecretFieldName('access_token'); // true
 *   isSecretFieldName('nextPageToken'); // false: a cursor
 *   isSecretFieldName('tokenType'); // false
 */
export function isSecretFieldName(name: string): boolean {
  const normal = normaliseFieldName(name);
  if (normal === '' || NOT_SECRET_FIELDS.has(normal)) return false;
  return SECRET_FIELD_ENDINGS.some((ending) => normal.endsWith(ending));
}

/**
 * Mask the values of secret-named fields in JSON or form text, which may be
 * cut short anywhere (an evidence excerpt): `"token": "live-…` loses its value
 * even without a closing quote. String and number values are masked; a key
 * inside a string (escaped JSON) is left alone. Linear: one pass of two regexps.
 */
function maskSecretFields(s: string, isSecret: (name: string) => boolean, quick: RegExp | null, cutAtEnd: boolean): string {
  // Most bodies hold no secret-named field: skip the two passes when no name could match.
  if (quick !== null && !quick.test(s.toLowerCase()) && !NAMES_READ_OTHERWISE.test(s)) return s;
  const pairs = maskNameValuePairs(s, isSecret);
  const json = pairs.replace(JSON_MEMBER, (whole, key: string, colon: string, value: string) => {
    let name: string;
    try {
      name = JSON.parse(`"${key}"`) as string;
    } catch {
      name = key;
    }
    if (!(isSecret(name) || isSecretMember(name, value)) || value === '"' || value === `"${REDACTED}"`) return whole;
    return `"${key}"${colon}"${REDACTED}"`;
  });
  return json.replace(FORM_FIELD, (whole, prefix: string, name: string, value: string, offset: number, text: string) => {
    const field = decodeURIComponentSafe(name);
    // A value that runs to the end of an excerpt cut there is judged as a JSON string cut short is.
    const judged = cutAtEnd && offset + whole.length === text.length ? `"${value}` : value;
    if (value === '' || value === REDACTED || !(isSecret(field) || isSecretMember(field, judged))) return whole;
    return `${prefix}${name}=${REDACTED}`;
  });
}

/** The values of name/value pairs (NAME_THEN_VALUE) whose name is a secret's or a credential header's. */
function maskNameValuePairs(s: string, isSecret: (name: string) => boolean): string {
  if (!s.includes('"value"')) return s;
  // A header's name by the header rules (`X-Auth-Token`); any other by the field rules, and the credential headers.
  const named = (member: string, raw: string, value: string) => {
    let name: string;
    try {
      name = JSON.parse(`"${raw}"`) as string;
    } catch {
      name = raw;
    }
    return isSecret(name) || isSecretMember(name, value) || SENSITIVE_HEADER_NAMES.has(name.toLowerCase()) || (member === 'header' && isSensitiveHeader(name));
  };
  const masked = (value: string) => value === '"' || value === `"${REDACTED}"` ? value : `"${REDACTED}"`;
  return s
    .replace(NAME_THEN_VALUE, (whole, member: string, colon: string, name: string, between: string, value: string) => (named(member, name, value) ? `"${member}"${colon}"${name}"${between}${masked(value)}` : whole))
    .replace(VALUE_THEN_NAME, (whole, colon: string, value: string, between: string, member: string, name: string) => (named(member, name, value) ? `"value"${colon}${masked(value)}${between}"${name}"` : whole));
}

/**
 * A JSON member: `"key"` `:` then a string (possibly unterminated at the end of the text) or a number.
 * A key of at most 256 characters: no field is named longer, and scanning an unbounded key from every
 * quote of a run of `\"` took seconds on 64 KB (third review).
 */
const JSON_MEMBER = /"((?:[^"\\\n]|\\.){0,256})"(\s*:\s*)("(?:[^"\\\n]|\\.)*(?:"|\\?$)|-?\d[\d.eE+-]*)/g;

/** A form or query field: `name=value` after the start, `&`, `?` or whitespace. */
const FORM_FIELD = /(^|[&?\s])([A-Za-z0-9_.\-[\]%]+)=([^&#\s"'<>]*)/g;

function decodeURIComponentSafe(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/**
 * Whether a header's value is a credential by its name alone.
 *
 * @example
 *   isSensitiveHeader('X-Auth-Token'); // true
 *   isSensitiveHeader('WWW-Authenticate'); // false: a challenge, not a credential
 */
export function isSensitiveHeader(name: string): boolean {
  // Every request and response asks about the same few names: answer each once.
  const known = sensitiveByName.get(name);
  if (known !== undefined) return known;
  const lower = name.toLowerCase();
  const sensitive = !CHALLENGE_HEADER_NAMES.has(lower) && (SENSITIVE_HEADER_NAMES.has(lower) || SENSITIVE_NAME_FRAGMENTS.some((f) => lower.includes(f)));
  // Bounded: header names come from suppliers too.
  if (sensitiveByName.size >= 1024) sensitiveByName.clear();
  sensitiveByName.set(name, sensitive);
  return sensitive;
}

const sensitiveByName = new Map<string, boolean>();

/**
 * The credential strings inside sensitive request headers, so that a supplier
 * echoing them back (in a body, a header, a Location) is redacted even when the
 * caller did not list them as secrets.
 *
 * @example
 *   secretsFromHeaders({ Authorization: 'Basic dXNlcjpwYXNzd29yZA==' });
 *   // ['dXNlcjpwYXNzd29yZA==', 'user:password', 'password']
 *   secretsFromHeaders({ Authorization: 'Bearer interop-harness-invalid-token' }); // [] (the harness's forged token)
 */
export function secretsFromHeaders(h: Record<string, string>): string[] {
  const found: string[] = [];
  for (const name of Object.keys(h)) {
    if (!isSensitiveHeader(name)) continue;
    const value = String(h[name]).trim();
    if (value === FORGED_API_KEY) continue;
    const lower = name.toLowerCase();
    if (SCHEMED_HEADER_NAMES.has(lower)) {
      // Published, not a secret: as a secret it would be redacted from its own curl line.
      if (FORGED_VALUE.test(value)) continue;
      const match = /^(\S+)\s+(\S.*)$/.exec(value);
      const credentials = match?.[2] ?? value;
      found.push(credentials);
      if (match?.[1]?.toLowerCase() === 'basic') {
        const decoded = Buffer.from(credentials, 'base64').toString('utf8');
        found.push(decoded);
        const colon = decoded.indexOf(':');
        if (colon >= 0) found.push(decoded.slice(colon + 1));
      }
    } else if (lower === 'cookie') {
      for (const pair of value.split(';')) {
        const eq = pair.indexOf('=');
        const cookie = eq >= 0 ? pair.slice(eq + 1).trim() : pair.trim();
        if (cookie !== FORGED_API_KEY) found.push(cookie);
      }
    } else {
      found.push(value);
    }
  }
  return found.filter((s) => s.length >= MIN_SECRET_LENGTH);
}

function redactHeaderValue(name: string, value: string, text: (s: string) => string): string {
  const lower = name.toLowerCase();
  if (!isSensitiveHeader(lower)) return text(value);
  if (SCHEMED_HEADER_NAMES.has(lower)) {
    // Keep the scheme: "Bearer [redacted]" still tells a reader which auth was used.
    const match = /^\s*([A-Za-z][A-Za-z0-9._~+/-]*)\s+\S/.exec(value);
    if (match) return `${match[1]} ${REDACTED}`;
  }
  return REDACTED;
}

/** The spellings under which a secret is likely to be echoed back. */
function encodedForms(secret: string): string[] {
  const bytes = Buffer.from(secret, 'utf8');
  const base64 = bytes.toString('base64');
  const uri = encodeURIComponent(secret);
  const json = JSON.stringify(secret).slice(1, -1);
  const forms = [
    secret,
    base64,
    base64.replace(/=+$/, ''),
    bytes.toString('base64url'),
    uri,
    uri.replace(/%[0-9A-F]{2}/g, (m) => m.toLowerCase()),
    uri.replace(/%20/g, '+'),
    json,
    // Some serialisers (PHP, older Java) also escape '/'.
    json.replace(/\//g, '\\/'),
    ...embeddedBase64Forms(bytes),
  ];
  return forms.filter((f) => f.length >= MIN_SECRET_LENGTH);
}

/**
 * The base64 characters that encode the secret whatever bytes surround it
 * (e.g. the token inside `Basic base64(user:token)` echoed in a body). Base64
 * works in 3-byte groups, so there are three alignments; for each, keep only the
 * characters computed from the secret's bits alone.
 */
function embeddedBase64Forms(bytes: Buffer): string[] {
  const out: string[] = [];
  for (const offset of [1, 2]) {
    const encoded = Buffer.concat([Buffer.alloc(offset), bytes]).toString('base64');
    const total = offset + bytes.length;
    const fullGroups = Math.floor(total / 3);
    const rest = total % 3;
    // Chars of a partial last group that depend only on real bytes: 1 byte -> 1 char, 2 bytes -> 2 chars.
    const end = fullGroups * 4 + rest;
    const start = offset === 1 ? 2 : 3; // chars of the first group still touched by the filler bytes
    const core = encoded.slice(start, end);
    // Short cores could match innocent base64 elsewhere; only use distinctive ones.
    if (core.length >= 8) out.push(core, core.replace(/\+/g, '-').replace(/\//g, '_'));
  }
  if (bytes.length % 3 !== 0) {
    const encoded = bytes.toString('base64');
    const core = encoded.slice(0, Math.floor(bytes.length / 3) * 4 + (bytes.length % 3));
    if (core.length >= 8) out.push(core, core.replace(/\+/g, '-').replace(/\//g, '_'));
  }
  return out;
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
}

/**
 * One object of `deepCopy`: cloned whole (a clone takes its shape in one step,
 * where adding the keys one by one grows it key by key: a report has thousands
 * of results), then each value replaced by its redacted copy. A key that
 * redaction changes (a supplier echoing a secret as a field name) rebuilds it
 * key by key; `__proto__` stays an ordinary own key either way.
 */
function copyRecord(source: Record<string, unknown>, walk: Walk, child: Redact): Record<string, unknown> {
  const { text } = walk;
  const keys = Object.keys(source);
  if (text !== keep && keys.some((key) => text(key) !== key)) {
    const record: Record<string, unknown> = {};
    for (const key of keys) setOwnValue(record, text(key), child(source[key], walk));
    return record;
  }
  const record = { ...source };
  for (const key of keys) {
    const value = source[key];
    if (typeof value === 'string' ? text !== keep : value !== null && typeof value === 'object') record[key] = child(value, walk);
  }
  return record;
}

/** How `copyObject` redacts what is inside: `deepCopy` (all of it copied) or `redactShared` (only what changes). */
type Redact = (value: unknown, walk: Walk) => unknown;

/** The identity `text()` of a redactor without secrets; recognised so the copy skips calling it. */
function keep(s: string): string {
  return s;
}

interface Walk {
  text: (s: string) => string;
  maskFields: (s: string) => string;
  isSecretField: (name: string) => boolean;
  ancestors: Set<object>;
  copies: Map<object, unknown>;
  /** Values built from this redactor's output (`markRedacted`): kept as they are. */
  redacted: WeakSet<object>;
}

/**
 * `copies` remembers what each object became, so an object shared by many
 * places (one probe's evidence behind every check's result) is redacted once
 * and stays shared in the copy. Two shapes get more than `text()`: a
 * response's evidence (its `bodyExcerpt`) and a schema error (its `value`),
 * where a supplier's own secrets can sit in secret-named fields.
 */
function deepCopy(value: unknown, walk: Walk): unknown {
  const { text, ancestors, copies } = walk;
  if (typeof value === 'string') return text === keep ? value : text(value);
  if (value === null || typeof value !== 'object') return value;
  if (walk.redacted.has(value)) return value;
  // Serialise the way JSON.stringify would (Date, Buffer, URL...), then redact that form.
  const withToJson = value as { toJSON?: () => unknown };
  if (typeof withToJson.toJSON === 'function') return deepCopy(withToJson.toJSON(), walk);
  if (ancestors.has(value)) throw new TypeError('redactor.deep: cyclic value');
  if (copies.has(value)) return copies.get(value);
  ancestors.add(value);
  try {
    const out = copyObject(value, walk, deepCopy);
    copies.set(value, out);
    return out;
  } finally {
    ancestors.delete(value);
  }
}

/** The redacted copy of one array or record (not yet in `copies`), with the two shapes that get more than `text()`. */
function copyObject(value: object, walk: Walk, child: Redact): unknown {
  if (Array.isArray(value)) return value.map((item) => child(item, walk));
  const record = copyRecord(value as Record<string, unknown>, walk, child);
  if (typeof record.bodyExcerpt === 'string' && typeof record.bodySha256 === 'string') record.bodyExcerpt = walk.maskFields(record.bodyExcerpt);
  if (isSchemaError(record)) record.value = maskedSchemaValue(record, walk);
  return record;
}

function isSchemaError(record: Record<string, unknown>): record is { value: string; pointer: string; schemaPath: string } {
  return typeof record.value === 'string' && typeof record.pointer === 'string' && typeof record.schemaPath === 'string';
}

/**
 * A schema error's offending value: masked whole under a secret-named field, else its secret-named fields masked.
 * An empty string or null holds no secret, and is the fault itself: an empty `password` under `minLength: 1`
 * read `"[redacted]"`, which looked like a value (found with Mockoon on adyen's document).
 */
function maskedSchemaValue(record: { value: string; pointer: string }, walk: Walk): string {
  if (record.value === '""' || record.value === 'null') return record.value;
  const tokens = record.pointer.split('/').map((t) => t.replace(/~1/g, '/').replace(/~0/g, '~'));
  const masked = tokens.some((t) => walk.isSecretField(t)) || isSecretMember(tokens[tokens.length - 1]!, record.value);
  return masked ? JSON.stringify(REDACTED) : walk.maskFields(record.value);
}

/**
 * `deepCopy` that keeps every object redaction leaves as it is: the same
 * checks in the same order, and the input object itself where `deepCopy`
 * would have made an equal copy. An object with anything to change (a string,
 * a key, a masked excerpt or schema error value, a value with `toJSON`
 * below it) is copied as `deepCopy` copies it, with the same children it
 * would have had, except that those redaction leaves alone are shared.
 */
function redactShared(value: unknown, walk: Walk): unknown {
  const { text, ancestors, copies } = walk;
  if (typeof value === 'string') return text === keep ? value : text(value);
  if (value === null || typeof value !== 'object') return value;
  if (walk.redacted.has(value)) return value;
  if (typeof (value as { toJSON?: unknown }).toJSON === 'function') return deepCopy(value, walk);
  if (ancestors.has(value)) throw new TypeError('redactor.deep: cyclic value');
  if (copies.has(value)) return copies.get(value);
  ancestors.add(value);
  try {
    // What `unchanged` saw is in `copies`: the copy takes it from there, and shares whatever else needs no change.
    const out = unchanged(value, walk) ? value : copyObject(value, walk, redactShared);
    copies.set(value, out);
    return out;
  } finally {
    ancestors.delete(value);
  }
}

/** Whether redaction leaves this array or record, and everything below it, as it is (what is below is then in `copies`). */
function unchanged(value: object, walk: Walk): boolean {
  const { text } = walk;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      // A hole stays a hole in `map`: nothing to compare.
      if (!(i in value)) continue;
      const item: unknown = value[i];
      if (redactShared(item, walk) !== item) return false;
    }
    return true;
  }
  const record = value as Record<string, unknown>;
  // for...in, not a key array per object: an inherited key can only make this say "changed", and the copy then takes own keys alone.
  for (const key in record) {
    if (text !== keep && text(key) !== key) return false;
    const item = record[key];
    if (typeof item === 'string' ? text !== keep && text(item) !== item : item !== null && typeof item === 'object' && redactShared(item, walk) !== item) return false;
  }
  if (typeof record.bodyExcerpt === 'string' && typeof record.bodySha256 === 'string' && walk.maskFields(record.bodyExcerpt) !== record.bodyExcerpt) return false;
  if (isSchemaError(record) && maskedSchemaValue(record, walk) !== record.value) return false;
  return true;
}

