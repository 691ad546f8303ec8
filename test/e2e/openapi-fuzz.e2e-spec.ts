import fc from 'fast-check';
import { ApiClient, randomSuffix, SmtpSink, startPlatform, strongPassword } from '@app/testing';
import { randomInt } from 'node:crypto';
import { createOperator, loginWithEmailCode } from './support/story-helpers';

/**
 * Walks every operation of the gateway's own OpenAPI document with malformed bodies, path and query
 * parameters and headers, without a token, as a signed-in operator (operator and shared routes) and
 * as a tenant's signed-in admin (tenant-admin, tenant-user and shared routes), and fails on any 5xx
 * or any answer that shows a stack, a file path or a database error. The time is bounded, so it fits
 * `npm test`: every operation gets at least MIN_RUNS requests per caller, and up to RUNS_PER_OPERATION
 * as far as the budget allows (a busy machine gets fewer, never a walk cut short); a failure prints
 * fast-check's seed and path to replay it (`FUZZ_SEED`; `FUZZ_RUNS` and `FUZZ_BUDGET_MS` widen a
 * local run).
 */

/** Requests per operation and caller (no token, operator, tenant admin) when time allows. */
const RUNS_PER_OPERATION = Number(process.env.FUZZ_RUNS ?? 20);
/** Requests per operation and caller whatever the time. */
const MIN_RUNS = 3;
const SEED = process.env.FUZZ_SEED === undefined ? undefined : Number(process.env.FUZZ_SEED);
/** The walk's target time: runs per operation shrink (down to MIN_RUNS) to stay near it. */
const BUDGET_MS = Number(process.env.FUZZ_BUDGET_MS ?? 20_000);

/** What a leaked internal looks like: a stack frame, a source or install path, a database error. */
const LEAK =
  /\bat [^\s]+ \(|\.(?:js|ts):\d+|node_modules|\/work\/|\/home\/|\/root\/|\/dist\/|QueryFailedError|syntax error at or near|violates (?:not-null|unique|foreign key|check) constraint|invalid byte sequence|relation "[^"]+" does not exist|column "[^"]+"|\bstack\b/i;

type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';
const METHODS: Method[] = ['get', 'post', 'put', 'patch', 'delete'];

interface Operation {
  method: Method;
  path: string;
  pathParams: string[];
  queryParams: string[];
  bodySchema?: Schema;
}

interface Schema {
  $ref?: string;
  type?: string;
  format?: string;
  enum?: unknown[];
  example?: unknown;
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  allOf?: Schema[];
  oneOf?: Schema[];
  anyOf?: Schema[];
}

interface OpenApiDocument {
  paths: Record<
    string,
    Partial<Record<Method, { parameters?: { in: string; name: string }[]; requestBody?: any }>>
  >;
  components?: { schemas?: Record<string, Schema> };
}

/** Strings that break the text rule or stress a parser, as raw JSON values. */
const NASTY_STRINGS = [
  '\u0000',
  'a\u0000b',
  '\ud800',
  'x\udfff',
  '\ud800@example.com',
  'user\u0000@example.com',
  '\u001b[31m',
  '\u0008\u007f',
  '',
  ' ',
  'a'.repeat(5000),
  "' OR 1=1 --",
  '%s%n%x',
  '../../etc/passwd',
  '2026-13-45T25:61:00Z',
  '+819012345678\u0000',
  '<script>alert(1)</script>',
  '１２３４５６',
  '𠮷野家🙂',
  '__proto__',
];

/** Path segments as they go on the wire: percent-encoded NUL, bad UTF-8, traversal, huge. */
const NASTY_SEGMENTS = [
  '%00',
  'a%00b',
  '%ED%A0%80',
  '%FF%FE',
  '%C0%AF',
  '..%2F..%2Fetc',
  '%E2%80%AE',
  'x'.repeat(3000),
  '3f1c2a52-8a4e-4a57-9a0e-2f0b7c1d9e11',
  'N202400003',
  'CS0000001',
  '0',
  '-1',
  '99999999999999999999',
  '%20',
  'null',
];

const HEADER_VALUES = ['', 'x', 'Bearer', 'Bearer x.y.z', 'ja', 'en;q=abc', '*/*', 'x'.repeat(4000), 'é'];

const nastyString = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...NASTY_STRINGS) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
  { weight: 1, arbitrary: fc.string({ maxLength: 40 }) },
);

const nastyValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 4, arbitrary: nastyString },
  {
    weight: 2,
    arbitrary: fc.constantFrom<unknown>(null, true, false, 0, -1, 1e308, 1.5, [], {}, [null], ['\u0000'], {
      a: '\ud800',
    }),
  },
  { weight: 1, arbitrary: fc.integer() },
  { weight: 1, arbitrary: fc.array(nastyString, { maxLength: 3 }) },
  { weight: 1, arbitrary: fc.dictionary(nastyString, nastyString, { maxKeys: 3 }) },
);

/** A plausible value for a schema, so that one malformed field meets otherwise well-formed input. */
function sample(schema: Schema | undefined, doc: OpenApiDocument, depth = 0): unknown {
  if (!schema || depth > 6) {
    return 'x';
  }
  if (schema.$ref) {
    return sample(doc.components?.schemas?.[schema.$ref.split('/').pop() ?? ''], doc, depth + 1);
  }
  const combined = schema.allOf?.[0] ?? schema.oneOf?.[0] ?? schema.anyOf?.[0];
  if (combined) {
    return sample(combined, doc, depth + 1);
  }
  if (schema.example !== undefined) {
    return schema.example;
  }
  if (schema.enum?.length) {
    return schema.enum[0];
  }
  switch (schema.type) {
    case 'integer':
    case 'number':
      return 1;
    case 'boolean':
      return true;
    case 'array':
      return [sample(schema.items, doc, depth + 1)];
    case 'object': {
      const out: Record<string, unknown> = {};
      for (const key of schema.required ?? Object.keys(schema.properties ?? {})) {
        out[key] = sample(schema.properties?.[key], doc, depth + 1);
      }
      return out;
    }
    default:
      if (schema.format === 'email') {
        return 'someone@example.com';
      }
      if (schema.format === 'uuid') {
        return '3f1c2a52-8a4e-4a57-9a0e-2f0b7c1d9e11';
      }
      if (schema.format === 'date-time') {
        return '2026-01-01T00:00:00Z';
      }
      return 'x';
  }
}

function operationsOf(doc: OpenApiDocument): Operation[] {
  const operations: Operation[] = [];
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const method of METHODS) {
      const op = item[method];
      if (!op) {
        continue;
      }
      const params = op.parameters ?? [];
      operations.push({
        method,
        path,
        pathParams: params.filter((p) => p.in === 'path').map((p) => p.name),
        queryParams: params.filter((p) => p.in === 'query').map((p) => p.name),
        bodySchema: op.requestBody?.content?.['application/json']?.schema,
      });
    }
  }
  return operations;
}

/** Percent-encodes a generated segment; one with a lone surrogate (not encodable) goes as bad UTF-8. */
function encodeSegment(value: string): string {
  try {
    return encodeURIComponent(value);
  } catch {
    return '%ED%A0%80';
  }
}

/** One malformed request for `op`: a body (field replaced, extra field, or raw garbage), params, headers. */
function requestArbitrary(op: Operation, doc: OpenApiDocument) {
  const base = sample(op.bodySchema, doc);
  const fields = base && typeof base === 'object' && !Array.isArray(base) ? Object.keys(base) : [];
  const body = fc.oneof(
    {
      weight: 6,
      arbitrary: fc
        .tuple(fc.constantFrom(...(fields.length > 0 ? fields : ['field'])), nastyValue)
        .map(([field, value]) => JSON.stringify({ ...(base as object), [field]: value })),
    },
    {
      weight: 1,
      arbitrary: nastyValue.map((value) => JSON.stringify({ ...(base as object), unexpected: value })),
    },
    { weight: 1, arbitrary: nastyValue.map((value) => JSON.stringify(value)) },
    {
      weight: 1,
      arbitrary: fc.constantFrom('{"a":', '{"userId":"\\u0000"}', '{"userId":"\\ud800"}', 'null', '[]'),
    },
  );
  const segment = fc.oneof(
    fc.constantFrom(...NASTY_SEGMENTS),
    fc.string({ unit: 'binary', maxLength: 20 }).map(encodeSegment),
  );
  const headers = fc.record(
    {
      // Mostly JSON, so that bodies reach validation rather than being refused as another type.
      'content-type': fc.oneof(
        { weight: 8, arbitrary: fc.constant('application/json') },
        {
          weight: 1,
          arbitrary: fc.constantFrom(
            'text/plain',
            'application/json; charset=latin1',
            'multipart/form-data; boundary=x',
            'application/x-www-form-urlencoded',
          ),
        },
      ),
      'x-request-id': fc.constantFrom(...HEADER_VALUES),
      'accept-language': fc.constantFrom(...HEADER_VALUES),
      cookie: fc.constantFrom(
        'mamori_device=%00',
        'mamori_device=%ED%A0%80',
        'mamori_device=' + 'x'.repeat(500),
      ),
      'x-api-key': fc.constantFrom(...HEADER_VALUES),
      'x-approver-token': fc.constantFrom(...HEADER_VALUES),
    },
    { requiredKeys: ['content-type'] },
  );
  return fc.record({
    body,
    params: fc.array(segment, { minLength: op.pathParams.length, maxLength: op.pathParams.length }),
    query: fc.array(fc.tuple(fc.constantFrom(...op.queryParams, 'unexpected'), segment), { maxLength: 3 }),
    headers,
  });
}

describe('every OpenAPI operation under malformed input', () => {
  const smtp = new SmtpSink();
  let platform: Awaited<ReturnType<typeof startPlatform>>;
  let operatorToken: string;
  let adminToken: string;
  let doc: OpenApiDocument;

  /**
   * A new tenant's representative admin (no phone: codes by e-mail), password set through the reset
   * flow, signed in; returns the access token.
   */
  async function tenantAdminToken(api: ApiClient): Promise<string> {
    const operatorApi = new ApiClient(platform.baseUrl, operatorToken);
    const tenant = `N2026${String(randomInt(0, 100_000)).padStart(5, '0')}`;
    const id = randomSuffix();
    const opened = await operatorApi.post('/ops/tenants', { number: tenant, name: `Fuzz ${id}` });
    expect({ status: opened.status, body: opened.body }).toMatchObject({ status: 201 });
    const admin = { userId: `adm-fz-${id}@customer.example.fm`, email: `adm-fz-${id}@customer.example` };
    const created = await operatorApi.post(`/ops/tenants/${tenant}/users`, {
      ...admin,
      familyName: 'Suzuki',
      language: 'en',
      admin: true,
    });
    expect({ status: created.status, body: created.body }).toMatchObject({ status: 201 });
    expect((await api.post('/auth/password-reset', admin)).status).toBe(202);
    const mail = await smtp.waitFor(
      (m) => m.to.includes(admin.email) && (m.text ?? '').includes('/password-reset/'),
    );
    smtp.clear();
    const token = /\/password-reset\/([A-Za-z0-9_-]+)/.exec(mail.text ?? '')?.[1];
    const password = strongPassword();
    expect((await api.post(`/auth/password-reset/${token}`, { newPassword: password })).status).toBe(204);
    return (await loginWithEmailCode(api, smtp, admin.userId, admin.email, password)).accessToken;
  }

  beforeAll(async () => {
    const mail = await smtp.start();
    // The fuzz sends far more than a person would; rate limits are not what is under test here.
    platform = await startPlatform({ env: { SMTP_URL: mail.url, RATE_LIMIT_PER_MINUTE: '1000000' } });
    const api = new ApiClient(platform.baseUrl);
    const operator = {
      userId: `ops-fz-${randomSuffix()}`,
      email: `ops-fz-${randomSuffix()}@provider.example`,
      password: strongPassword(),
    };
    await createOperator(operator.userId, operator.email, operator.password);
    operatorToken = (await loginWithEmailCode(api, smtp, operator.userId, operator.email, operator.password))
      .accessToken;
    adminToken = await tenantAdminToken(api);
    doc = (await (await fetch(`${platform.rootUrl}/api/docs-json`)).json()) as OpenApiDocument;
  });

  afterAll(async () => {
    await platform?.stop();
    await smtp.stop();
  });

  /** Who calls an operation: always no one; operators on their routes, tenant admins on theirs, both elsewhere. */
  function tokensFor(path: string): (string | undefined)[] {
    if (path.endsWith('/auth/logout')) {
      // Logging a token out would leave the rest of the walk unauthenticated.
      return [undefined];
    }
    if (path.startsWith('/api/v1/ops/')) {
      return [undefined, operatorToken];
    }
    if (path.startsWith('/api/v1/admin/')) {
      return [undefined, adminToken];
    }
    return [undefined, operatorToken, adminToken];
  }

  it('answers no 5xx and leaks nothing, without a token, as an operator and as a tenant admin', async () => {
    const operations = operationsOf(doc);
    expect(operations.length).toBeGreaterThan(50);
    const started = Date.now();
    let requests = 0;
    let walked = 0;
    const by = { anonymous: 0, operator: 0, admin: 0 };
    let fewest = RUNS_PER_OPERATION;
    for (const [index, op] of operations.entries()) {
      walked++;
      const tokens = tokensFor(op.path);
      // What the rest of the budget affords each remaining operation, at the pace so far.
      const elapsed = Date.now() - started;
      const msPerRequest = requests > 0 ? elapsed / requests : 5;
      const left = operations.slice(index).reduce((sum, next) => sum + tokensFor(next.path).length, 0);
      const affordable = Math.floor((BUDGET_MS - elapsed) / msPerRequest / left);
      const runs = Math.max(MIN_RUNS, Math.min(RUNS_PER_OPERATION, affordable));
      fewest = Math.min(fewest, runs);
      await fc.assert(
        fc.asyncProperty(requestArbitrary(op, doc), fc.constantFrom(...tokens), async (req, token) => {
          let path = op.path;
          op.pathParams.forEach((name, index) => {
            path = path.replace(`{${name}}`, req.params[index]);
          });
          const query = req.query.map(([k, v]) => `${encodeURIComponent(k)}=${v}`).join('&');
          const url = `${platform.rootUrl}${path}${query ? `?${query}` : ''}`;
          const headers: Record<string, string> = {
            ...req.headers,
            ...(token ? { authorization: `Bearer ${token}` } : {}),
          };
          requests++;
          by[token === undefined ? 'anonymous' : token === operatorToken ? 'operator' : 'admin']++;
          const res = await fetch(url, {
            method: op.method.toUpperCase(),
            headers,
            body: op.method === 'get' || op.method === 'delete' ? undefined : req.body,
            signal: AbortSignal.timeout(20_000),
          });
          const text = await res.text();
          const label = `${op.method.toUpperCase()} ${op.path} → ${res.status}: ${text.slice(0, 300)}`;
          if (res.status >= 500) {
            throw new Error(`server error: ${label}`);
          }
          if (!(res.headers.get('content-type') ?? '').startsWith('application/json') || res.status < 400) {
            // Exports and successful answers are the caller's own data, not error bodies.
            return;
          }
          if (LEAK.test(text)) {
            throw new Error(`leaks internals: ${label}`);
          }
        }),
        { numRuns: runs * tokens.length, seed: SEED },
      );
    }
    // The report a reader needs to judge the budget: how much of the document one run covered.
    const elapsed = Date.now() - started;
    // Whether the tokens outlived the walk (a fuzzed request may end a session: then later requests
    // of that role were refused as unauthenticated, which this line makes visible).
    const stillValid = async (token: string) =>
      (await fetch(`${platform.baseUrl}/me`, { headers: { authorization: `Bearer ${token}` } })).status;
    process.stdout.write(
      `openapi fuzz: ${walked}/${operations.length} operations, ${requests} requests ` +
        `(${by.anonymous} anonymous, ${by.operator} operator, ${by.admin} tenant admin; ` +
        `${fewest}–${RUNS_PER_OPERATION} per operation and caller), ${elapsed} ms; ` +
        `GET /me afterwards: operator ${await stillValid(operatorToken)}, admin ${await stillValid(adminToken)}\n`,
    );
    expect(walked).toBe(operations.length);
    // Both roles really walked their routes (a tenant-admin route was called with the admin's token).
    expect(by.operator).toBeGreaterThan(0);
    expect(by.admin).toBeGreaterThan(0);
  });
});
