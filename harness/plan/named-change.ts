/**
 * Reads whose names say they change state. RPC-style APIs serve their
 * functions by GET as well: Etherpad's `GET /deletePad` (operationId
 * `deletePadUsingGET`) deletes a pad, whatever HTTP says of GET. Such an
 * operation is a write by another method: a read-only run never sends it,
 * and a writing run sends it only as it sends other writes. A name is what a
 * supplier chose to call the operation; a wrong guess costs a skipped read,
 * a missed one a deleted record.
 */
import type { OperationSpec } from '../profile/profile-types.js';

/**
 * Words that say a name changes state: as a name's first word, the first
 * word of its last part, any word of an action after `:`, or a fixed path
 * segment's (`changeVerbOf`, `changeInAction`).
 */
const CHANGE_VERBS: ReadonlySet<string> = new Set([
  'accept', 'activate', 'add', 'anonymize', 'append', 'apply', 'approve', 'archive', 'assign', 'attach', 'ban', 'block', 'cancel', 'change', 'clear',
  'clone', 'close', 'confirm', 'copy', 'create', 'deactivate', 'decrement', 'delete', 'deploy', 'destroy', 'detach', 'disable', 'downgrade',
  'drop', 'duplicate', 'edit', 'enable', 'erase', 'execute', 'expire', 'flush', 'generate', 'grant', 'import', 'increment', 'insert', 'install',
  'invalidate', 'invite', 'kill', 'lock', 'logout', 'mark', 'merge', 'migrate', 'modify', 'move', 'mutate', 'patch', 'pause', 'post', 'publish',
  'purge', 'put', 'reboot', 'refresh', 'register', 'reject', 'remove', 'rename', 'replace', 'reset', 'restart', 'restore', 'resume', 'revert',
  'revoke', 'rollback', 'rotate', 'save', 'send', 'set', 'shutdown', 'sign', 'start', 'stop', 'submit', 'subscribe', 'suspend', 'sync', 'terminate',
  'toggle', 'transfer', 'trigger', 'truncate', 'unarchive', 'unassign', 'unban', 'unblock', 'uninstall', 'unlock', 'unpublish', 'unregister',
  'unsubscribe', 'update', 'upgrade', 'upload', 'upsert', 'wipe', 'write',
]);

/** Of those, the verbs that make something: a named one answered 2xx may have left a record behind. */
const CREATE_VERBS: ReadonlySet<string> = new Set(['add', 'clone', 'copy', 'create', 'duplicate', 'generate', 'import', 'insert', 'invite', 'register', 'upload', 'upsert']);

/**
 * Change verbs that are nouns too, and the nouns that, right after one, make
 * a two-word name a noun phrase a read may well report: `importStatus`,
 * `stopTimes`, `merge_requests`, `startDate`, `postComments`. Only these: a
 * `deleteHistory`, `setPublicStatus` or `resetStats` is a change whatever
 * its last word.
 */
const VERBS_THAT_ARE_NOUNS: ReadonlySet<string> = new Set([
  'change', 'close', 'copy', 'deploy', 'import', 'install', 'lock', 'merge', 'post', 'publish', 'restore', 'start', 'stop', 'sync', 'transfer', 'upgrade', 'upload',
]);
const REPORTED_NOUNS: ReadonlySet<string> = new Set([
  'comments', 'count', 'counts', 'date', 'dates', 'details', 'events', 'history', 'info', 'jobs', 'list', 'log', 'logs', 'options', 'progress', 'reasons',
  'requests', 'results', 'state', 'stats', 'status', 'summary', 'time', 'times', 'types',
]);

/**
 * Verbs that end a name as they begin one (`padDelete`, `userDestroy`): only
 * these destructive ones (`lastUpdate` and `autoSave` name a time and a
 * setting), and not after a word that asks about them (`canDelete`) or a
 * read verb (`getAutoDelete`).
 */
const TAIL_VERBS: ReadonlySet<string> = new Set(['create', 'delete', 'destroy', 'erase', 'purge', 'reboot', 'remove', 'restart', 'revoke', 'shutdown', 'terminate', 'truncate', 'uninstall', 'wipe']);

/** First words of a name that ask about the verb after them rather than do it (`canDelete`, `onCreate`). */
const WORDS_ASKING_ABOUT_A_VERB: ReadonlySet<string> = new Set(['after', 'allow', 'auto', 'before', 'can', 'has', 'is', 'may', 'on', 'should']);

/** `importStatus`, `stop_times`: a verb that is a noun too, and a noun a read reports. */
function isNounPhrase(verb: string, noun: string): boolean {
  return VERBS_THAT_ARE_NOUNS.has(verb) && REPORTED_NOUNS.has(noun);
}

/** Words after which a name that began by reading does something else (`getOrCreate`, `getThenDelete`). */
const CONTINUING_WORDS: ReadonlySet<string> = new Set(['and', 'or', 'then']);

/** First words that say a name reads: the path is not asked what an operationId already says. */
const READ_VERBS: ReadonlySet<string> = new Set(['check', 'count', 'describe', 'download', 'export', 'fetch', 'find', 'get', 'head', 'list', 'lookup', 'query', 'read', 'retrieve', 'search', 'show', 'view']);

/**
 * Read methods a server may run its GET handler for (Express and fastify answer HEAD with it), and
 * OPTIONS: a server that dispatches by path alone, as NocoBase's actions are, runs it too.
 */
const NAMED_CHANGE_METHODS: ReadonlySet<string> = new Set(['GET', 'HEAD', 'OPTIONS', 'QUERY']);

type Named = Pick<OperationSpec, 'method' | 'path' | 'operationId' | 'syntheticId'>;

/**
 * Why a read is not sent as one: its name says it changes state, so it is
 * sent only with --allow-writes and an include filter naming it (or as a
 * step on a record the run created). Undefined for an ordinary read. The
 * name is the operationId (unless the harness made it up), an action after
 * a `:` in the path, and the path's fixed segments.
 *
 * @example
 *   namedAsChange({ method: 'GET', path: '/deletePad', operationId: 'deletePadUsingGET', syntheticId: false });
 *   // 'named as a change (its operationId begins with "delete"), though GET should change nothing: …'
 *   namedAsChange({ method: 'GET', path: '/imports/{id}', operationId: 'importStatus', syntheticId: false }); // undefined
 */
export function namedAsChange(operation: Named): string | undefined {
  const named = namedChange(operation);
  return named && `${named}, though ${operation.method} should change nothing: sent only with --allow-writes and when named (its operationId in --operations, or its method and path in --paths)`;
}

/**
 * What names the operation as a change, for a reason of another stage's own
 * (replay's): `named as a change (its operationId begins with "create")`.
 */
export function namedChange(operation: Named): string | undefined {
  const found = changeIn(operation);
  return found && `named as a change (${found.what})`;
}

/** Whether a name says it makes something (`create`, `firstOrCreate`): of any method. */
export function namesCreate(name: string): boolean {
  const verb = changeVerbOf(name) ?? changeInAction(name);
  return verb !== undefined && CREATE_VERBS.has(verb);
}

/** Whether a read named as a change is named as making something (`createGroupUsingGET`). */
export function namedAsCreate(operation: Named): boolean {
  const found = changeIn(operation);
  return found !== undefined && CREATE_VERBS.has(found.verb);
}

/** Asked of every probe (its checks) and every plan: an operation's name is read once per run. */
const asked = new WeakMap<Named, { what: string; verb: string } | null>();

function changeIn(operation: Named): { what: string; verb: string } | undefined {
  let found = asked.get(operation);
  if (found === undefined) {
    found = changeInName(operation) ?? null;
    asked.set(operation, found);
  }
  return found ?? undefined;
}

function changeInName(operation: Named): { what: string; verb: string } | undefined {
  if (!NAMED_CHANGE_METHODS.has(operation.method)) return undefined;
  const fromId = operation.syntheticId ? undefined : changeVerbOf(operation.operationId);
  if (fromId) return { what: `its operationId ${saysVerb(operation.operationId, fromId)}`, verb: fromId };
  // An action after a `:`, in any segment, says what the call does whatever the operationId says
  // (`/things/{id}:cancel`, NocoBase's `/apiKeys:destroy/{filterByTk}`).
  for (const action of pathActions(operation.path)) {
    const verb = changeInAction(action);
    if (verb) return { what: action.toLowerCase() === verb ? `its path's action is "${action}"` : `its path's action "${action}" says "${verb}"`, verb };
  }
  // Where the operationId says it reads (`listPosts` at `/post`), the path speaks only of destruction:
  // `checkDelete` at `/checks/{id}/delete` deletes (fourth review).
  const idReads = !operation.syntheticId && READ_VERBS.has(splitWords(operation.operationId)[0] ?? '');
  // Every fixed segment, the last and those before a parameter (`/users/delete/{id}`, `/deletePad/{padID}`), except
  // a verb that is a noun too right before a parameter or a reported noun: `/post/{postId}`, `/sync/status`.
  const segments = operation.path.split('/').filter((s) => s !== '');
  for (let i = 0; i < segments.length; i++) {
    const segment = segments[i]!;
    if (segment.includes('{')) continue;
    const verb = changeVerbOf(segment);
    if (verb === undefined || (idReads && !TAIL_VERBS.has(verb))) continue;
    const following = segments[i + 1];
    const nounBefore = following !== undefined && (following.startsWith('{') ? VERBS_THAT_ARE_NOUNS.has(verb) : isNounPhrase(verb, following.toLowerCase()));
    if (!nounBefore) return { what: `${i === segments.length - 1 ? "its path's last segment" : `its path's segment "${segment}"`} ${saysVerb(segment, verb)}`, verb };
  }
  return undefined;
}

/** `begins with "delete"`, or `says "delete"` where the verb is not the name's first word (`padDelete`). */
function saysVerb(name: string, verb: string): string {
  return `${splitWords(name)[0] === verb ? 'begins with' : 'says'} "${verb}"`;
}

/** Query parameters that name what an RPC call does (`action`, `method`, `op`, `cmd`): their values are read as names. */
const ACTION_PARAMETER = /^(action|method|op|operation|cmd|command|do|func|function|task|call)$/i;

/**
 * The query pair that names a change, where RPC APIs name the call in the query (Matomo's
 * `method=SitesManager.deleteSite`, `?action=delete`): a parameter named for an action whose
 * value a name rule reads as a change. Undefined where there is none.
 *
 * @example queryActionChange(new URLSearchParams('method=SitesManager.deleteSite&idSite=1')); // ['method', 'SitesManager.deleteSite', 'delete']
 */
export function queryActionChange(query: URLSearchParams): [name: string, value: string, verb: string] | undefined {
  for (const [name, value] of query) {
    if (!ACTION_PARAMETER.test(name)) continue;
    const verb = changeVerbOf(value);
    if (verb !== undefined) return [name, value, verb];
  }
  return undefined;
}

/**
 * The actions a path names after a `:` (NocoBase's `notes:destroy`, Google
 * AIP's `{name}:cancel`): of each segment, the text after its last `:`
 * outside a parameter, where something comes before it.
 *
 * @example
 *   pathActions('/apiKeys:destroy/{filterByTk}'); // ['destroy']
 *   pathActions('/v1/{name=projects/*}:cancel'); // ['cancel']
 */
export function pathActions(path: string): string[] {
  const actions: string[] = [];
  // A parameter may hold `/` or `:` (`{name=projects/*}`): it is one placeholder here.
  for (const segment of path.replace(/\{[^{}]*\}/g, '_').split('/')) {
    const colon = segment.lastIndexOf(':');
    if (colon > 0 && colon < segment.length - 1) actions.push(segment.slice(colon + 1));
  }
  return actions;
}

/**
 * Whether the text after a `:` is an action (`list`, `get`, `destroy`,
 * `firstOrCreate`) rather than part of a name (`admin:users`, `Special:Pages`).
 *
 * @example
 *   readsAsAction('list'); // true
 *   readsAsAction('users'); // false
 */
export function readsAsAction(text: string): boolean {
  const first = splitWords(text)[0];
  return (first !== undefined && (READ_VERBS.has(first) || CHANGE_VERBS.has(first))) || changeInAction(text) !== undefined;
}

/**
 * The change verb among an action's words, wherever it stands: an action
 * says what it does (`firstOrCreate`, `batchDestroy`, `signOut`), except in
 * a noun phrase (`startTime`).
 */
function changeInAction(action: string): string | undefined {
  const words = splitWords(action);
  // An action that begins by reading reads (`getUpdateInfo`, GKE's `fetchClusterUpgradeInfo`), unless it goes on to another (`getOrCreate`).
  const from = READ_VERBS.has(words[0] ?? '') ? words.findIndex((word) => CONTINUING_WORDS.has(word)) : 0;
  if (from < 0) return undefined;
  return words.find((word, i) => i >= from && CHANGE_VERBS.has(word) && !(i === words.length - 2 && isNounPhrase(word, words[i + 1]!)));
}

/**
 * The change verb a name begins with, or that begins its last part after a
 * `.`, `_` or `:` (Slack's `chat.delete`, Azure's `Pets_Delete`, NocoBase's
 * `notes:create`); undefined if none.
 *
 * @example
 *   changeVerbOf('deletePadUsingGET'); // 'delete'
 *   changeVerbOf('DELETE_PAD'); // 'delete'
 *   changeVerbOf('PadController_deletePad'); // 'delete' (NestJS: the part after the controller's name)
 *   changeVerbOf('chat.delete'); // 'delete'
 *   changeVerbOf('merge_requests'); // undefined: a noun phrase
 */
export function changeVerbOf(name: string): string | undefined {
  const words = splitWords(name);
  const [verb, ...rest] = words;
  if (verb !== undefined && CHANGE_VERBS.has(verb)) {
    const nounPhrase = rest.length === 1 && isNounPhrase(verb, rest[0]!);
    if (!nounPhrase) return verb;
  }
  // A read that goes on to do something else: `getOrCreateSession`.
  const first = verb ?? '';
  const onward = READ_VERBS.has(first) ? words.findIndex((word) => CONTINUING_WORDS.has(word)) : -1;
  if (onward > 0) {
    const next = words.slice(onward + 1).find((word) => CHANGE_VERBS.has(word));
    if (next !== undefined) return next;
  }
  // A destructive verb last (`padDelete`), unless the name begins by reading (`getAutoDelete`) and goes on
  // to no other verb (`getOrCreate` does), or asks about it (`canDelete`, `onDelete`, `autoDelete`).
  const lastWord = words[words.length - 1];
  if (words.length > 1 && lastWord !== undefined && TAIL_VERBS.has(lastWord)) {
    const reads = READ_VERBS.has(first) && !words.some((word) => CONTINUING_WORDS.has(word));
    if (!reads && !WORDS_ASKING_ABOUT_A_VERB.has(first)) return lastWord;
  }
  // `:` too: Google's custom methods (`/things/{id}:cancel`) and NocoBase's actions (`notes:destroy`).
  const lastPart = name.split(/[._:]/).filter((part) => part !== '').pop();
  if (lastPart === undefined || lastPart === name) return undefined;
  const [tailVerb, ...tail] = splitWords(lastPart);
  return tailVerb !== undefined && CHANGE_VERBS.has(tailVerb) && !(tail.length === 1 && isNounPhrase(tailVerb, tail[0]!)) ? tailVerb : undefined;
}

/** `deletePadUsingGET` -> delete, pad, using, g, e, t; `DELETE_PAD` -> delete, pad; `remove-user` -> remove, user. */
function splitWords(name: string): string[] {
  return name
    .split(/[^A-Za-z0-9]+/)
    .flatMap((part) => (part === part.toUpperCase() ? [part] : part.split(/(?=[A-Z])/)))
    .map((word) => word.toLowerCase())
    .filter((word) => word !== '');
}
