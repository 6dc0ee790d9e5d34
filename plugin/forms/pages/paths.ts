import type { Response } from 'express';
import { queryString } from '../../faq/pages/editor-list-pages.js';
import { loketBase } from '../../web/middleware/guards.js';

/** Paths of the forms pages, with Loket's mount path. */
export const formPaths = (res: Response) => {
  const base = loketBase(res);
  return {
    adminList: `${base}/admin/forms`,
    adminNew: `${base}/admin/forms/new`,
    adminForm: (key: string) => `${base}/admin/forms/${encodeURIComponent(key)}`,
    adminValidity: (key: string) => `${base}/admin/forms/${encodeURIComponent(key)}/validity`,
    form: (key: string, query: Record<string, string | undefined> = {}) => `${base}/forms/${encodeURIComponent(key)}${queryString(query)}`,
    run: (id: number) => `${base}/runs/${id}`,
    cancel: (id: number) => `${base}/runs/${id}/cancel`,
    approvals: `${base}/approvals`,
    approval: (id: number) => `${base}/approvals/${id}`,
    requests: `${base}/portal/requests`,
    team: `${base}/portal/team`,
    organisation: `${base}/portal/organisation`,
    agentForms: `${base}/agent/forms`,
    /** Customers read their request ticket in the portal, staff in the agent area. */
    ticket: (number: string, staff: boolean) => `${base}/${staff ? 'agent' : 'portal'}/tickets/${number}`,
  };
};
export type FormPaths = ReturnType<typeof formPaths>;
