/**
 * Table names with the instance's prefix. Every store and migration asks here, so a host can share its
 * database with Loket (`loket_` by default) and tests can run side by side under random prefixes.
 */
export const TABLES = [
  'agents',
  'sessions',
  'api_tokens',
  'audit_log',
  'audit_head',
  'customers',
  'customer_users',
  'customer_user_customers',
  'customer_key_users',
  'customer_user_search',
  'customer_user_tokens',
  'customer_user_backends',
  'groups',
  'permission_types',
  'customer_user_groups',
  'customer_groups',
  'default_groups',
  'services',
  'customer_user_services',
  'customer_services',
  'group_services',
  'default_services',
  'faq_categories',
  'faq_articles',
  'faq_article_customers',
  'faq_article_services',
  'faq_versions',
  'faq_stats',
  'faq_votes',
  'faq_gaps',
  'queues',
  'agent_groups',
  'tickets',
  'ticket_messages',
  'ticket_faq_links',
  'idempotency_keys',
  'faq_deflections',
  'directory_group_grants',
  'job_leases',
  'forms',
  'form_versions',
  'form_runs',
  'form_approvals',
  'ticket_participants',
  'webhook_dead_letters',
  'delegations',
  'deputies',
  'delegation_switches',
] as const;

export type TableKey = (typeof TABLES)[number];
export type TableNames = Record<TableKey, string> & { prefix: string; migrations: string };

export function tableNames(prefix: string): TableNames {
  const names = Object.fromEntries(TABLES.map((t) => [t, `${prefix}${t}`])) as Record<TableKey, string>;
  return { ...names, prefix, migrations: `${prefix}migrations` };
}
