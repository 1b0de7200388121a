import { INestApplication } from '@nestjs/common';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { PROBLEM_CONTENT_TYPE, statusTitle } from '../errors/problem';
import { withCommandHeaders } from './command-headers';
import { platformRefusals } from './platform-refusals';
import { REFUSALS_EXTENSION } from './refuses';

export interface OpenApiOptions {
  title: string;
  version: string;
  description?: string;
}

/** Swagger UI at /docs and the document at /docs-json, with the bearer scheme every route uses. */
export function setupOpenApi(app: INestApplication, options: OpenApiOptions): void {
  const config = new DocumentBuilder()
    .setTitle(options.title)
    .setVersion(options.version)
    .setDescription(options.description ?? '')
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' })
    .addSecurityRequirements('bearer')
    .build();
  // Made at the first ask of /docs or /docs-json, once, not at every start (~0.1 s of a restart):
  // the routes it describes are fixed by then.
  const document = () => withCommandHeaders(withClosedObjects(withProblemAnswers(SwaggerModule.createDocument(app, config))));
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs-json' });
}

/** The body of every refusal (errors/problem.ts, docs/api.md "Errors"). */
export const PROBLEM_SCHEMA = {
  type: 'object',
  required: ['type', 'title', 'status', 'detail', 'code'],
  properties: {
    type: { type: 'string', format: 'uri', example: 'https://licence-platform.dev/problems/validation-failed' },
    title: { type: 'string', example: 'Bad Request' },
    status: { type: 'integer', minimum: 400, maximum: 599, example: 400 },
    detail: { type: 'string', example: 'Some fields are invalid' },
    code: { type: 'string', description: 'what refused it; the codes in docs/api.md are part of the contract', example: 'VALIDATION_FAILED' },
    errors: {
      type: 'array',
      description: 'every invalid field (400)',
      items: {
        type: 'object',
        required: ['path', 'message'],
        properties: {
          path: { type: 'string', example: 'lines[1].quantity' },
          message: { type: 'string', example: 'quantity must not be less than 1' },
        },
      },
    },
  },
};

const WHY: Record<number, string> = {
  400: 'Malformed or invalid input: `errors` names every bad field',
  401: 'No bearer token, or a bad or expired one',
  403: 'The caller’s role may not do this',
  404: 'Not found — an unknown id and another reseller’s id answer alike, also for ids in the body',
  409: 'The resource is not in a state that allows it, or a concurrent change won (`code` says which)',
  413: 'The request body is too large',
  415: 'The request body is not uncompressed application/json in UTF-8',
  422: 'A business rule refuses it (`code` names the rule)',
  503: 'A store or service it needs is away: nothing was changed, retry after Retry-After',
};

type Operation = { parameters?: { in: string }[]; requestBody?: unknown; responses: Record<string, unknown>; [REFUSALS_EXTENSION]?: Record<string, string[]> };
const METHODS = ['get', 'put', 'post', 'delete', 'patch'] as const;
const PROBLEM_REF = { $ref: '#/components/schemas/Problem' };

/**
 * An operation without @Refuses (the ops routes): the refusals it can give guessed from what it
 * takes, with any `code`.
 */
function guessedRefusalsOf(method: (typeof METHODS)[number], operation: Operation): Record<string, string[] | undefined> {
  const hasPathId = (operation.parameters ?? []).some((parameter) => parameter.in === 'path');
  const hasBody = !!operation.requestBody;
  const isCommand = method !== 'get';
  const statuses = [400, 401, 403, ...(hasPathId || hasBody ? [404] : []), ...(isCommand ? [409, 422] : []), ...(hasBody ? [413, 415] : [])];
  return Object.fromEntries(statuses.map((status) => [status, undefined]));
}

/** The platform's refusals of the operation and those its handler declared with @Refuses, codes sorted. */
function declaredRefusalsOf(method: (typeof METHODS)[number], operation: Operation, declared: Record<string, string[]>): Record<string, string[]> {
  const refusals = platformRefusals({ isCommand: method !== 'get', hasBody: !!operation.requestBody });
  for (const [status, codes] of Object.entries(declared)) refusals[status] = [...(refusals[status] ?? []), ...codes];
  return Object.fromEntries(Object.entries(refusals).map(([status, codes]) => [status, [...new Set(codes)].sort()]));
}

/** The problem body of one status: the Problem schema, its `code` one of `codes` when they are known. */
function problemContent(codes: string[] | undefined) {
  const schema = codes ? { allOf: [PROBLEM_REF, { type: 'object', properties: { code: { type: 'string', enum: codes } } }] } : PROBLEM_REF;
  return { [PROBLEM_CONTENT_TYPE]: { schema } };
}

/**
 * Declares on every operation the problem answers it can give, with their application/problem+json
 * schema: the platform's own (platform-refusals.ts) and the codes its handler declares with
 * @Refuses — once here instead of on every controller method, so a route cannot forget the former.
 */
export function withProblemAnswers(document: OpenAPIObject): OpenAPIObject {
  document.components = { ...document.components, schemas: { ...document.components?.schemas, Problem: PROBLEM_SCHEMA as never } };
  for (const item of Object.values(document.paths)) {
    for (const method of METHODS) {
      const operation = item[method] as Operation | undefined;
      if (!operation) continue;
      const declared = operation[REFUSALS_EXTENSION];
      delete operation[REFUSALS_EXTENSION];
      const refusals = declared ? declaredRefusalsOf(method, operation, declared) : guessedRefusalsOf(method, operation);
      for (const [status, codes] of Object.entries(refusals)) {
        const description = `${statusTitle(Number(status))}: ${WHY[Number(status)] ?? 'Refused'}`;
        const given = operation.responses[status] as { description?: string } | undefined;
        if (given && !codes) continue;
        operation.responses[status] = { description: given?.description ?? description, content: problemContent(codes) };
      }
      // A refusal a controller declares itself (e.g. a GET that can answer 422) gets the same body schema.
      for (const [status, response] of Object.entries(operation.responses)) {
        const given = response as { content?: unknown };
        if (Number(status) >= 400 && !given.content) given.content = problemContent(undefined);
      }
    }
  }
  return document;
}

/**
 * The validation pipe refuses fields a DTO does not declare (a typo is noticed, not dropped), so
 * every request object schema says `additionalProperties: false`.
 */
export function withClosedObjects(document: OpenAPIObject): OpenAPIObject {
  for (const schema of Object.values(document.components?.schemas ?? {})) {
    const object = schema as { type?: string; properties?: object; additionalProperties?: unknown };
    if (object.type === 'object' && object.properties && object.additionalProperties === undefined) object.additionalProperties = false;
  }
  return document;
}
