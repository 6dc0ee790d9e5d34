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

/** The fields without defaults: a patch must leave out what it does not send, not reset it to ''. */
const customerFields = {
  name: text(191).min(1),
  street: text(191),
  zip: text(32),
  city: text(191),
  country: text(100),
  url: z.union([z.literal(''), z.url({ protocol: /^https?$/ }).max(500)]),
  comment: text(5000),
};

export const customerFieldsSchema = z.strictObject({
  name: customerFields.name,
  street: customerFields.street.default(''),
  zip: customerFields.zip.default(''),
  city: customerFields.city.default(''),
  country: customerFields.country.default(''),
  url: customerFields.url.default(''),
  comment: customerFields.comment.default(''),
});

export const newCustomerSchema = customerFieldsSchema.extend({
  customerId: customerIdSchema,
  validity: z.enum(VALIDITIES).default('valid'),
});
export type NewCustomerInput = z.input<typeof newCustomerSchema>;

// zod 4 applies a default even inside .partial(), so the patch is built from the fields without them.
export const customerPatchSchema = z.strictObject(customerFields).partial().extend({
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
