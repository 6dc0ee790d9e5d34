import type { AuditSubject } from '../audit/service.js';
import type { Container } from '../container.js';

/** The shipped delegated forms, with request tickets in the demo's Service desk; helpdesk forms reach the users group. */
export async function seedDemoForms(c: Container, subject: AuditSubject): Promise<void> {
  await c.services.forms.installShipped(subject, { queue: 'Service desk', agentGroups: ['users'] });
}
