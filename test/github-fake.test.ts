// The fake GitHub is only worth something if it rejects what GitHub would not accept:
// these tests send wrong requests on purpose and expect them to be recorded as violations.
import { Octokit } from '@octokit/rest';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { faults, HEAD_SHA, startFakeGitHub, type FakeGitHub } from './helpers/fake-github.ts';

let github: FakeGitHub;
let octokit: Octokit;

beforeEach(async () => {
  github = await startFakeGitHub();
  github.addPullRequest({ number: 3, headSha: HEAD_SHA });
  octokit = new Octokit({ auth: 'actions-token', baseUrl: github.url, log: { debug() {}, info() {}, warn() {}, error() {} } });
});

afterEach(async () => {
  await github.close();
});

/** Octokit's types would refuse the wrong requests these tests make on purpose. */
function untyped(route: string, params: Record<string, unknown>): Promise<unknown> {
  return octokit.request(route, params);
}

async function status(call: Promise<unknown>): Promise<number> {
  try {
    await call;
    return 200;
  } catch (error) {
    return (error as { status: number }).status;
  }
}

describe('fake GitHub checks requests against the OpenAPI description', () => {
  it('accepts a correct request and records no violation', async () => {
    await octokit.rest.issues.createComment({ owner: 'acme', repo: 'gitops', issue_number: 3, body: 'hello' });
    expect(github.violations).toEqual([]);
  });

  it('rejects a path that is not a GitHub endpoint', async () => {
    expect(await status(octokit.request('POST /repos/{owner}/{repo}/issues/{issue_number}/comment', { owner: 'acme', repo: 'gitops', issue_number: 3, body: 'x' }))).toBe(400);
    expect(github.violations).toEqual([expect.stringMatching(/POST \/repos\/acme\/gitops\/issues\/3\/comment matches no operation/)]);
  });

  it('rejects a wrong method for a real path', async () => {
    expect(await status(octokit.request('PUT /repos/{owner}/{repo}/issues/comments/{comment_id}', { owner: 'acme', repo: 'gitops', comment_id: 1, body: 'x' }))).toBe(400);
    expect(github.violations).toHaveLength(1);
  });

  it('rejects a body of the wrong type, a missing required field and an unknown field', async () => {
    await status(untyped('POST /repos/{owner}/{repo}/issues/{issue_number}/comments', { owner: 'acme', repo: 'gitops', issue_number: 3, body: 42 }));
    await status(untyped('PATCH /repos/{owner}/{repo}/issues/comments/{comment_id}', { owner: 'acme', repo: 'gitops', comment_id: 1, text: 'x' }));
    expect(github.violations).toEqual([
      expect.stringMatching(/issues\/create-comment .*body\/body must be string/),
      expect.stringMatching(/issues\/update-comment .*must have required property 'body'.*unknown field text/),
    ]);
    expect(github.comments).toHaveLength(0);
  });

  it('rejects a non-integer path parameter and an unknown query parameter', async () => {
    await status(untyped('GET /repos/{owner}/{repo}/issues/{issue_number}/comments', { owner: 'acme', repo: 'gitops', issue_number: 'seven' }));
    await status(untyped('GET /repos/{owner}/{repo}/pulls', { owner: 'acme', repo: 'gitops', status: 'open' }));
    await status(untyped('GET /repos/{owner}/{repo}/pulls', { owner: 'acme', repo: 'gitops', state: 'opened' }));
    expect(github.violations).toEqual([
      expect.stringMatching(/path parameter issue_number="seven" is not an integer/),
      expect.stringMatching(/unknown query parameter status/),
      expect.stringMatching(/query parameter state="opened" is not one of open, closed, all/),
    ]);
  });

  it('answers like GitHub: 401 for a bad token, 404 for an unknown issue, 422 for a body over the limit', async () => {
    const stranger = new Octokit({ auth: 'nope', baseUrl: github.url, log: { debug() {}, info() {}, warn() {}, error() {} } });
    expect(await status(stranger.rest.issues.listComments({ owner: 'acme', repo: 'gitops', issue_number: 3 }))).toBe(401);
    expect(await status(octokit.rest.issues.listComments({ owner: 'acme', repo: 'gitops', issue_number: 99 }))).toBe(404);
    expect(await status(octokit.rest.issues.listComments({ owner: 'someone', repo: 'else', issue_number: 3 }))).toBe(404);
    const tooLong = await octokit.rest.issues.createComment({ owner: 'acme', repo: 'gitops', issue_number: 3, body: 'x'.repeat(65_537) }).catch((e) => e);
    expect(tooLong.status).toBe(422);
    expect(tooLong.response.data.errors[0].message).toBe('body is too long (maximum is 65536 characters)');
    expect(await status(octokit.rest.issues.createComment({ owner: 'acme', repo: 'gitops', issue_number: 3, body: 'x'.repeat(65_536) }))).toBe(200);
    expect(github.violations).toEqual([]);
  });

  it('holds its own responses to the description', async () => {
    github.fail({ operationId: 'issues/list-comments', status: 404, body: { message: 404 } });
    await status(octokit.rest.issues.listComments({ owner: 'acme', repo: 'gitops', issue_number: 3 }));
    expect(github.violations).toEqual([expect.stringMatching(/own 404 response to issues\/list-comments does not match the description: \/message must be string/)]);
  });

  it('serves injected faults in order, then behaves normally', async () => {
    github.fail(faults.secondaryRateLimit(undefined, 5));
    const limited = await octokit.rest.issues.listComments({ owner: 'acme', repo: 'gitops', issue_number: 3 }).catch((e) => e);
    expect(limited.status).toBe(403);
    expect(limited.response.headers['retry-after']).toBe('5');
    expect(limited.message).toMatch(/secondary rate limit/);
    expect(await status(octokit.rest.issues.listComments({ owner: 'acme', repo: 'gitops', issue_number: 3 }))).toBe(200);
  });
});
