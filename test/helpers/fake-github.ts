// A local HTTP server that behaves like GitHub's REST API for the endpoints the PR bot uses,
// and checks every request (and every response it sends) against GitHub's official OpenAPI
// description from @octokit/openapi. A request whose method and path match no operation in
// the description, or whose parameters or body do not match it, is recorded in `violations`
// and answered 400, so a wrong path or body fails the test that made it.
import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import type { Finding, FindingStatus, Report } from '../../tools/lib/core/types.ts';

const require = createRequire(import.meta.url);
const SPEC_ID = 'https://fake-github.test/openapi.json';

interface OpenApiParameter {
  name: string;
  in: 'path' | 'query' | 'header' | 'cookie';
  required?: boolean;
  schema?: Record<string, unknown>;
  'x-multi-segment'?: boolean;
}
interface OpenApiOperation {
  operationId: string;
  parameters?: (OpenApiParameter | { $ref: string })[];
  requestBody?: { required?: boolean; content: Record<string, { schema: Record<string, unknown> }> } | { $ref: string };
  responses: Record<string, unknown>;
}
interface OpenApiSpec {
  paths: Record<string, Record<string, OpenApiOperation>>;
  components: Record<string, Record<string, unknown>>;
}

interface Route {
  method: string;
  template: string;
  regex: RegExp;
  paramNames: string[];
  literalSegments: number;
  operation: OpenApiOperation;
}

/** Loaded once per test process: 13 MB of JSON parses in ~0.2 s. */
let shared: { spec: OpenApiSpec; routes: Route[]; ajv: Ajv; validators: Map<string, ValidateFunction> } | undefined;

function loadSpec() {
  if (shared) return shared;
  const spec = require('@octokit/openapi/generated/api.github.com.json') as OpenApiSpec;
  const routes: Route[] = [];
  for (const [template, methods] of Object.entries(spec.paths)) {
    for (const [method, operation] of Object.entries(methods)) {
      if (!operation || typeof operation !== 'object' || !('operationId' in operation)) continue;
      const params = (operation.parameters ?? []).map((p) => resolveRef<OpenApiParameter>(spec, p));
      const paramNames: string[] = [];
      const pattern = template.replace(/\{([^}]+)\}/g, (_, name: string) => {
        paramNames.push(name);
        const multi = params.find((p) => p.name === name)?.['x-multi-segment'];
        return multi ? '(.+)' : '([^/]+)';
      });
      routes.push({
        method: method.toUpperCase(),
        template,
        regex: new RegExp(`^${pattern}$`),
        paramNames,
        literalSegments: template.split('/').filter((s) => s && !s.startsWith('{')).length,
        operation,
      });
    }
  }
  const ajv = new Ajv({ strict: false, allErrors: true });
  ((addFormatsModule as unknown as { default?: (a: Ajv) => void }).default ?? (addFormatsModule as unknown as (a: Ajv) => void))(ajv);
  ajv.addSchema({ $id: SPEC_ID, components: spec.components });
  shared = { spec, routes, ajv, validators: new Map() };
  return shared;
}

function resolveRef<T>(spec: OpenApiSpec, node: unknown): T {
  let current = node as { $ref?: string };
  for (let depth = 0; current && typeof current === 'object' && typeof current.$ref === 'string' && depth < 20; depth++) {
    const path = current.$ref.replace(/^#\//, '').split('/');
    current = path.reduce<unknown>((acc, key) => (acc as Record<string, unknown>)?.[key], spec) as { $ref?: string };
  }
  return current as T;
}

/** Local "#/components/..." references point into the schema registered under SPEC_ID. */
function anchorRefs(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(anchorRefs);
  if (!schema || typeof schema !== 'object') return schema;
  return Object.fromEntries(
    Object.entries(schema).map(([k, v]) => [k, k === '$ref' && typeof v === 'string' && v.startsWith('#/') ? SPEC_ID + v : anchorRefs(v)]),
  );
}

function validatorFor(key: string, schema: unknown): ValidateFunction {
  const { ajv, validators } = loadSpec();
  let validate = validators.get(key);
  if (!validate) {
    validate = ajv.compile(anchorRefs(schema) as object);
    validators.set(key, validate);
  }
  return validate;
}

function example<T>(name: string): T {
  const { spec } = loadSpec();
  return structuredClone((spec.components.examples[name] as { value: T }).value);
}

export interface FakeUser {
  login: string;
  id: number;
  type: 'User' | 'Bot' | 'Organization';
}

export interface FakeComment {
  id: number;
  issueNumber: number;
  body: string;
  user: FakeUser;
  createdAt: string;
  updatedAt: string;
}

export interface FakePullRequest {
  number: number;
  state: 'open' | 'closed';
  headSha: string;
  headRef: string;
  /** owner/name of the head repository (a fork for fork PRs). */
  headRepo: string;
  baseRef: string;
  /** Whether GET /commits/{sha}/pulls lists it (GitHub does not always list fork PRs there). */
  listedForCommit?: boolean;
}

export interface Fault {
  /** Only requests to this operation (e.g. "issues/create-comment"); any when absent. */
  operationId?: string;
  status: number;
  headers?: Record<string, string>;
  body: unknown;
  /** How many matching requests get this answer (default 1). */
  times?: number;
}

export interface RecordedRequest {
  method: string;
  path: string;
  operationId?: string;
  status: number;
  body?: unknown;
}

export const BOT_USER: FakeUser = { login: 'github-actions[bot]', id: 41898282, type: 'Bot' };

const DOCS = 'https://docs.github.com/rest';

export const faults = {
  secondaryRateLimit: (operationId?: string, retryAfterSeconds?: number, times = 1): Fault => ({
    operationId,
    times,
    status: 403,
    headers: retryAfterSeconds === undefined ? {} : { 'retry-after': String(retryAfterSeconds) },
    body: {
      message:
        'You have exceeded a secondary rate limit. Please wait a few minutes before you try again. If you reach out to GitHub Support for help, please include the request ID 0000:1111:2222:3333:4444.',
      documentation_url: 'https://docs.github.com/free-pro-team@latest/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits',
      status: '403',
    },
  }),
  tooManyRequests: (operationId: string | undefined, retryAfterSeconds: number, times = 1): Fault => ({
    operationId,
    times,
    status: 429,
    headers: { 'retry-after': String(retryAfterSeconds) },
    body: { message: 'API rate limit exceeded', documentation_url: DOCS, status: '429' },
  }),
  serverError: (operationId?: string, status = 502, times = 1): Fault => ({
    operationId,
    times,
    status,
    body: { message: 'Server Error', documentation_url: DOCS, status: String(status) },
  }),
  notFound: (operationId?: string, times = 1): Fault => ({
    operationId,
    times,
    status: 404,
    body: { message: 'Not Found', documentation_url: DOCS, status: '404' },
  }),
};

export interface FakeGitHubOptions {
  owner?: string;
  repo?: string;
  /** token -> identity; the default token "actions-token" is github-actions[bot]. */
  tokens?: Record<string, FakeUser>;
  /** GitHub's comment body limit. */
  bodyLimit?: number;
}

export class FakeGitHub {
  readonly owner: string;
  readonly repo: string;
  readonly tokens: Record<string, FakeUser>;
  readonly bodyLimit: number;
  readonly violations: string[] = [];
  readonly requests: RecordedRequest[] = [];
  readonly comments: FakeComment[] = [];
  readonly pulls: FakePullRequest[] = [];
  private readonly faultQueue: Fault[] = [];
  private nextCommentId = 1_000_001;
  private clock = Date.parse('2024-05-01T10:00:00Z');
  private server = createServer((req, res) => {
    this.handle(req, res).catch((error) => {
      this.violations.push(`fake-github crashed on ${req.method} ${req.url}: ${(error as Error).stack}`);
      send(res, 500, { message: 'fake-github crashed' });
    });
  });
  url = '';

  constructor(options: FakeGitHubOptions = {}) {
    this.owner = options.owner ?? 'acme';
    this.repo = options.repo ?? 'gitops';
    this.tokens = options.tokens ?? { 'actions-token': BOT_USER };
    this.bodyLimit = options.bodyLimit ?? 65_536;
    loadSpec();
  }

  async start(): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  addPullRequest(pull: Partial<FakePullRequest> & { number: number; headSha: string }): FakePullRequest {
    const full: FakePullRequest = {
      state: 'open',
      headRef: `feature-${pull.number}`,
      headRepo: `${this.owner}/${this.repo}`,
      baseRef: 'main',
      listedForCommit: true,
      ...pull,
    };
    this.pulls.push(full);
    return full;
  }

  addComment(issueNumber: number, body: string, user: FakeUser): FakeComment {
    const comment = { id: this.nextCommentId++, issueNumber, body, user, createdAt: this.tick(), updatedAt: '' };
    comment.updatedAt = comment.createdAt;
    this.comments.push(comment);
    return comment;
  }

  commentsOn(issueNumber: number): FakeComment[] {
    return this.comments.filter((c) => c.issueNumber === issueNumber);
  }

  fail(fault: Fault): void {
    this.faultQueue.push({ times: 1, ...fault });
  }

  /** Requests that reached an operation, as "operationId" strings in order. */
  operations(): string[] {
    return this.requests.map((r) => r.operationId ?? `${r.method} ${r.path}`);
  }

  private tick(): string {
    this.clock += 1000;
    return new Date(this.clock).toISOString().replace(/\.\d{3}Z$/, 'Z');
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const method = req.method ?? 'GET';
    const url = new URL(req.url ?? '/', this.url);
    const raw = await readBody(req);
    const record: RecordedRequest = { method, path: url.pathname + url.search, status: 0 };
    this.requests.push(record);
    const reply = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      record.status = status;
      if (record.operationId) this.checkResponse(record.operationId, route!, status, body);
      send(res, status, body, headers);
    };

    const { routes } = loadSpec();
    const route = routes
      .filter((r) => r.method === method && r.regex.test(url.pathname))
      .sort((a, b) => b.literalSegments - a.literalSegments)[0];
    if (!route) {
      this.violations.push(`${method} ${url.pathname} matches no operation in GitHub's OpenAPI description`);
      record.status = 400;
      return send(res, 400, { message: `fake-github: ${method} ${url.pathname} is not a GitHub REST endpoint` });
    }
    record.operationId = route.operation.operationId;
    const pathParams = Object.fromEntries(route.paramNames.map((n, i) => [n, decodeURIComponent(route.regex.exec(url.pathname)![i + 1])]));

    const problems = this.checkRequest(route, pathParams, url.searchParams, req, raw);
    let body: unknown;
    if (raw.length > 0) {
      try {
        body = JSON.parse(raw);
        record.body = body;
      } catch {
        problems.push('request body is not JSON');
      }
    }
    if (body !== undefined && problems.length === 0) problems.push(...this.checkBody(route, body));
    if (problems.length > 0) {
      this.violations.push(`${route.operation.operationId} (${method} ${url.pathname}${url.search}): ${problems.join('; ')}`);
      record.status = 400;
      return send(res, 400, { message: `fake-github: request does not match the OpenAPI description: ${problems.join('; ')}` });
    }

    const user = this.authenticate(req);
    if (!user) return reply(401, { message: 'Bad credentials', documentation_url: DOCS, status: '401' });

    const fault = this.takeFault(route.operation.operationId);
    if (fault) return reply(fault.status, fault.body, fault.headers);

    if (pathParams.owner !== this.owner || pathParams.repo !== this.repo) return reply(404, notFound());
    const handler = this.handlers[route.operation.operationId];
    if (!handler) {
      this.violations.push(`fake-github does not implement ${route.operation.operationId}`);
      record.status = 501;
      return send(res, 501, { message: `fake-github does not implement ${route.operation.operationId}` });
    }
    const [status, responseBody, headers] = handler({ params: pathParams, query: url.searchParams, body: body as Record<string, unknown>, user });
    reply(status, responseBody, headers);
  }

  private checkRequest(route: Route, pathParams: Record<string, string>, query: URLSearchParams, req: IncomingMessage, raw: string): string[] {
    const { spec } = loadSpec();
    const problems: string[] = [];
    const params = (route.operation.parameters ?? []).map((p) => resolveRef<OpenApiParameter>(spec, p));
    for (const p of params) {
      const value = p.in === 'path' ? pathParams[p.name] : p.in === 'query' ? (query.get(p.name) ?? undefined) : undefined;
      if (p.in !== 'path' && p.in !== 'query') continue;
      if (value === undefined) {
        if (p.required) problems.push(`missing required ${p.in} parameter ${p.name}`);
        continue;
      }
      const problem = checkScalar(value, p.schema ?? {});
      if (problem) problems.push(`${p.in} parameter ${p.name}=${JSON.stringify(value)} ${problem}`);
    }
    for (const name of new Set(query.keys())) {
      if (!params.some((p) => p.in === 'query' && p.name === name)) problems.push(`unknown query parameter ${name}`);
    }
    const requestBody = route.operation.requestBody ? resolveRef<{ required?: boolean; content: Record<string, unknown> }>(spec, route.operation.requestBody) : undefined;
    if (!requestBody && raw.length > 0) problems.push('this operation takes no request body');
    if (requestBody?.required && raw.length === 0) problems.push('the request body is required');
    if (requestBody && raw.length > 0 && !String(req.headers['content-type'] ?? '').startsWith('application/json')) {
      problems.push(`content-type must be application/json (got ${req.headers['content-type']})`);
    }
    const accept = String(req.headers.accept ?? '');
    if (!/application\/(vnd\.github[\w.+-]*|json)/.test(accept)) problems.push(`accept header ${JSON.stringify(accept)} asks for no GitHub media type`);
    return problems;
  }

  private checkBody(route: Route, body: unknown): string[] {
    const { spec } = loadSpec();
    const requestBody = resolveRef<{ content: Record<string, { schema: Record<string, unknown> }> }>(spec, route.operation.requestBody);
    const schema = requestBody.content['application/json']?.schema;
    if (!schema) return ['the operation has no application/json body'];
    const validate = validatorFor(`request ${route.operation.operationId}`, schema);
    const problems = validate(body) ? [] : (validate.errors ?? []).map((e) => `body${e.instancePath} ${e.message}`);
    // Stricter than GitHub, which ignores unknown fields: a misspelt field is a bug in the client.
    const resolved = resolveRef<{ properties?: Record<string, unknown> }>(spec, schema);
    if (resolved.properties && body && typeof body === 'object' && !Array.isArray(body)) {
      for (const key of Object.keys(body)) if (!(key in resolved.properties)) problems.push(`body has unknown field ${key}`);
    }
    return problems;
  }

  /** The fake must answer like GitHub: its own responses are held to the description too. */
  private checkResponse(operationId: string, route: Route, status: number, body: unknown): void {
    const { spec } = loadSpec();
    const response = resolveRef<{ content?: Record<string, { schema?: unknown }> }>(spec, route.operation.responses[String(status)]);
    const schema = response?.content?.['application/json']?.schema;
    if (!schema) {
      if (status < 300 || !route.operation.responses[String(status)]) return;
      return;
    }
    const validate = validatorFor(`response ${operationId} ${status}`, schema);
    if (!validate(body)) {
      this.violations.push(
        `fake-github's own ${status} response to ${operationId} does not match the description: ${(validate.errors ?? [])
          .slice(0, 3)
          .map((e) => `${e.instancePath} ${e.message}`)
          .join('; ')}`,
      );
    }
  }

  private authenticate(req: IncomingMessage): FakeUser | undefined {
    const header = String(req.headers.authorization ?? '');
    const match = /^(?:token|bearer)\s+(\S+)$/i.exec(header);
    return match ? this.tokens[match[1]] : undefined;
  }

  private takeFault(operationId: string): Fault | undefined {
    const index = this.faultQueue.findIndex((f) => !f.operationId || f.operationId === operationId);
    if (index < 0) return undefined;
    const fault = this.faultQueue[index];
    fault.times = (fault.times ?? 1) - 1;
    if (fault.times <= 0) this.faultQueue.splice(index, 1);
    return fault;
  }

  private readonly handlers: Record<string, (ctx: HandlerContext) => [number, unknown, Record<string, string>?]> = {
    'issues/list-comments': ({ params, query }) => {
      const issue = Number(params.issue_number);
      if (!this.pulls.some((p) => p.number === issue)) return [404, notFound()];
      const all = this.commentsOn(issue);
      const perPage = Math.min(100, Number(query.get('per_page') ?? 30));
      const page = Number(query.get('page') ?? 1);
      const lastPage = Math.max(1, Math.ceil(all.length / perPage));
      const items = all.slice((page - 1) * perPage, page * perPage).map((c) => this.commentJson(c));
      return [200, items, linkHeader(this.url, `/repos/${this.owner}/${this.repo}/issues/${issue}/comments`, perPage, page, lastPage)];
    },
    'issues/create-comment': ({ params, body, user }) => {
      const issue = Number(params.issue_number);
      if (!this.pulls.some((p) => p.number === issue)) return [404, notFound()];
      const text = String(body.body);
      if ([...text].length > this.bodyLimit) return [422, bodyTooLong(this.bodyLimit)];
      return [201, this.commentJson(this.addComment(issue, text, user))];
    },
    'issues/update-comment': ({ params, body, user }) => {
      const comment = this.comments.find((c) => c.id === Number(params.comment_id));
      if (!comment) return [404, notFound()];
      // Repository writers may edit others' comments on GitHub; a bot doing so is the bug we test against.
      if (comment.user.login !== user.login) this.violations.push(`${user.login} edited comment ${comment.id} written by ${comment.user.login}`);
      const text = String(body.body);
      if ([...text].length > this.bodyLimit) return [422, bodyTooLong(this.bodyLimit)];
      comment.body = text;
      comment.updatedAt = this.tick();
      return [200, this.commentJson(comment)];
    },
    'pulls/get': ({ params }) => {
      const pull = this.pulls.find((p) => p.number === Number(params.pull_number));
      return pull ? [200, this.pullJson(pull, 'pull-request')] : [404, notFound()];
    },
    'pulls/list': ({ query }) => {
      const state = query.get('state') ?? 'open';
      const head = query.get('head');
      const matching = this.pulls.filter(
        (p) => (state === 'all' || p.state === state) && (!head || head === `${p.headRepo.split('/')[0]}:${p.headRef}`),
      );
      return [200, matching.map((p) => this.pullJson(p, 'pull-request-simple'))];
    },
    'repos/list-pull-requests-associated-with-commit': ({ params }) => {
      const matching = this.pulls.filter((p) => p.headSha === params.commit_sha && p.listedForCommit !== false);
      return [200, matching.map((p) => this.pullJson(p, 'pull-request-simple'))];
    },
  };

  private commentJson(comment: FakeComment): unknown {
    const json = example<Record<string, unknown>>('issue-comment');
    const base = `${this.url}/repos/${this.owner}/${this.repo}`;
    return {
      ...json,
      id: comment.id,
      node_id: `IC_${comment.id}`,
      url: `${base}/issues/comments/${comment.id}`,
      html_url: `https://github.com/${this.owner}/${this.repo}/pull/${comment.issueNumber}#issuecomment-${comment.id}`,
      issue_url: `${base}/issues/${comment.issueNumber}`,
      body: comment.body,
      user: this.userJson(comment.user, json.user),
      created_at: comment.createdAt,
      updated_at: comment.updatedAt,
      author_association: comment.user.type === 'Bot' ? 'NONE' : 'CONTRIBUTOR',
    };
  }

  private userJson(user: FakeUser, template: unknown): unknown {
    return {
      ...(template as Record<string, unknown>),
      login: user.login,
      id: user.id,
      node_id: `U_${user.id}`,
      type: user.type,
      html_url: `https://github.com/${encodeURIComponent(user.login)}`,
      url: `${this.url}/users/${encodeURIComponent(user.login)}`,
      site_admin: false,
    };
  }

  private pullJson(pull: FakePullRequest, exampleName: 'pull-request' | 'pull-request-simple'): unknown {
    const json = example<Record<string, any>>(exampleName);
    const [headOwner] = pull.headRepo.split('/');
    return {
      ...json,
      number: pull.number,
      state: pull.state,
      requested_teams: [],
      head: {
        ...json.head,
        sha: pull.headSha,
        ref: pull.headRef,
        label: `${headOwner}:${pull.headRef}`,
        repo: { ...json.head.repo, full_name: pull.headRepo, name: pull.headRepo.split('/')[1], fork: pull.headRepo !== `${this.owner}/${this.repo}` },
      },
      base: { ...json.base, ref: pull.baseRef, label: `${this.owner}:${pull.baseRef}` },
    };
  }
}

interface HandlerContext {
  params: Record<string, string>;
  query: URLSearchParams;
  body: Record<string, unknown>;
  user: FakeUser;
}

export async function startFakeGitHub(options?: FakeGitHubOptions): Promise<FakeGitHub> {
  return new FakeGitHub(options).start();
}

function checkScalar(value: string, schema: Record<string, unknown>): string | undefined {
  if (schema.type === 'integer' && !/^-?\d+$/.test(value)) return 'is not an integer';
  if (schema.type === 'boolean' && value !== 'true' && value !== 'false') return 'is not a boolean';
  if (Array.isArray(schema.enum) && !schema.enum.includes(value)) return `is not one of ${schema.enum.join(', ')}`;
  return undefined;
}

function linkHeader(origin: string, path: string, perPage: number, page: number, lastPage: number): Record<string, string> {
  const at = (p: number) => `<${origin}${path}?per_page=${perPage}&page=${p}>`;
  const links: string[] = [];
  if (page < lastPage) links.push(`${at(page + 1)}; rel="next"`, `${at(lastPage)}; rel="last"`);
  if (page > 1) links.push(`${at(1)}; rel="first"`, `${at(page - 1)}; rel="prev"`);
  return links.length > 0 ? { link: links.join(', ') } : {};
}

function notFound() {
  return { message: 'Not Found', documentation_url: DOCS, status: '404' };
}

function bodyTooLong(limit: number) {
  return {
    message: 'Validation Failed',
    errors: [{ resource: 'IssueComment', code: 'custom', field: 'body', message: `body is too long (maximum is ${limit} characters)` }],
    documentation_url: 'https://docs.github.com/rest/issues/comments#create-an-issue-comment',
    status: '422',
  };
}

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    'x-github-media-type': 'github.v3; format=json',
    ...headers,
  });
  res.end(text);
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

// ---------------------------------------------------------------------------------------
// Report fixtures for the PR bot tests (typed against the Report interface).


export const HEAD_SHA = 'c0ffee0000000000000000000000000000000001';
export const BASE_SHA = 'ba5e000000000000000000000000000000000002';

export function reportFinding(overrides: Partial<Finding> & { status?: FindingStatus } = {}): Finding & { status?: FindingStatus } {
  return {
    rule: 'resources/requests-limits',
    severity: 'error',
    cluster: 'kind',
    object: { apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'shop', name: 'web' },
    path: ['spec', 'template', 'spec', 'containers', 0, 'resources'],
    message: 'container web sets no memory limit',
    location: { file: 'apps/shop/deployment.yaml', line: 21, column: 11 },
    status: 'new',
    ...overrides,
    fingerprint: fingerprintOf(overrides.fingerprint ?? 'default'),
  };
}

/** Reports carry hex fingerprints; tests name them with readable labels. */
export function fingerprintOf(label: string): string {
  return /^[0-9a-f]{8,64}$/.test(label) ? label : createHash('sha256').update(label).digest('hex').slice(0, 32);
}

export function buildReport(overrides: Partial<Report> = {}): Report {
  const findings = overrides.findings ?? [reportFinding()];
  const fixed = overrides.fixed ?? [];
  const active = findings.filter((f) => !f.suppressed);
  return {
    schemaVersion: 1,
    tool: { name: 'policy-check', version: '0.1.0' },
    generatedAt: '2024-05-01T10:00:00Z',
    commit: HEAD_SHA,
    base: { ref: 'origin/main', commit: BASE_SHA },
    clusters: [
      { name: 'kind', entryPoints: [], skipped: [], objectCount: 12 },
      { name: 'production', entryPoints: [], skipped: [], objectCount: 30 },
    ],
    findings,
    fixed,
    summary: {
      errors: active.filter((f) => f.severity === 'error').length,
      warnings: active.filter((f) => f.severity === 'warning').length,
      infos: active.filter((f) => f.severity === 'info').length,
      suppressed: findings.length - active.length,
      blocking: active.filter((f) => f.severity === 'error' && f.status !== 'unchanged').length,
      new: active.filter((f) => f.status === 'new').length,
      fixed: fixed.length,
    },
    rules: [{ id: 'resources/requests-limits', severity: 'error', description: 'Every container sets requests and limits' }],
    ...overrides,
  };
}
