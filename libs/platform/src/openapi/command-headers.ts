import { OpenAPIObject } from '@nestjs/swagger';
import { RETRY_AFTER_SECONDS } from '../errors/problem';
import { VIEW_STALE_HEADER } from '../http/view-stale';
import { IDEMPOTENCY_KEY_HEADER, IDEMPOTENCY_KEY_PATTERN, IDEMPOTENT_RECOVERED_HEADER, IDEMPOTENT_REPLAYED_HEADER } from '../idempotency/idempotency.tokens';

type Response = { headers?: Record<string, unknown> };
type Operation = { parameters?: { name: string; in: string }[]; responses: Record<string, Response> };
const COMMAND_METHODS = ['put', 'post', 'delete', 'patch'] as const;
const METHODS = ['get', ...COMMAND_METHODS] as const;
const TRUE_ONLY = { type: 'string', enum: ['true'] };

const IDEMPOTENCY_KEY_PARAMETER = {
  name: IDEMPOTENCY_KEY_HEADER,
  in: 'header',
  required: false,
  description:
    'Makes the command happen at most once for this key, caller and path: a repeat with the same body gets the first answer again ' +
    `(with ${IDEMPOTENT_REPLAYED_HEADER}: true) and changes nothing. A repeat while the first still runs waits for its answer ` +
    '(409 REQUEST_IN_PROGRESS if it takes too long); the same key with another body or query is refused (422 IDEMPOTENCY_KEY_REUSED). ' +
    'A 400 or 5xx answer frees the key: nothing was done, so the request may be sent again, corrected, under it.',
  schema: { type: 'string', pattern: IDEMPOTENCY_KEY_PATTERN.source },
};

const ANSWER_HEADERS = {
  [IDEMPOTENT_REPLAYED_HEADER]: { description: `The answer of an earlier request with the same ${IDEMPOTENCY_KEY_HEADER}, given again; nothing was done again.`, schema: TRUE_ONLY },
  [IDEMPOTENT_RECOVERED_HEADER]: {
    description: `The earlier request with the same ${IDEMPOTENCY_KEY_HEADER} died after committing: this answer is rebuilt from what it committed.`,
    schema: TRUE_ONLY,
  },
  [VIEW_STALE_HEADER]: {
    description: 'The command was committed, but the answer is built from its own events because the read model had not caught up: a GET may not show it for a moment.',
    schema: TRUE_ONLY,
  },
};

const RETRY_AFTER = { description: 'Seconds to wait before trying again.', schema: { type: 'integer', example: RETRY_AFTER_SECONDS } };

/**
 * The headers a client of the commands meets, declared once here for every operation (as the
 * problem answers are, setup-openapi.ts): the Idempotency-Key a command takes, the headers its
 * successful answer may carry, and the Retry-After of every 503.
 */
export function withCommandHeaders(document: OpenAPIObject): OpenAPIObject {
  for (const item of Object.values(document.paths)) {
    for (const method of METHODS) {
      const operation = item[method] as Operation | undefined;
      if (!operation) continue;
      if ((COMMAND_METHODS as readonly string[]).includes(method)) {
        if (!operation.parameters?.some((parameter) => parameter.in === 'header' && parameter.name === IDEMPOTENCY_KEY_HEADER)) {
          operation.parameters = [...(operation.parameters ?? []), IDEMPOTENCY_KEY_PARAMETER];
        }
        for (const [status, response] of Object.entries(operation.responses)) {
          if (status.startsWith('2')) response.headers = { ...response.headers, ...ANSWER_HEADERS };
        }
      }
      const unavailable = operation.responses['503'];
      if (unavailable) unavailable.headers = { ...unavailable.headers, 'Retry-After': RETRY_AFTER };
    }
  }
  return document;
}
