import { noticeCodes } from '../../web/notices.js';

/** Messages after a redirect on the agents' ticket screens (post, redirect, get). */
const notices = noticeCodes({
  created: 'ticketsAgent.notices.created',
  replied: 'ticketsAgent.notices.replied',
  noted: 'ticketsAgent.notices.noted',
  stateChanged: 'ticketsAgent.notices.stateChanged',
  linked: 'ticketsAgent.notices.linked',
});
export type AgentTicketNotice = Parameters<typeof notices.path>[1];
export const agentNoticeFrom = notices.from;
export const withAgentNotice = notices.path;
