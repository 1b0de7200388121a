import { INestApplication } from '@nestjs/common';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { PROBLEM_CONTENT_TYPE, statusTitle } from '../errors/problem';

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
  const document = withClosedObjects(withProblemAnswers(SwaggerModule.createDocument(app, config)));
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
};

type Operation = { parameters?: { in: string }[]; requestBody?: unknown; responses: Record<string, unknown> };
const METHODS = ['get', 'put', 'post', 'delete', 'patch'] as const;

/** Which refusals an operation can answer, from what it takes: the guard, the pipes, the deciders. */
function refusalsOf(method: (typeof METHODS)[number], operation: Operation): number[] {
  const hasPathId = (operation.parameters ?? []).some((parameter) => parameter.in === 'path');
  const hasBody = !!operation.requestBody;
  const isCommand = method !== 'get';
  return [
    400,
    401,
    403,
    ...(hasPathId || hasBody ? [404] : []),
    ...(isCommand ? [409, 422] : []),
    ...(hasBody ? [413, 415] : []),
  ];
}

/**
 * Declares on every operation the problem answers it can give, with their application/problem+json
 * schema — once here instead of on every controller method, so a new route cannot forget them.
 */
export function withProblemAnswers(document: OpenAPIObject): OpenAPIObject {
  document.components = { ...document.components, schemas: { ...document.components?.schemas, Problem: PROBLEM_SCHEMA as never } };
  for (const item of Object.values(document.paths)) {
    for (const method of METHODS) {
      const operation = item[method] as Operation | undefined;
      if (!operation) continue;
      const problemContent = { [PROBLEM_CONTENT_TYPE]: { schema: { $ref: '#/components/schemas/Problem' } } };
      for (const status of refusalsOf(method, operation)) {
        operation.responses[status] ??= { description: `${statusTitle(status)}: ${WHY[status]}`, content: problemContent };
      }
      // A refusal a controller declares itself (e.g. a GET that can answer 422) gets the same body schema.
      for (const [status, response] of Object.entries(operation.responses)) {
        const declared = response as { content?: unknown };
        if (Number(status) >= 400 && !declared.content) declared.content = problemContent;
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
