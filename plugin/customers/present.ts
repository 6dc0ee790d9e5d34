import { z } from 'zod';
import type { CustomerUserRecord } from './backends/backend.js';
import { VALIDITIES, type Customer } from './schema.js';

/**
 * The API's shape of a customer user (SPEC "API contract"): map fields under their keys, relations and
 * lifecycle beside them. Never a password or its hash.
 */
export function presentCustomerUser(u: CustomerUserRecord) {
  return {
    ...u.fields,
    login: u.login,
    email: u.email,
    customerId: u.customerId,
    customerIds: u.customerIds,
    keyUserOf: u.keyUserOf,
    manager: u.manager,
    validity: u.validity,
    language: u.language,
    backend: u.backend,
    hasPassword: u.hasPassword,
    anonymised: u.anonymisedAt !== null,
    createdAt: u.createdAt,
    updatedAt: u.updatedAt,
    lastLoginAt: u.lastLoginAt,
    version: u.version,
  };
}

export const customerUserResponseSchema = z
  .object({
    login: z.string(),
    email: z.string(),
    customerId: z.string(),
    customerIds: z.array(z.string()),
    firstName: z.string().nullable(),
    lastName: z.string().nullable(),
    title: z.string().nullable().optional(),
    phone: z.string().nullable().optional(),
    fax: z.string().nullable().optional(),
    mobile: z.string().nullable().optional(),
    street: z.string().nullable().optional(),
    zip: z.string().nullable().optional(),
    city: z.string().nullable().optional(),
    country: z.string().nullable().optional(),
    comment: z.string().nullable().optional(),
    keyUserOf: z.array(z.string()),
    manager: z.string().nullable(),
    validity: z.enum(VALIDITIES),
    language: z.string().nullable(),
    backend: z.string(),
    hasPassword: z.boolean(),
    anonymised: z.boolean(),
    createdAt: z.string(),
    updatedAt: z.string(),
    lastLoginAt: z.string().nullable(),
    version: z.number(),
  })
  .catchall(z.union([z.string(), z.number(), z.null()]))
  .describe('Custom fields from the field map appear under their map key.');

export const presentCustomer = (c: Customer) => ({
  customerId: c.customerId,
  name: c.name,
  street: c.street,
  zip: c.zip,
  city: c.city,
  country: c.country,
  url: c.url,
  comment: c.comment,
  validity: c.validity,
  createdAt: c.createdAt,
  updatedAt: c.updatedAt,
  version: c.version,
});

export const customerResponseSchema = z.object({
  customerId: z.string(),
  name: z.string(),
  street: z.string(),
  zip: z.string(),
  city: z.string(),
  country: z.string(),
  url: z.string(),
  comment: z.string(),
  validity: z.enum(VALIDITIES),
  createdAt: z.string(),
  updatedAt: z.string(),
  version: z.number(),
});

export const listOf = <T extends z.ZodType>(item: T) => z.object({ items: z.array(item), total: z.number(), limit: z.number() });
