import type { ApiOperation } from '../../web/openapi.js';
import { choiceSchema, decisionSchema, formDetailSchema, formSummarySchema, listOf, myApprovalSchema, runSchema, runSubmitSchema } from './schemas.js';

const AUTH = { 401: 'No valid session or token' } as const;
const NO_FORM = 'No such form, or not one the caller may use (invalid forms exist only for admins)';
const NO_RUN = 'No such request, or not one the caller may see';

/** The forms API in the OpenAPI document. */
export const formsOperations: ApiOperation[] = [
  { method: 'get', path: '/forms', summary: 'Forms the caller may use (admins: every valid form); category filters. Cache-Control: no-store.', tag: 'forms', response: listOf(formSummarySchema), errors: { ...AUTH, 400: 'An unknown query parameter' } },
  { method: 'get', path: '/forms/{key}', summary: 'A form definition with its version (ETag).', tag: 'forms', response: formDetailSchema, errors: { ...AUTH, 404: NO_FORM } },
  {
    method: 'put',
    path: '/forms/{key}',
    summary: 'Admins: create (201) or update (a new version) a form definition; send If-Match with the version read. Audited as form.save.',
    tag: 'forms',
    response: formDetailSchema,
    errors: { ...AUTH, 400: 'The definition does not fit the schema (field names the JSON path)', 403: 'Not an admin', 409: 'edit_conflict: someone saved a newer version' },
  },
  { method: 'get', path: '/forms/{key}/targets', summary: 'Targets the caller may pick (the scope rule: agents within their groups, key users their customers, managers their reports). search, limit.', tag: 'forms', response: listOf(choiceSchema), errors: { ...AUTH, 404: NO_FORM } },
  { method: 'get', path: '/forms/{key}/choices/{field}', summary: 'Options of a select field, only what the caller may see; target (login) narrows e.g. services not yet entitled.', tag: 'forms', response: listOf(choiceSchema), errors: { ...AUTH, 403: 'out_of_scope: the target is outside the caller\'s scope', 404: `${NO_FORM}, or no such select field` } },
  {
    method: 'post',
    path: '/forms/{key}/runs',
    summary:
      'Submit a run: checked against the stored form, the stored target and the scope; opens the approval or executes at once (all actions in one transaction), and leaves a request ticket. ' +
      'Idempotency-Key: the same key with the same body answers the first run (200, Idempotent-Replayed: true).',
    tag: 'forms',
    request: runSubmitSchema,
    response: runSchema,
    errors: { ...AUTH, 400: 'A value does not fit its field (field names it), or not one of the caller\'s choices', 403: 'out_of_scope', 404: NO_FORM, 409: 'idempotency_key_reused', 422: 'check_failed (a criterion), no_approver, unknown_queue' },
  },
  { method: 'get', path: '/runs', summary: 'Runs: scope mine (requested by the caller) or all (admins; key users for their customers); state, formKey (one form, any version; an unknown key answers an empty list), limit, offset.', tag: 'forms', response: listOf(runSchema), errors: { ...AUTH, 400: 'A malformed or unknown query parameter (formKey: a form key)', 403: 'scope all for somebody else' } },
  { method: 'get', path: '/runs/{id}', summary: 'One run with approvals and action results: requester, approvers, agents who see its ticket, key users of its customer, admins.', tag: 'forms', response: runSchema, errors: { ...AUTH, 404: NO_RUN } },
  { method: 'post', path: '/runs/{id}/cancel', summary: 'The requester withdraws a run still awaiting approval.', tag: 'forms', response: runSchema, errors: { ...AUTH, 403: 'Not the requester', 404: NO_RUN, 409: 'not_cancellable' } },
  { method: 'get', path: '/approvals', summary: 'Approvals waiting for the caller now, with their runs.', tag: 'forms', response: listOf(myApprovalSchema), errors: AUTH },
  ...(['approve', 'reject'] as const).map(
    (verb): ApiOperation => ({
      method: 'post',
      path: `/approvals/{id}/${verb}`,
      summary: `${verb === 'approve' ? 'Approve' : 'Reject'} one approval; send the payloadHash seen. The last needed approval executes the run.`,
      tag: 'forms',
      request: decisionSchema,
      response: runSchema,
      errors: { ...AUTH, 403: 'self_approval', 404: 'Not an approval of the caller', 409: 'already_decided, not_yet (an earlier step is open), expired, payload_changed' },
    }),
  ),
];
