// bench/cases: case creation, the case list and keyword search through the gateway (HTTP, token
// check, rate-limit counters, NATS, the case service and its PostgreSQL statements), each beside the
// same statements run directly on PostgreSQL with the same concurrency, measured side by side in one
// run; and the keyword search through its gram index beside a sequential scan of the same query,
// over every tenant (operators) and within one tenant (a customer's view).
//
//   npm run build && node bench/cases.mjs [--cases=20000] [--tenants=100] [--comments=0] [--requests=400]
//                                         [--concurrency=8] [--samples=100]
//   full scale: node bench/cases.mjs --cases=1000000 --tenants=1000 --comments=5 --requests=200 --samples=50
//
// It starts its own platform (private NATS and Redis, a fresh database on the local PostgreSQL,
// dropped at the end), so it can run beside `npm start`. Results go in bench/README.md.
import { randomBytes, randomUUID } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { performance } from 'node:perf_hooks';
import {
  dropDatabase,
  ensureDatabase,
  getFreePort,
  PROJECT_ROOT,
  startInfra,
  startPrivateNats,
  startPrivateRedis,
  withDatabase,
} from '../scripts/infra.mjs';
import { ManagedProcess, runCommand } from '../scripts/lib/managed-process.mjs';
import { natsUsers, newNatsPassword } from '../scripts/lib/nats-auth.mjs';
import { newSigningKeys } from '../scripts/lib/signing-keys.mjs';
import { benchArgs } from './support/args.mjs';

const require = createRequire(import.meta.url);
const Redis = require('ioredis');
const { Pool } = require('pg');

const args = benchArgs(['db']);
/**
 * `--db=<name>`: seed into this database and keep it; a later run with the same name and sizes skips
 * the seeding (a million cases take half an hour on 2 cores) and measures again.
 */
const KEEP_DB = args.db;
const CASES = args.cases ?? 20_000;
const REQUESTS = args.requests ?? 400;
const CONCURRENCY = args.concurrency ?? 8;
const SAMPLES = args.samples ?? 100;
const TENANTS = args.tenants ?? 100;
/** Comments per case: their text is searchable with the case's own (CASE-8). */
const COMMENTS = args.comments ?? 0;
const SERVICES = ['auth', 'notification', 'case-management', 'audit'];
const S = 'case_management';

const log = (message) => console.log(`[bench] ${message}`);
const percentile = (values, p) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
};

/** Runs `task(i)` `total` times with `concurrency` in flight; returns operations per second. */
async function throughput(total, concurrency, task) {
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      for (let i = next++; i < total; i = next++) {
        await task(i);
      }
    }),
  );
  return total / ((performance.now() - started) / 1000);
}

/** p50 and p95 (ms) of `task`, one at a time. */
async function latencies(samples, task) {
  const times = [];
  for (let i = 0; i < samples; i++) {
    const started = performance.now();
    await task(i);
    times.push(performance.now() - started);
  }
  return { p50: percentile(times, 50), p95: percentile(times, 95) };
}

async function request(url, { method = 'GET', token, body, headers: extra = {} } = {}) {
  const headers = { ...extra };
  if (token) {
    headers.authorization = `Bearer ${token}`;
  }
  if (body !== undefined) {
    headers['content-type'] = 'application/json';
  }
  const res = await fetch(url, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return {
    status: res.status,
    body: text && (res.headers.get('content-type') ?? '').includes('json') ? JSON.parse(text) : text,
  };
}

function expectOk(answer, what) {
  if (answer.status >= 300) {
    throw new Error(`${what} answered ${answer.status}: ${JSON.stringify(answer.body).slice(0, 300)}`);
  }
  return answer.body;
}

// Words of the generated cases. The rare ones are put into about one case in 1,000 each.
const JA = [
  '検知',
  '通信',
  '遮断',
  '端末',
  '隔離',
  '監視',
  '警告',
  '調査',
  '報告',
  '認証',
  '失敗',
  'ログ',
  'サーバ',
  'パッチ',
  '脆弱性',
  '不正アクセス',
  'ネットワーク',
  'マルウェア',
  'ファイアウォール',
];
const EN = [
  'malware',
  'blocked',
  'endpoint',
  'firewall',
  'login',
  'failure',
  'report',
  'network',
  'policy',
  'update',
];
const RARE = { two: '暗号', three: '改ざん', five: 'ランサムウェ' };
const QUERIES = [
  ['rare 2-character word', RARE.two],
  ['common 2-character word', '検知'],
  ['rare 3-character word', RARE.three],
  ['common 3-character word', '脆弱性'],
  ['rare 5-character word', RARE.five.slice(0, 5)],
  ['common 5-character word', 'マルウェア'],
];

/** The rare word case `i` holds, if any, and whether it sits in a comment rather than the case. */
function rareWordOf(i) {
  return { word: [undefined, RARE.two, RARE.three, RARE.five][i % 1000], inComment: i % 2000 >= 1000 };
}

function caseText(i) {
  const pick = (list, n) => Array.from({ length: n }, (_, k) => list[(i * 7 + k * 13) % list.length]);
  const words = [...pick(JA, 6), ...pick(EN, 3)];
  const rare = rareWordOf(i);
  if (rare.word && (!rare.inComment || COMMENTS === 0)) {
    words.push(rare.word);
  }
  return { subject: `${words[0]} ${words[6]} #${i}`, description: words.join(' ') };
}

/** Comment `k` of case `i`: a customer's or an operator's reply in Japanese and English. */
function commentText(i, k) {
  const pick = (list, n) =>
    Array.from({ length: n }, (_, j) => list[(i * 11 + k * 17 + j * 5) % list.length]);
  const words = [...pick(JA, 5), ...pick(EN, 2)];
  const rare = rareWordOf(i);
  if (rare.word && rare.inComment && k === COMMENTS - 1) {
    words.push(rare.word);
  }
  return `<p>${words.join('、')}。ご確認ください。</p>`;
}

/** Spreads consecutive cases over the tenants (so rare words land in many tenants, not one). */
function tenantIndexOf(i) {
  return (Math.imul(i + 1, 2654435761) >>> 0) % TENANTS;
}

async function main() {
  const infra = await startInfra({ components: ['postgres'] });
  // The platform's own NATS users, as npm start runs them: each process connects as itself.
  const natsPasswords = Object.fromEntries(natsUsers().map((user) => [user, newNatsPassword()]));
  const asNatsUser = (user) => ({ NATS_USER: user, NATS_PASSWORD: natsPasswords[user] });
  const [nats, redisServer] = await Promise.all([
    startPrivateNats({ auth: { passwords: natsPasswords } }),
    startPrivateRedis(),
  ]);
  const dbName = KEEP_DB ?? `mamori_bench_${randomBytes(4).toString('hex')}`;
  await ensureDatabase(infra.postgresUrl, dbName);
  const children = [];
  const labels = new Map();
  const redis = new Redis(redisServer.url);
  try {
    const [port, metricsPort, authPort, barePort] = await Promise.all([
      getFreePort(),
      getFreePort(),
      getFreePort(),
      getFreePort(),
    ]);
    const signingKeys = newSigningKeys();
    const env = {
      ...process.env,
      // Not production: the operator's login code is read from the development outbox.
      NODE_ENV: 'test',
      LOG_LEVEL: 'warn',
      DATABASE_URL: withDatabase(infra.postgresUrl, dbName),
      NATS_URL: nats.url,
      REDIS_URL: redisServer.url,
      REDIS_PREFIX: 'bench',
      ACCESS_TOKEN_SIGNING_KEYS: signingKeys,
      TOKEN_HMAC_SECRET: randomBytes(32).toString('base64'),
      DATA_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
      HTTP_PORT: '0',
      PORT: String(port),
      METRICS_PORT: String(metricsPort),
      DEV_OUTBOX: 'true',
      // The counters run on every call; they are set high so that one client's load is never refused.
      RATE_LIMIT_SESSION_PER_MINUTE: '100000000',
      RATE_LIMIT_USER_PER_MINUTE: '100000000',
      RATE_LIMIT_INTEGRATION_KEY_PER_MINUTE: '100000000',
    };
    const launch = (name, script, extraEnv = {}, onLine = undefined) => {
      const child = new ManagedProcess(name, process.execPath, [script], {
        env: { ...env, ...extraEnv },
        onLine,
      });
      child.start();
      children.push(child);
      labels.set(child.child?.pid ?? child.pid, name);
      return child;
    };
    for (const service of SERVICES) {
      launch(service, path.join(PROJECT_ROOT, `dist/apps/${service}/src/main.js`), {
        ...asNatsUser(service),
        ...(service === 'auth' ? { HTTP_PORT: String(authPort) } : {}),
      });
    }
    launch('gateway', path.join(PROJECT_ROOT, 'dist/apps/gateway/src/main.js'), asNatsUser('gateway'));
    void authPort;
    void barePort;
    const root = `http://127.0.0.1:${port}`;
    for (let i = 0; ; i++) {
      const ready = await fetch(`${root}/health/ready`).then(
        (r) => r.ok,
        () => false,
      );
      if (ready) {
        break;
      }
      if (i > 300) {
        throw new Error('the platform did not become ready in 60 s');
      }
      await new Promise((r) => setTimeout(r, 200));
    }
    const api = `${root}/api/v1`;

    // An operator, logged in as a person would: password, code by e-mail from the dev outbox.
    const userId = `bench-${randomBytes(4).toString('hex')}`;
    const email = `${userId}@bench.example`;
    const password = `Qz7#${randomBytes(6).toString('hex')}!Wv`;
    // On a busy machine the first call to a just-started auth service can time out; a retry after a
    // create that did happen answers `user_id_taken`, and the login below tells whether it exists.
    for (let attempt = 1; attempt <= 5; attempt++) {
      const code = await runCommand(
        process.execPath,
        [
          path.join(PROJECT_ROOT, 'dist/apps/cli/src/main.js'),
          'operator:create',
          '--user-id',
          userId,
          '--email',
          email,
          '--password',
          password,
        ],
        { env: { ...env, ...asNatsUser('cli') }, stdio: 'ignore' },
      );
      if (code === 0) {
        break;
      }
      log(`operator:create exited with ${code} (attempt ${attempt})`);
      await new Promise((r) => setTimeout(r, 2000));
    }
    // A login as a person would (password, then a code from the development outbox); again after a
    // long seed, which outlasts an access token.
    const mailsTo = async () =>
      ((await request(`${api}/dev/outbox`)).body ?? []).filter?.((m) => [m.to].flat().includes(email)) ?? [];
    const login = async () => {
      const seen = new Set((await mailsTo()).map((m) => m.body));
      const first = await request(`${api}/auth/login`, { method: 'POST', body: { userId, password } });
      const flowId = first.body.flowId;
      await request(`${api}/auth/login/${flowId}/challenge`, { method: 'POST', body: { method: 'email' } });
      let securityCode;
      for (let i = 0; i < 100 && !securityCode; i++) {
        securityCode = (await mailsTo())
          .find((m) => !seen.has(m.body))
          ?.body.match(/(?<!\d)\d{6}(?!\d)/)?.[0];
        if (!securityCode) {
          await new Promise((r) => setTimeout(r, 100));
        }
      }
      const verified = await request(`${api}/auth/login/${flowId}/verify`, {
        method: 'POST',
        body: { method: 'email', code: securityCode },
      });
      if (!verified.body.accessToken) {
        throw new Error(
          `login failed: ${JSON.stringify(verified.body)}; first ${JSON.stringify(first.body)}`,
        );
      }
      return verified.body.accessToken;
    };
    let ops = await login();

    // A tenant with a contract, through the operators' API; then an integration key.
    // The tenant of the seed's first share, with a contract so that cases can be created in it.
    const tenant = 'B000000';
    // A kept database already has these from the run that seeded it.
    const created = (answer, what) => (answer.status === 409 ? answer.body : expectOk(answer, what));
    created(
      await request(`${api}/ops/tenants`, {
        method: 'POST',
        token: ops,
        body: { number: tenant, name: 'Bench Co.' },
      }),
      'tenant',
    );
    created(
      await request(`${api}/ops/services`, {
        method: 'POST',
        token: ops,
        body: { code: 'edr', name: { ja: 'EDR', en: 'EDR' } },
      }),
      'service',
    );
    created(
      await request(`${api}/ops/tenants/${tenant}/contracts`, {
        method: 'POST',
        token: ops,
        body: { service: 'edr', startDate: '2026-04-01' },
      }),
      'contract',
    );
    const { apiKey } = expectOk(
      await request(`${api}/ops/integrations`, {
        method: 'POST',
        token: ops,
        body: { name: 'bench', scopes: ['alerts:write'], tenants: [tenant] },
      }),
      'integration',
    );

    // The case service's own code folds text and makes its grams, as it does for every case.
    const { foldText, bigrams } = require(
      path.join(PROJECT_ROOT, 'dist/apps/case-management/src/text/search-text.util.js'),
    );
    const { caseListSql } = require(
      path.join(PROJECT_ROOT, 'dist/apps/case-management/src/cases/case-list-query.js'),
    );
    const { keywordSql } = require(
      path.join(PROJECT_ROOT, 'dist/apps/case-management/src/cases/keyword-query.js'),
    );
    const pool = new Pool({ connectionString: env.DATABASE_URL, max: CONCURRENCY });
    // Connections ended by the drop at the end are not an error of the run.
    pool.on('error', () => undefined);

    const seeded = Number(
      (await pool.query(`SELECT count(*) AS n FROM ${S}.case_record WHERE contractor = 'Bench Co.'`)).rows[0]
        .n,
    );
    const reuse = KEEP_DB !== undefined && seeded >= CASES;
    log(
      reuse
        ? `reusing ${seeded} seeded cases of database ${dbName}`
        : `seeding ${CASES} cases with ${COMMENTS} comments each across ${TENANTS} tenants`,
    );
    const seedStarted = performance.now();
    // A large seed is written without the gram index, which is built once afterwards (as an operator
    // would when importing), rather than updated row by row.
    const bulk = !reuse && CASES >= 200_000;
    if (bulk) {
      await pool.query(`DROP INDEX ${S}.case_search_grams`);
      await pool.query(`DROP INDEX ${S}.case_activity_case`);
    }
    const tenantOf = (i) =>
      tenantIndexOf(i) === 0 ? tenant : `B${String(tenantIndexOf(i)).padStart(6, '0')}`;
    for (let from = 0; from < (reuse ? 0 : CASES); from += 1000) {
      const comments = [];
      const rows = Array.from({ length: Math.min(1000, CASES - from) }, (_, k) => {
        const i = from + k;
        const { subject, description } = caseText(i);
        const id = randomUUID();
        const at = new Date(Date.UTC(2026, 0, 1) + i * 60_000);
        const bodies = Array.from({ length: COMMENTS }, (_, c) => commentText(i, c));
        bodies.forEach((body, c) =>
          comments.push({
            id: randomUUID(),
            caseId: id,
            tenant: tenantOf(i),
            body,
            at: new Date(at.getTime() + (c + 1) * 1000),
          }),
        );
        const text = foldText(
          [subject, description, ...bodies.map((b) => b.replace(/<[^>]+>/g, ''))].join('\n'),
        );
        return {
          id,
          tenant: tenantOf(i),
          subject,
          description,
          text,
          grams: `{${bigrams(text)
            .map((g) => `"${g.replace(/["\\]/g, (c) => `\\${c}`)}"`)
            .join(',')}}`,
          at,
        };
      });
      await pool.query(
        `INSERT INTO ${S}.case_record (id, number, tenant_number, contractor, service_code, category_code, subject,
           description, origin, requester_id, requester_name, status, counts_as_inquiry, created_at, updated_at,
           search_text, search_grams)
         SELECT r.id, 'CS' || lpad(nextval('${S}.case_number_seq')::text, 7, '0'), r.tenant, 'Bench Co.', 'edr',
           'alert', r.subject, r.description, 'operator', NULL, NULL, 'new', false, r.at, r.at, r.text, r.grams::text[]
           FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::timestamptz[])
             AS r(id, tenant, subject, description, text, grams, at)`,
        [
          rows.map((r) => r.id),
          rows.map((r) => r.tenant),
          rows.map((r) => r.subject),
          rows.map((r) => r.description),
          rows.map((r) => r.text),
          rows.map((r) => r.grams),
          rows.map((r) => r.at),
        ],
      );
      if (comments.length > 0) {
        await pool.query(
          `INSERT INTO ${S}.case_activity (id, case_id, tenant_number, kind, author_name, author_role, body, at)
           SELECT c.id, c.case_id, c.tenant, 'comment', 'SOC', 'operator', c.body, c.at
             FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::text[], $5::timestamptz[])
               AS c(id, case_id, tenant, body, at)`,
          [
            comments.map((c) => c.id),
            comments.map((c) => c.caseId),
            comments.map((c) => c.tenant),
            comments.map((c) => c.body),
            comments.map((c) => c.at),
          ],
        );
      }
      if (from % 100_000 === 0 && from > 0) {
        log(`  ${from} cases (${((performance.now() - seedStarted) / 1000).toFixed(0)} s)`);
      }
    }
    const seedSeconds = (performance.now() - seedStarted) / 1000;
    let indexSeconds = 0;
    if (bulk) {
      const indexStarted = performance.now();
      const client = await pool.connect();
      try {
        await client.query(`SET maintenance_work_mem = '1GB'`);
        await client.query(`CREATE INDEX case_search_grams ON ${S}.case_record USING gin (search_grams)`);
        await client.query(`CREATE INDEX case_activity_case ON ${S}.case_activity (case_id, at)`);
      } finally {
        client.release();
      }
      indexSeconds = (performance.now() - indexStarted) / 1000;
    }
    await pool.query(`ANALYZE ${S}.case_record`);
    await pool.query(`ANALYZE ${S}.case_activity`);
    const sizes = (
      await pool.query(
        `SELECT pg_size_pretty(pg_total_relation_size('${S}.case_record')) AS cases,
                pg_size_pretty(pg_relation_size('${S}.case_search_grams')) AS grams,
                pg_size_pretty(pg_total_relation_size('${S}.case_activity')) AS activity`,
      )
    ).rows[0];
    log(
      `seeded in ${seedSeconds.toFixed(1)} s${bulk ? `, indexes built in ${indexSeconds.toFixed(1)} s` : ''}; ` +
        `cases ${sizes.cases} (gram index ${sizes.grams}), activity ${sizes.activity}`,
    );

    // The statements of one creation as the case service runs them, in one transaction, run directly.
    const directCreate = async (i) => {
      const client = await pool.connect();
      try {
        const { subject, description } = caseText(CASES + i);
        const id = randomUUID();
        const now = new Date();
        await client.query('BEGIN');
        const { rows } = await client.query(
          `INSERT INTO ${S}.case_record (id, number, tenant_number, contractor, service_code, category_code, subject,
             description, origin, requester_id, requester_name, status, counts_as_inquiry, created_at, updated_at)
           VALUES ($1, 'CS' || lpad(nextval('${S}.case_number_seq')::text, 7, '0'), $2, 'Bench Co.', 'edr', 'monitoring_alert',
             $3, $4, 'operator', NULL, NULL, 'new', false, $5, $5) RETURNING number`,
          [id, tenant, subject, `<p>${description}</p>`, now],
        );
        const text = foldText(`${subject}\n${description}`);
        const current = await client.query(`SELECT search_text FROM ${S}.case_record WHERE id = $1`, [id]);
        void current;
        await client.query(`UPDATE ${S}.case_record SET search_text = $2, search_grams = $3 WHERE id = $1`, [
          id,
          text,
          bigrams(text),
        ]);
        await client.query(
          `INSERT INTO ${S}.case_activity (id, case_id, tenant_number, kind, author_id, author_name, author_role, event, at)
           VALUES ($1, $2, $3, 'system', $4, 'SOC', 'operator', 'created', $5)`,
          [randomUUID(), id, tenant, randomUUID(), now],
        );
        await client.query(`INSERT INTO ${S}.outbox (id, subject, payload) VALUES ($1, $2, $3)`, [
          randomUUID(),
          'audit.bench.direct',
          JSON.stringify({ type: 'bench', target: rows[0].number }),
        ]);
        await client.query('COMMIT');
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw error;
      } finally {
        client.release();
      }
    };
    // The outbox relay would publish the direct rows into AUDIT; they are not facts of anything.
    const dropDirectFacts = () => pool.query(`DELETE FROM ${S}.outbox WHERE subject = 'audit.bench.direct'`);

    const viaGatewayCreate = async (i) => {
      const { subject, description } = caseText(CASES + i);
      expectOk(
        await request(`${api}/ops/cases`, {
          method: 'POST',
          token: ops,
          body: {
            tenant,
            service: 'edr',
            category: 'monitoring_alert',
            subject,
            description: `<p>${description}</p>`,
          },
        }),
        'POST /ops/cases',
      );
    };
    const runTag = randomBytes(3).toString('hex');
    const viaGatewayAlert = async (i) => {
      const { subject, description } = caseText(CASES + i);
      const answer = await request(`${api}/integrations/alerts`, {
        method: 'POST',
        headers: { 'x-api-key': apiKey },
        body: { externalId: `bench-${runTag}-${i}`, service: 'edr', subject, description, severity: 'high' },
      });
      if (answer.status !== 201) {
        throw new Error(`POST /integrations/alerts answered ${answer.status}`);
      }
    };

    // The list and search statements exactly as the case repository composes them (operator scope).
    // With `tenantNumber`, the customer's scope: the repository puts the tenant predicate first.
    const listStatement = (query, tenantNumber) => {
      const sql = caseListSql(query, (params) => (query.q === undefined ? [] : keywordSql(query.q, params)));
      const scope = tenantNumber === undefined ? 'TRUE' : `c.tenant_number = ${sql.params.add(tenantNumber)}`;
      const where = [scope, ...sql.where].join(' AND ');
      const cap = sql.params.add(sql.countCap + 1);
      const limit = sql.params.add(sql.limit);
      const offset = sql.params.add(sql.offset);
      return {
        text: `WITH counted AS (
           SELECT count(*) AS n FROM (SELECT 1 FROM ${S}.case_record c WHERE ${where} LIMIT ${cap}) capped)
         SELECT c.id, c.number, c.tenant_number, c.contractor, c.service_code, c.category_code, c.subject,
           c.description, c.origin, c.requester_id, c.requester_name, c.status, c.counts_as_inquiry, c.created_at,
           c.updated_at, c.closed_at, (SELECT n FROM counted) AS counted
           FROM ${S}.case_record c WHERE ${where} ORDER BY ${sql.orderBy} LIMIT ${limit} OFFSET ${offset}`,
        values: sql.params.values,
      };
    };
    const direct = (statement) => () => pool.query(statement.text, statement.values);
    const scan = (statement) => async () => {
      const client = await pool.connect();
      try {
        // The same statement with every index path refused: what the query costs without the gram index.
        await client.query('BEGIN');
        await client.query('SET LOCAL enable_bitmapscan = off');
        await client.query('SET LOCAL enable_indexscan = off');
        await client.query('SET LOCAL enable_indexonlyscan = off');
        await client.query(statement.text, statement.values);
        await client.query('COMMIT');
      } finally {
        client.release();
      }
    };
    const viaGateway = (query) => async () => {
      const qs = new URLSearchParams(Object.entries(query).map(([k, v]) => [k, String(v)]));
      expectOk(await request(`${api}/ops/cases?${qs}`, { token: ops }), `GET /ops/cases?${qs}`);
    };

    ops = await login();
    // A long run outlasts an access token too: a fresh one every ten minutes.
    const relogin = setInterval(
      () =>
        void login().then(
          (token) => (ops = token),
          (error) => log(`login again failed: ${error instanceof Error ? error.message : error}`),
        ),
      10 * 60_000,
    );
    relogin.unref();
    log(`warming up (${CONCURRENCY} in flight)`);
    // A refusal while warming up (a timeout on a loaded machine) is not measured; it is only reported.
    const warm = (task) => (i) =>
      task(i).catch((error) => log(`warm-up: ${error instanceof Error ? error.message : error}`));
    await throughput(50, CONCURRENCY, warm(viaGatewayCreate));
    await throughput(
      50,
      CONCURRENCY,
      warm((i) => directCreate(REQUESTS * 10 + i)),
    );
    await throughput(
      50,
      CONCURRENCY,
      warm((i) => viaGatewayAlert(REQUESTS * 10 + i)),
    );

    log('creation');
    const createDirect = await throughput(REQUESTS, CONCURRENCY, (i) => directCreate(REQUESTS * 20 + i));
    const createGateway = await throughput(REQUESTS, CONCURRENCY, (i) => viaGatewayCreate(REQUESTS * 30 + i));
    const alertGateway = await throughput(REQUESTS, CONCURRENCY, (i) => viaGatewayAlert(i));
    await dropDirectFacts();

    log('list');
    const firstPage = { view: 'all', pageSize: 20 };
    const filtered = { view: 'alerts', sort: '-updated,number', pageSize: 20, page: 3 };
    const listDirect = await throughput(REQUESTS, CONCURRENCY, direct(listStatement(firstPage)));
    const listGateway = await throughput(REQUESTS, CONCURRENCY, viaGateway(firstPage));
    const filteredDirect = await throughput(REQUESTS, CONCURRENCY, direct(listStatement(filtered)));
    const filteredGateway = await throughput(REQUESTS, CONCURRENCY, viaGateway(filtered));

    log('keyword search, one query at a time');
    const searches = [];
    for (const [label, word] of QUERIES) {
      const query = { q: word, pageSize: 20 };
      const statement = listStatement(query);
      const matched = Number((await pool.query(statement.text, statement.values)).rows[0]?.counted ?? 0);
      const gateway = await latencies(SAMPLES, viaGateway(query));
      const indexed = await latencies(SAMPLES, direct(statement));
      const scanned = await latencies(Math.max(10, Math.floor(SAMPLES / 5)), scan(statement));
      searches.push({ label, word, matched, gateway, indexed, scanned });
    }

    // One tenant's view: each sample asks another tenant (a customer's search), through the gateway as
    // the operators' `tenant` filter (the same predicate), directly, and as a scan.
    log('keyword search within one tenant, one query at a time');
    const tenantAt = (k) => tenantOf((k * 7_919) % CASES);
    const tenantFilter = (k) => JSON.stringify([[{ field: 'tenant', op: 'eq', value: tenantAt(k) }]]);
    const scoped = [];
    for (const [label, word] of QUERIES) {
      const query = { q: word, pageSize: 20 };
      let matched = 0;
      for (let k = 0; k < 20; k++) {
        const statement = listStatement(query, tenantAt(k));
        matched += Number((await pool.query(statement.text, statement.values)).rows[0]?.counted ?? 0);
      }
      const gateway = await latencies(SAMPLES, (k) => viaGateway({ ...query, filter: tenantFilter(k) })());
      const indexed = await latencies(SAMPLES, (k) => direct(listStatement(query, tenantAt(k)))());
      const scanned = await latencies(Math.max(10, Math.floor(SAMPLES / 5)), (k) =>
        scan(listStatement(query, tenantAt(k)))(),
      );
      scoped.push({ label, word, matched: matched / 20, gateway, indexed, scanned });
    }
    const firstPageScoped = await latencies(SAMPLES, (k) =>
      direct(listStatement({ view: 'all', pageSize: 20 }, tenantAt(k)))(),
    );
    clearInterval(relogin);
    await pool.end();

    const cores = os.cpus().length;
    const f0 = (n) => n.toFixed(0).padStart(6);
    const f1 = (n) => n.toFixed(1).padStart(7);
    console.log('');
    console.log(
      `machine: ${cores} cores (${os.cpus()[0]?.model ?? 'unknown'}), node ${process.version}, load ${os.loadavg()[0].toFixed(1)}; ${CASES} seeded cases with ${CASES * COMMENTS} comments in ${TENANTS} tenants; ${CONCURRENCY} in flight, ${REQUESTS} requests per figure`,
    );
    console.log(
      `seed ${seedSeconds.toFixed(0)} s${bulk ? `, index build ${indexSeconds.toFixed(0)} s` : ''}; case table ${sizes.cases} (gram index ${sizes.grams}), activity ${sizes.activity}`,
    );
    console.log('throughput (per second)                        gateway  direct SQL  ratio');
    const row = (label, g, d) =>
      console.log(
        `  ${label.padEnd(44)} ${f0(g)}  ${d === undefined ? '      ' : f0(d)}     ${d === undefined ? '' : (g / d).toFixed(2)}`,
      );
    row('create a case (POST /ops/cases)', createGateway, createDirect);
    row('create an alert case (POST /integrations/alerts)', alertGateway, createDirect);
    row('first page, every tenant (GET /ops/cases)', listGateway, listDirect);
    row('alerts view, sorted, page 3', filteredGateway, filteredDirect);
    console.log('');
    console.log(
      'keyword search over every tenant, one at a time (ms)   matched  gateway p50/p95  index p50/p95  scan p50/p95  scan/index p95',
    );
    for (const s of searches) {
      console.log(
        `  ${`${s.label} (${s.word})`.padEnd(38)} ${String(s.matched).padStart(7)}  ${f1(s.gateway.p50)} ${f1(s.gateway.p95)}  ${f1(s.indexed.p50)} ${f1(s.indexed.p95)}  ${f1(s.scanned.p50)} ${f1(s.scanned.p95)}  ${(s.scanned.p95 / s.indexed.p95).toFixed(1).padStart(6)}x`,
      );
    }
    console.log('');
    console.log(
      'keyword search within one tenant (a different tenant each time) (ms)   matched/tenant  gateway p50/p95  index p50/p95  scan p50/p95  scan/index p95',
    );
    for (const s of scoped) {
      console.log(
        `  ${`${s.label} (${s.word})`.padEnd(38)} ${s.matched.toFixed(1).padStart(7)}  ${f1(s.gateway.p50)} ${f1(s.gateway.p95)}  ${f1(s.indexed.p50)} ${f1(s.indexed.p95)}  ${f1(s.scanned.p50)} ${f1(s.scanned.p95)}  ${(s.scanned.p95 / s.indexed.p95).toFixed(1).padStart(6)}x`,
      );
    }
    console.log(
      `  first page of one tenant, direct: p50 ${f1(firstPageScoped.p50)} p95 ${f1(firstPageScoped.p95)}`,
    );
  } catch (error) {
    // Said before the clean-up, which could otherwise hide it.
    console.error(`[bench] ${error instanceof Error ? (error.stack ?? error.message) : error}`);
    process.exitCode = 1;
  } finally {
    redis.disconnect();
    await Promise.all(children.map((c) => c.stop({ timeoutMs: 10_000 })));
    if (KEEP_DB === undefined) {
      await dropDatabase(infra.postgresUrl, dbName).catch(() => undefined);
    } else {
      log(`database ${dbName} kept (drop it with: psql -c 'DROP DATABASE "${dbName}"')`);
    }
    await Promise.all([nats.stop(), redisServer.stop()]);
    await infra.stop();
  }
}

main().catch((error) => {
  console.error(`[bench] ${error instanceof Error ? error.message : error}`);
  process.exit(1);
});
