import { fromDbBool, fromDbJson } from '../../db/values.js';
import type { TicketPriority, TicketState, TicketType } from '../schema.js';
import type { CustomerSnapshot, TicketMessage, TicketSummary } from '../ticket-system.js';

/** Row shapes of the native store and their mapping to the port's types. */
export interface TicketRow {
  id: number;
  number: string;
  title: string;
  queue_id: number;
  queue_name: string;
  group_name: string;
  service_name: string | null;
  priority: string;
  state: string;
  type: string;
  customer_user_id: number | null;
  customer_user_login: string;
  customer_id: string;
  created_by: string;
  created_by_name: string;
  delegation_id: number | null;
  customer_snapshot?: unknown;
  created_at: string;
  updated_at: string;
  closed_at: string | null;
  version: number;
}

export const SUMMARY_COLUMNS = [
  't.id', 't.number', 't.title', 't.queue_id', 'q.name as queue_name', 'g.name as group_name', 's.name as service_name', 't.priority', 't.state', 't.type',
  't.customer_user_id', 't.customer_user_login', 't.customer_id', 't.created_by', 't.created_by_name', 't.delegation_id', 't.created_at', 't.updated_at', 't.closed_at', 't.version',
];

const nullableNumber = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));

export const toSummary = (r: TicketRow): TicketSummary => ({
  id: Number(r.id),
  number: r.number,
  title: r.title,
  queueId: Number(r.queue_id),
  queue: r.queue_name,
  queueGroup: r.group_name,
  service: r.service_name ?? null,
  priority: r.priority as TicketPriority,
  state: r.state as TicketState,
  type: r.type as TicketType,
  customerUserId: nullableNumber(r.customer_user_id),
  customerUserLogin: r.customer_user_login,
  customerId: r.customer_id,
  createdBy: r.created_by,
  createdByName: r.created_by_name,
  delegationId: nullableNumber(r.delegation_id),
  createdAt: r.created_at,
  updatedAt: r.updated_at,
  closedAt: r.closed_at ?? null,
  version: Number(r.version),
});

export const toSnapshot = (value: unknown): CustomerSnapshot => fromDbJson<CustomerSnapshot>(value, { login: '', email: '', customerId: '', fields: [] });

export interface MessageRow {
  id: number;
  author_kind: string;
  author: string;
  author_name: string;
  internal: unknown;
  body: string;
  delegation_id: number | null;
  created_at: string;
}

export const toMessage = (r: MessageRow): TicketMessage => ({
  id: Number(r.id),
  authorKind: r.author_kind as TicketMessage['authorKind'],
  author: r.author,
  authorName: r.author_name,
  internal: fromDbBool(r.internal),
  body: r.body,
  delegationId: nullableNumber(r.delegation_id),
  createdAt: r.created_at,
});

export const toMessageRow = (ticketId: number, m: Omit<TicketMessage, 'id' | 'createdAt'>, createdAt: string) => ({
  ticket_id: ticketId,
  author_kind: m.authorKind,
  author: m.author,
  author_name: m.authorName.slice(0, 200),
  internal: m.internal ? 1 : 0,
  body: m.body,
  delegation_id: m.delegationId,
  created_at: createdAt,
});
