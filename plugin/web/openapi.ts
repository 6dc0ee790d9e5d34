import { z } from 'zod';

/** One documented API operation; each feature lists its own and the document is built from them. */
export interface ApiOperation {
  method: 'get' | 'post' | 'put' | 'patch' | 'delete';
  path: string;
  summary: string;
  tag: string;
  request?: z.ZodType;
  response?: z.ZodType;
  /** Status codes beyond 200 this operation answers with, and why. */
  errors?: Partial<Record<400 | 401 | 403 | 404 | 405 | 409 | 413 | 422 | 429 | 503, string>>;
  public?: boolean;
}

export const errorResponseSchema = z.object({
  error: z.object({ code: z.string(), message: z.string(), field: z.string().optional() }),
});

const schemaOf = (schema: z.ZodType) => z.toJSONSchema(schema, { target: 'openapi-3.0', io: 'output', unrepresentable: 'any' });

/** The OpenAPI 3.0 document, generated from the same zod schemas the routes validate and answer with. */
export function buildOpenApiDocument(operations: ApiOperation[], version: string) {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const op of operations) {
    const responses: Record<string, unknown> = {
      '200': {
        description: 'OK',
        ...(op.response ? { content: { 'application/json': { schema: schemaOf(op.response) } } } : {}),
      },
    };
    for (const [status, why] of Object.entries(op.errors ?? {})) {
      responses[status] = { description: why, content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } };
    }
    paths[op.path] ??= {};
    paths[op.path]![op.method] = {
      summary: op.summary,
      tags: [op.tag],
      ...(op.public ? { security: [] } : {}),
      ...(op.request ? { requestBody: { required: true, content: { 'application/json': { schema: schemaOf(op.request) } } } } : {}),
      responses,
    };
  }
  return {
    openapi: '3.0.3',
    info: { title: 'Loket API', version },
    servers: [{ url: '/api/v1' }],
    security: [{ bearer: [] }, { session: [] }],
    components: {
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer', description: 'API token from `loket token create` or the tokens screen.' },
        session: { type: 'apiKey', in: 'cookie', name: 'loket.sid', description: 'Browser session; writes also need the X-CSRF-Token header.' },
      },
      schemas: { Error: schemaOf(errorResponseSchema) },
    },
    paths,
  };
}
