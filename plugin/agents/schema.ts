import { z } from 'zod';
import { MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH } from '../auth/passwords.js';

export const VALIDITIES = ['valid', 'invalid', 'invalid-temporarily'] as const;
export type Validity = (typeof VALIDITIES)[number];
export const AGENT_ROLES = ['admin', 'agent'] as const;
export type AgentRole = (typeof AGENT_ROLES)[number];

export const loginSchema = z
  .string()
  .trim()
  .min(1)
  .max(191)
  .regex(/^[A-Za-z0-9][A-Za-z0-9._@+-]*$/, 'letters, digits and . _ @ + - only')
  .transform((s) => s.toLowerCase());

export const newAgentSchema = z.strictObject({
  login: loginSchema,
  email: z.email().max(191).transform((s) => s.toLowerCase()),
  firstName: z.string().trim().max(100).default(''),
  lastName: z.string().trim().max(100).default(''),
  role: z.enum(AGENT_ROLES),
  password: z.string().min(MIN_PASSWORD_LENGTH).max(MAX_PASSWORD_LENGTH).optional(),
  language: z.enum(['en', 'nl', 'nb']).optional(),
});
export type NewAgentInput = z.input<typeof newAgentSchema>;

export interface Agent {
  id: number;
  login: string;
  email: string | null;
  firstName: string;
  lastName: string;
  role: AgentRole;
  validity: Validity;
  language: string | null;
  createdAt: string;
  updatedAt: string;
  lastLoginAt: string | null;
  version: number;
}

export const agentDisplayName = (a: Pick<Agent, 'firstName' | 'lastName' | 'login'>): string =>
  `${a.firstName} ${a.lastName}`.trim() || a.login;
