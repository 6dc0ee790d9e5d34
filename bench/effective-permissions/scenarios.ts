/**
 * The URLs the bench loads, and the check each must pass first: 200 and the expected content, so a run
 * never measures an error page, a redirect to the login form or an empty list.
 */
import { MEMBERS_PER_PAGE } from '../../plugin/access/pages/forms.js';
import type { EffectivePermissions } from '../../plugin/access/effective-permissions.js';
import type { Pair, Scenario } from './http-runs.js';

export interface Targets {
  loket: string;
  floor: string;
  adminToken: string;
  adminCookie: string;
  agentToken: string;
  userToken: string;
  userLogin: string;
  group: string;
  /** Every member login in matrix order. */
  members: string[];
  expected: { cells: number; services: number; groups: number };
}

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

/** The late page of the matrix: the one holding offset ~9,950 (page 200 of 10,000 at 50 a page). */
export const latePage = (members: number): number => Math.max(1, Math.floor((members - MEMBERS_PER_PAGE) / MEMBERS_PER_PAGE) + 1);

export interface Urls {
  effective: Scenario;
  floor: Scenario;
  meUser: Scenario;
  meAgent: Scenario;
  pageFirst: Scenario;
  pageLate: Scenario;
  apiFirst: Scenario;
  apiLate: Scenario;
  lateOffset: number;
}

export function urls(t: Targets): Urls {
  const group = encodeURIComponent(t.group);
  const late = latePage(t.members.length);
  const lateOffset = (late - 1) * MEMBERS_PER_PAGE;
  const cookie = { cookie: t.adminCookie };
  const api = (offset: number) => `${t.loket}/api/v1/groups/${group}/members?kind=customer-user&limit=${MEMBERS_PER_PAGE}&offset=${offset}`;
  return {
    effective: { label: 'Loket GET /api/v1/customer-users/{login}/effective-permissions (admin token)', url: `${t.loket}/api/v1/customer-users/${encodeURIComponent(t.userLogin)}/effective-permissions`, headers: bearer(t.adminToken) },
    floor: { label: 'bare Express: the same JSON from memory', url: `${t.floor}/effective-permissions` },
    meUser: { label: 'Loket GET /api/v1/me as the customer user (token)', url: `${t.loket}/api/v1/me`, headers: bearer(t.userToken) },
    meAgent: { label: 'Loket GET /api/v1/me as an agent (token)', url: `${t.loket}/api/v1/me`, headers: bearer(t.agentToken) },
    pageFirst: { label: 'Loket GET /groups/{name}?members=customer-users (matrix, first page, admin session)', url: `${t.loket}/groups/${group}?members=customer-users`, headers: cookie },
    pageLate: { label: `Loket GET /groups/{name}?members=customer-users&page=${late} (matrix, offset ${lateOffset})`, url: `${t.loket}/groups/${group}?members=customer-users&page=${late}`, headers: cookie },
    apiFirst: { label: 'Loket GET /api/v1/groups/{name}/members?kind=customer-user&limit=50&offset=0 (admin token)', url: api(0), headers: bearer(t.adminToken) },
    apiLate: { label: `Loket GET /api/v1/groups/{name}/members?kind=customer-user&limit=50&offset=${lateOffset}`, url: api(lateOffset), headers: bearer(t.adminToken) },
    lateOffset,
  };
}

export function pairs(u: Urls, connections: number): Pair[] {
  return [
    { name: 'effective permissions: Loket ÷ bare JSON', a: u.effective, b: u.floor, connections },
    { name: '/api/v1/me: customer user ÷ agent', a: u.meUser, b: u.meAgent, connections },
    { name: 'members matrix page: first ÷ late page', a: u.pageFirst, b: u.pageLate, connections },
    { name: 'members API: offset 0 ÷ late offset', a: u.apiFirst, b: u.apiLate, connections },
  ];
}

async function get(s: Scenario): Promise<{ status: number; text: string }> {
  const res = await fetch(s.url, { redirect: 'manual', headers: s.headers ?? {} });
  return { status: res.status, text: await res.text() };
}

function expect200(s: Scenario, r: { status: number; text: string }): void {
  if (r.status !== 200) throw new Error(`${s.url} answered ${r.status}, expected 200: ${r.text.slice(0, 300)}`);
}

/** Every URL once; throws unless each answers 200 with what it should. Returns Loket's effective-permissions body. */
export async function preflight(u: Urls, t: Targets): Promise<string> {
  const effective = await get(u.effective);
  expect200(u.effective, effective);
  const body = JSON.parse(effective.text) as EffectivePermissions;
  if (body.groups.length !== t.expected.cells || body.services.length !== t.expected.services) {
    throw new Error(`effective permissions: ${body.groups.length} cells and ${body.services.length} services, expected ${t.expected.cells} and ${t.expected.services}`);
  }
  return effective.text;
}

/** The floor must send Loket's body byte for byte; the rest must show the expected people and pages. */
export async function preflightRest(u: Urls, t: Targets, loketBody: string): Promise<void> {
  const floor = await get(u.floor);
  expect200(u.floor, floor);
  if (floor.text !== loketBody) throw new Error('the bare JSON server does not send the same body as Loket');

  const meUser = await get(u.meUser);
  expect200(u.meUser, meUser);
  const me = JSON.parse(meUser.text) as { login: string; kind: string; groupPermissions: Record<string, string[]> };
  if (me.login !== t.userLogin || me.kind !== 'customer' || Object.keys(me.groupPermissions).length !== t.expected.groups) {
    throw new Error(`/api/v1/me as the user: ${meUser.text.slice(0, 300)}`);
  }
  const meAgent = await get(u.meAgent);
  expect200(u.meAgent, meAgent);
  if ((JSON.parse(meAgent.text) as { kind: string }).kind !== 'agent') throw new Error(`/api/v1/me as the agent: ${meAgent.text.slice(0, 300)}`);

  const pageOf = (offset: number) => t.members.slice(offset, offset + MEMBERS_PER_PAGE);
  for (const [s, offset] of [[u.pageFirst, 0], [u.pageLate, u.lateOffset]] as const) {
    const r = await get(s);
    expect200(s, r);
    const shown = pageOf(offset);
    const missing = shown.filter((login) => !r.text.includes(`name="row-${shown.indexOf(login)}-member" value="${login}"`));
    if (missing.length || !r.text.includes('id="m-save"') || r.text.includes(`value="${t.members[offset + MEMBERS_PER_PAGE] ?? '\u0000'}"`)) {
      throw new Error(`${s.url}: the matrix does not show exactly ${shown[0]} … ${shown[shown.length - 1]} as editable rows (missing: ${missing.slice(0, 3).join(', ')})`);
    }
  }
  for (const [s, offset] of [[u.apiFirst, 0], [u.apiLate, u.lateOffset]] as const) {
    const r = await get(s);
    expect200(s, r);
    const page = JSON.parse(r.text) as { items: { customerUser?: string }[]; total: number };
    const logins = page.items.map((i) => i.customerUser);
    if (page.total !== t.members.length || logins.join() !== pageOf(offset).join()) {
      throw new Error(`${s.url}: total ${page.total}, first ${logins[0]}, expected ${t.members.length} and ${t.members[offset]}`);
    }
  }
}
