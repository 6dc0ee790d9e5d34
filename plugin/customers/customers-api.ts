import { Router, type Request, type Response } from 'express';
import { auditSubjectOf } from '../audit/service.js';
import { methodNotAllowed } from '../errors.js';
import { currentActor } from '../web/middleware/guards.js';
import type { ApiOperation } from '../web/openapi.js';
import { parseInput } from '../web/validate.js';
import {
  customerIdParam,
  customerListQuery,
  CUSTOMER_DEFAULT_LIMIT,
  CUSTOMER_MAX_LIMIT,
  emptyBody,
  etagOf,
  expectedVersion,
  loginParam,
  parseBody,
  parseQuery,
} from './api-schemas.js';
import type { CustomerService } from './customer-service.js';
import type { CustomerUserService } from './customer-user-service.js';
import { customerResponseSchema, customerUserResponseSchema, listOf, presentCustomer, presentCustomerUser } from './present.js';
import { customerPatchSchema, newCustomerSchema, type Customer } from './schema.js';

const AUTH = { 401: 'No valid session or token' } as const;

export const customersOperations: ApiOperation[] = [
  {
    method: 'get',
    path: '/customers',
    summary:
      `Customers (companies) the caller may read. Query: search (words match the customer ID or name; * is a wildcard), ` +
      `validity, limit (1-${CUSTOMER_MAX_LIMIT}, default ${CUSTOMER_DEFAULT_LIMIT}), offset. total counts every match.`,
    tag: 'customers',
    response: listOf(customerResponseSchema),
    errors: { ...AUTH, 400: 'A query parameter is invalid, unknown or repeated', 403: 'Not allowed to read customers' },
  },
  {
    method: 'post',
    path: '/customers',
    summary: 'Create a customer (201, with Location and ETag)',
    tag: 'customers',
    request: newCustomerSchema,
    response: customerResponseSchema,
    errors: { ...AUTH, 400: 'A field is missing or invalid (field names it)', 403: 'Not allowed to manage customers', 409: 'This customer ID exists already' },
  },
  {
    method: 'get',
    path: '/customers/{customerId}',
    summary: 'One customer by its exact customer ID; the ETag header carries its version',
    tag: 'customers',
    response: customerResponseSchema,
    errors: { ...AUTH, 403: 'Not allowed to read customers', 404: 'No such customer (or not one the caller may see)' },
  },
  {
    method: 'patch',
    path: '/customers/{customerId}',
    summary: 'Change a customer; send If-Match: "<version>" or version in the body to refuse stale edits',
    tag: 'customers',
    request: customerPatchSchema,
    response: customerResponseSchema,
    errors: { ...AUTH, 400: 'A field is invalid (field names it)', 403: 'Not allowed to manage customers', 404: 'No such customer', 409: 'edit_conflict: changed by someone else since that version' },
  },
  {
    method: 'delete',
    path: '/customers/{customerId}',
    summary: 'Not possible: customers are never deleted; set validity to invalid instead',
    tag: 'customers',
    errors: { ...AUTH, 405: 'method_not_allowed (Allow: GET, PATCH)' },
  },
  {
    method: 'put',
    path: '/customers/{customerId}/users/{login}',
    summary: 'Link a customer user to this customer as one of their extra customers; answers the user',
    tag: 'customers',
    response: customerUserResponseSchema,
    errors: { ...AUTH, 403: 'Not allowed to manage customer users', 404: 'No such customer or customer user', 409: 'edit_conflict' },
  },
  {
    method: 'delete',
    path: '/customers/{customerId}/users/{login}',
    summary: 'Remove this customer from a user\'s extra customers (the user stays); answers the user',
    tag: 'customers',
    response: customerUserResponseSchema,
    errors: { ...AUTH, 403: 'Not allowed to manage customer users', 404: 'No such customer or customer user', 422: 'This is the user\'s primary customer', 409: 'edit_conflict' },
  },
];

function answer(res: Response, customer: Customer): void {
  res.set('ETag', etagOf(customer.version)).json(presentCustomer(customer));
}

const customerIdOf = (req: Request) => parseInput(customerIdParam, req.params.customerId);

/** `/api/v1/customers`: the companies, and the customer → users direction of extra customers. */
export function customersApi(deps: { customers: CustomerService; customerUsers: CustomerUserService }): Router {
  const router = Router();

  router.get('/customers', async (req, res) => {
    const query = parseQuery(customerListQuery, req.query);
    const page = await deps.customers.list(currentActor(req), query);
    res.json({ items: page.items.map(presentCustomer), total: page.total, limit: page.limit });
  });

  router.post('/customers', async (req, res) => {
    const actor = currentActor(req);
    const created = await deps.customers.create(actor, parseBody(newCustomerSchema, req.body), auditSubjectOf(actor, req.ip ?? null));
    res.status(201).location(`${req.baseUrl}/customers/${encodeURIComponent(created.customerId)}`);
    answer(res, created);
  });

  router.get('/customers/:customerId', async (req, res) => {
    answer(res, await deps.customers.get(currentActor(req), customerIdOf(req)));
  });

  router.patch('/customers/:customerId', async (req, res) => {
    const actor = currentActor(req);
    const body = parseBody(customerPatchSchema, req.body);
    const version = expectedVersion(req.get('If-Match'), body.version);
    const patch = { ...body, version };
    answer(res, await deps.customers.update(actor, customerIdOf(req), patch, auditSubjectOf(actor, req.ip ?? null)));
  });

  router.delete('/customers/:customerId', (req, res) => {
    currentActor(req);
    res.set('Allow', 'GET, PATCH');
    throw methodNotAllowed('Customers are never deleted: set validity to invalid (PATCH {"validity":"invalid"}).');
  });

  async function link(req: Request, res: Response, linked: boolean): Promise<void> {
    const actor = currentActor(req);
    emptyBody(req.body);
    // The customer must be one the caller sees: an unknown or foreign customer is a 404, like a GET.
    const customer = await deps.customers.get(actor, customerIdOf(req));
    const login = parseInput(loginParam, req.params.login);
    const user = await deps.customerUsers.linkToCustomer(actor, login, customer.customerId, linked, auditSubjectOf(actor, req.ip ?? null));
    res.set('ETag', etagOf(user.version)).json(presentCustomerUser(user));
  }

  router.put('/customers/:customerId/users/:login', (req, res) => link(req, res, true));
  router.delete('/customers/:customerId/users/:login', (req, res) => link(req, res, false));

  return router;
}
