import type { Response } from 'express';
import { queryString } from '../../faq/pages/editor-list-pages.js';
import { loketBase } from '../../web/middleware/guards.js';

/** Paths of the delegation screens, with Loket's mount path. */
export const delegationPaths = (res: Response) => {
  const base = loketBase(res);
  return {
    manage: (customerId?: string) => `${base}/portal/delegations${queryString({ customerId })}`,
    grant: `${base}/portal/delegations`,
    extend: (id: number) => `${base}/portal/delegations/${id}/extend`,
    revoke: (id: number) => `${base}/portal/delegations/${id}/revoke`,
    review: (id: number) => `${base}/portal/delegations/${id}/review`,
    mine: `${base}/portal/my-delegations`,
    deputies: `${base}/portal/deputies`,
    revokeDeputy: (id: number) => `${base}/portal/deputies/${id}/revoke`,
    organisation: `${base}/organisation`,
  };
};
export type DelegationPaths = ReturnType<typeof delegationPaths>;
