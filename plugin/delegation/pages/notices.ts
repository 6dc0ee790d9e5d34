import { noticeCodes } from '../../web/notices.js';

/** Messages after a redirect on the delegation screens (post, redirect, get). */
const notices = noticeCodes({
  granted: 'delegation.notices.granted',
  extended: 'delegation.notices.extended',
  revoked: 'delegation.notices.revoked',
  reviewed: 'delegation.notices.reviewed',
  deputyCreated: 'delegation.notices.deputyCreated',
  deputyRevoked: 'delegation.notices.deputyRevoked',
});
export type DelegationNotice = Parameters<typeof notices.path>[1];
export const withDelegationNotice = notices.path;
export const delegationNoticeFrom = notices.from;
