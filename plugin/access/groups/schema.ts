import { z } from 'zod';
import { VALIDITIES } from '../../agents/schema.js';

/** Admin-chosen names: printable text of every kind (screens escape it), no control characters. */
export const groupNameSchema = z.string().trim().min(1).max(100).regex(/^[^\p{C}]+$/u, 'no control characters');

/** `Parent::Child::Leaf`: segments of printable text joined by `::`, at most 10 deep. */
export const serviceNameSchema = z
  .string()
  .trim()
  .min(1)
  .max(191)
  .regex(/^[^\p{C}]+$/u, 'no control characters')
  .refine((name) => name.split('::').every((part) => part.trim() !== '' && part === part.trim()), 'segments separated by :: must not be empty or padded')
  .refine((name) => name.split('::').length <= 10, 'at most 10 levels');

export const permissionTypeNameSchema = z.string().trim().regex(/^[a-z][a-z0-9-]{0,31}$/, 'lower-case letters, digits and -');

export const namedCreateSchema = <T extends z.ZodType<string>>(name: T) =>
  z.strictObject({
    name,
    comment: z.string().trim().max(5000).default(''),
    validity: z.enum(VALIDITIES).default('valid'),
  });

export const namedPatchSchema = z.strictObject({
  name: groupNameSchema.optional(),
  comment: z.string().trim().max(5000).optional(),
  validity: z.enum(VALIDITIES).optional(),
  version: z.number().int().positive().optional(),
});

export const groupAssignmentsSchema = z.strictObject({
  groups: z
    .array(z.strictObject({ group: groupNameSchema, permissions: z.array(permissionTypeNameSchema).max(32) }))
    .max(1000),
});
export type GroupAssignments = z.output<typeof groupAssignmentsSchema>;

export const serviceAssignmentsSchema = z.strictObject({
  services: z.array(serviceNameSchema).max(5000),
});
export type ServiceAssignments = z.output<typeof serviceAssignmentsSchema>;

export const permissionTypeSchema = z.strictObject({
  name: permissionTypeNameSchema,
  comment: z.string().trim().max(500).default(''),
});
