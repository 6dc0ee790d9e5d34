import request from 'supertest';
import type { Principal } from '../../plugin/access/actor.js';
import { cliSubject } from '../../plugin/audit/service.js';
import type { TestApp } from './app.js';

/** An API token for a principal, issued as `loket token create` would. */
export async function issueToken(app: TestApp, principal: Principal, login: string): Promise<string> {
  return (await app.loket.container.services.apiTokens.issueFromOperator(principal, login, { name: 'test' }, cliSubject())).plain;
}

/** Requests to `/api/v1` carrying a Bearer token. */
export function bearer(app: TestApp, token: string) {
  const call = (method: 'get' | 'post' | 'put' | 'patch' | 'delete') => (path: string) =>
    request(app.url)[method](`/api/v1${path}`).set('Authorization', `Bearer ${token}`);
  return { get: call('get'), post: call('post'), put: call('put'), patch: call('patch'), delete: call('delete') };
}
