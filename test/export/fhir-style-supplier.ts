/**
 * A bulk-export supplier written apart from the reference supplier, following
 * HL7 FHIR Bulk Data Access where it differs from ours: several files per
 * type, application/fhir+ndjson, gzip-encoded files behind a same-origin
 * redirect, relative file URLs, Retry-After as an HTTP-date, CRLF lines,
 * requiresAccessToken false, empty types left out of the manifest, 204 on
 * DELETE, a body `next` link, records served with their keys in another
 * order. Conformant as it stands; `hostile` switches one fault on.
 */
import http from 'node:http';
import { createHash, randomBytes } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import type { AddressInfo } from 'node:net';

export interface Opts {
  patients?: number; observations?: number; filesPerType?: number;
  requiresAccessToken?: boolean; relativeUrls?: boolean; retryAfterDate?: boolean;
  firstPoll200?: boolean; gzip?: boolean; redirectFiles?: boolean; crlf?: boolean;
  contentType?: string; deleteStatus?: number; relativeContentLocation?: boolean;
  hostile?: string; omitEmptyTypes?: boolean; csv?: boolean;
}
export const CLIENT_ID = 'review-client';
export const CLIENT_SECRET = 'S3cr3t-review-' + 'zq7Xw';
export const TOKEN = 'tok-' + 'REVIEWTOKEN-9f8e7d';

export async function start(o: Opts = {}) {
  const opt = { patients: 20, observations: 10, filesPerType: 2, requiresAccessToken: false, relativeUrls: true, retryAfterDate: true,
    firstPoll200: false, gzip: true, redirectFiles: true, crlf: true, contentType: 'application/fhir+ndjson', deleteStatus: 204,
    relativeContentLocation: false, omitEmptyTypes: true, csv: true, ...o };
  const log: string[] = [];
  const other = http.createServer((req, res) => { log.push(`${req.method} ${req.url} auth=${req.headers.authorization ?? ''}`); res.writeHead(200, { 'content-type': opt.contentType }); res.end('{"resourceType":"Patient","id":"x","meta":{}}\n'); });
  await new Promise<void>((r) => other.listen(0, '127.0.0.1', r));
  const otherUrl = `http://127.0.0.1:${(other.address() as AddressInfo).port}`;
  const base0 = new Date('2020-01-01T00:00:00Z').getTime();
  // `badBirthDate`: one patient born on a day no calendar has, everywhere it is served (a breach of `format: date` only).
  const birthDate = (i: number) => (opt.hostile === 'badBirthDate' && i === 2 ? '1990-02-30' : `1990-01-${String((i % 28) + 1).padStart(2, '0')}`);
  const patients = Array.from({ length: opt.patients }, (_, i) => ({ resourceType: 'Patient', id: `p${i + 1}`, name: `Name ${i + 1}`, birthDate: birthDate(i), meta: { lastUpdated: new Date(base0 + i * 1000).toISOString() } }));
  const observations = Array.from({ length: opt.observations }, (_, i) => ({ resourceType: 'Observation', id: `o${i + 1}`, value: i * 1.5 }));
  const jobs = new Map<string, { polls: number; files: Map<string, Buffer>; manifest: any; deleted: boolean }>();
  let base = '';
  const authed = (req: http.IncomingMessage) => req.headers.authorization === `Bearer ${TOKEN}`;

  function makeJob(url: URL) {
    const types = (url.searchParams.get('_type') ?? 'Patient,Observation').split(',');
    const since = url.searchParams.get('_since');
    const fmt = url.searchParams.get('_outputFormat') ?? 'application/fhir+ndjson';
    const csv = fmt === 'text/csv';
    const id = randomBytes(8).toString('hex');
    const files = new Map<string, Buffer>();
    const output: any[] = [];
    const nl = opt.crlf ? '\r\n' : '\n';
    for (const t of types) {
      let recs: any[] = t === 'Patient' ? patients : t === 'Observation' ? observations : [];
      if (since && t === 'Patient') recs = recs.filter((p) => p.meta.lastUpdated >= since);
      if (since && t === 'Observation') recs = [];
      if (recs.length === 0 && opt.omitEmptyTypes) continue; // FHIR: types without resources are omitted
      const n = Math.max(1, Math.min(opt.filesPerType, recs.length));
      const per = Math.ceil(recs.length / n);
      for (let f = 0; f < n; f++) {
        const part = recs.slice(f * per, (f + 1) * per);
        let text: string;
        if (csv) {
          const cols = Object.keys(part[0] ?? recs[0] ?? { id: 1 });
          text = cols.join(',') + '\r\n' + part.map((r) => cols.map((c) => `"${String(typeof r[c] === 'object' ? JSON.stringify(r[c]) : r[c]).replace(/"/g, '""')}\nline2"`).join(',')).join('\r\n') + '\r\n';
        } else {
          text = part.map((r) => JSON.stringify(r)).join(nl) + (f % 2 === 0 ? nl : ''); // alternate trailing newline
        }
        const buf = Buffer.from(text);
        const name = `${t}-${f}.${csv ? 'csv' : 'ndjson'}`;
        files.set(name, buf);
        const path = `/files/${id}/${name}`;
        output.push({ type: t, url: opt.relativeUrls ? (f === 0 ? `../../files/${id}/${name}` : path) : base + path, count: part.length, sha256: createHash('sha256').update(buf).digest('hex'), fileSize: buf.length, extension: { note: 'extra' } });
      }
    }
    // `requestNotUri`: the manifest's request as words, a breach of `format: uri` only.
    const manifest: any = { transactionTime: new Date().toISOString(), request: opt.hostile === 'requestNotUri' ? 'every patient and observation' : url.href, requiresAccessToken: opt.requiresAccessToken, output,
      error: [{ type: 'OperationOutcome', url: `${base}/files/${id}/errors.ndjson` }], deleted: [], extension: { 'http://example.org/x': 1 }, link: [] };
    files.set('errors.ndjson', Buffer.from('{"resourceType":"OperationOutcome","issue":[{"severity":"warning","code":"informational"}]}\n'));
    jobs.set(id, { polls: 0, files, manifest, deleted: false });
    return { id, csv };
  }

  const server = http.createServer(async (req, res) => {
    const url = new URL(req.url!, base);
    const p = url.pathname;
    const h = opt.hostile ?? '';
    if (p === '/token' && req.method === 'POST') {
      let body = ''; for await (const c of req) body += c;
      res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' });
      return res.end(JSON.stringify({ access_token: TOKEN, token_type: 'Bearer', expires_in: 3600 }));
    }
    if (p.startsWith('/files/')) {
      const [, , id, name] = p.split('/');
      const real = url.searchParams.get('r') === '1';
      if (opt.requiresAccessToken && !authed(req)) { res.writeHead(401); return res.end(); }
      if (h === 'fileRedirectOther') { res.writeHead(302, { location: `${otherUrl}/steal` }); return res.end(); }
      if (opt.redirectFiles && !real) { res.writeHead(302, { location: `${p}?r=1` }); return res.end(); }
      const job = jobs.get(id!);
      const buf = job?.files.get(name!);
      if (!job || job.deleted || !buf) { res.writeHead(404, { 'content-type': 'application/json' }); return res.end('{}'); }
      const ct = name!.endsWith('.csv') ? 'text/csv; charset=utf-8' : opt.contentType;
      if (h === 'stall' && name!.startsWith('Patient')) { res.writeHead(200, { 'content-type': ct }); res.write(buf.subarray(0, Math.floor(buf.length / 2))); return; }
      if (opt.gzip) { res.writeHead(200, { 'content-type': ct, 'content-encoding': 'gzip' }); return res.end(gzipSync(buf)); }
      res.writeHead(200, { 'content-type': ct }); return res.end(buf);
    }
    if (p === '/fhir/$export' && req.method === 'GET') {
      if (!authed(req)) { res.writeHead(401, { 'www-authenticate': 'Bearer' }); return res.end(); }
      const { id } = makeJob(url);
      const loc = opt.relativeContentLocation ? `status/${id}` : `${base}/fhir/status/${id}`;
      if (h === 'statusOtherOrigin') { res.writeHead(202, { 'content-location': `${otherUrl}/fhir/status/${id}` }); return res.end(); }
      // A Content-Location naming a record, not a job: a DELETE there would delete the patient.
      if (h === 'statusIsRecord') { res.writeHead(202, { 'content-location': `${base}/fhir/Patient/p1` }); return res.end(); }
      res.writeHead(202, { 'content-location': loc }); return res.end();
    }
    const sm = /^\/fhir\/status\/([0-9a-f]+)$/.exec(p);
    if (sm) {
      const job = jobs.get(sm[1]!);
      if (req.method === 'DELETE') { if (!job) { res.writeHead(404); return res.end(); } job.deleted = true; jobs.delete(sm[1]!); res.writeHead(opt.deleteStatus); return res.end(); }
      if (!authed(req)) { res.writeHead(401); return res.end(); }
      if (!job) { res.writeHead(404, { 'content-type': 'application/fhir+json' }); return res.end('{"resourceType":"OperationOutcome"}'); }
      job.polls++;
      if (h === 'transient503' && job.polls === 1) { res.writeHead(503, { 'retry-after': '1', 'content-type': 'application/fhir+json' }); return res.end(JSON.stringify({ resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: 'transient', diagnostics: 'busy, retry' }] })); }
      if (!opt.firstPoll200 && job.polls === 1) {
        const ra = opt.retryAfterDate ? new Date(Date.now() + 1000).toUTCString() : '1';
        res.writeHead(202, { 'retry-after': ra, 'x-progress': 'in progress' }); return res.end();
      }
      let manifest = job.manifest;
      if (h === 'dupFile') manifest = { ...manifest, output: [...manifest.output, ...manifest.output] };
      if (h === 'file404') manifest = { ...manifest, output: manifest.output.map((e: any) => e.type === 'Patient' ? { ...e, url: e.url + '-gone' } : e) };
      res.writeHead(200, { 'content-type': 'application/json', expires: new Date(Date.now() + 3600e3).toUTCString() });
      return res.end(JSON.stringify(manifest));
    }
    const lm = /^\/fhir\/(Patient|Observation)$/.exec(p);
    if (lm) {
      if (!authed(req)) { res.writeHead(401, { 'www-authenticate': 'Bearer' }); return res.end(); }
      const all = lm[1] === 'Patient' ? patients : observations;
      const count = Number(url.searchParams.get('_count') ?? 5);
      const off = Number(url.searchParams.get('_offset') ?? 0);
      const entry = all.slice(off, off + count);
      const next = off + count < all.length ? `${lm[1]}?_count=${count}&_offset=${off + count}` : undefined; // relative next
      res.writeHead(200, { 'content-type': 'application/json' });
      return res.end(JSON.stringify({ entry, ...(next ? { next } : {}) }));
    }
    const im = /^\/fhir\/(Patient|Observation)\/([^/]+)$/.exec(p);
    if (im) {
      if (!authed(req)) { res.writeHead(401, { 'www-authenticate': 'Bearer' }); return res.end(); }
      const all: any[] = im[1] === 'Patient' ? patients : observations;
      const rec = all.find((r) => r.id === decodeURIComponent(im[2]!));
      if (!rec) { res.writeHead(404, { 'content-type': 'application/json' }); return res.end('{}'); }
      if (req.method === 'DELETE') { all.splice(all.indexOf(rec), 1); res.writeHead(204); return res.end(); }
      if (req.method === 'PUT' && im[1] === 'Patient') { for await (const _ of req); rec.meta = { lastUpdated: new Date().toISOString() }; }
      // key order differs from the export on purpose
      const reordered = Object.fromEntries(Object.entries(rec).reverse());
      res.writeHead(200, { 'content-type': 'application/fhir+json' }); return res.end(JSON.stringify(reordered));
    }
    if (p === '/__log') { res.writeHead(200); return res.end(JSON.stringify(log)); }
    res.writeHead(404, { 'content-type': 'application/json' }); res.end('{}');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { url: base, otherLog: log, close: async () => { server.closeAllConnections(); other.closeAllConnections(); await new Promise((r) => server.close(r)); await new Promise((r) => other.close(r)); } };
}
