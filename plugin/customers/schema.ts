import { z } from 'zod';
import { VALIDITIES, type Validity } from '../agents/schema.js';

export { VALIDITIES, type Validity };

/** Customer IDs are compared exactly everywhere, so they are kept as typed: no case folding, no trimming inside. */
export const customerIdSchema = z
  .string()
  .trim()
  .min(1)
  .max(150)
  .regex(/^[^\p{C}]+$/u, 'no control characters');

const text = (max: number) => z.string().trim().max(max);

export const customerFieldsSchema = z.strictObject({
  name: text(191).min(1),
  street: text(191).default(''),
  zip: text(32).default(''),
  city: text(191).default(''),
  country: text(100).default(''),
  url: z.union([z.literal(''), z.url({ protocol: /^https?$/ }).max(500)]).default(''),
  comment: text(5000).default(''),
});

export const newCustomerSchema = customerFieldsSchema.extend({
  customerId: customerIdSchema,
  validity: z.enum(VALIDITIES).default('valid'),
});
export type NewCustomerInput = z.input<typeof newCustomerSchema>;

export const customerPatchSchema = customerFieldsSchema.partial().extend({
  validity: z.enum(VALIDITIES).optional(),
  version: z.number().int().positive().optional(),
});
export type CustomerPatch = z.input<typeof customerPatchSchema>;

export interface Customer {
  id: number;
  customerId: string;
  name: string;
  street: string;
  zip: string;
  city: string;
  country: string;
  url: string;
  comment: string;
  validity: Validity;
  createdAt: string;
  updatedAt: string;
  version: number;
}

export interface ListQuery {
  search?: string | undefined;
  validity?: Validity | undefined;
  limit: number;
  offset: number;
}

export interface Page<T> {
  items: T[];
  total: number;
  limit: number;
}
