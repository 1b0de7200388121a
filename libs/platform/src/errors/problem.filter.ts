import { ArgumentsHost, Catch, ExceptionFilter, Logger } from '@nestjs/common';
import type { HttpRequest as Request, HttpResponse as Response } from '../http-types';
import { requestContextOf } from '../context/request-context';
import { ReplayedAnswer, sendReplayedAnswer } from '../idempotency/idempotent-answer';
import { checkDeclaredProblem } from '../openapi/declared-problems-check';
import { Problem, PROBLEM_CONTENT_TYPE, RETRY_AFTER_SECONDS } from './problem';
import { toProblem } from './to-problem';

/**
 * Answers every error as application/problem+json; 5xx are logged with their stack, never sent.
 * Also sends the recorded success that IdempotencyGuard replays instead of running the handler.
 */
@Catch()
export class ProblemExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('ProblemExceptionFilter');

  catch(exception: unknown, host: ArgumentsHost): void {
    if (host.getType() !== 'http') throw exception;
    const http = host.switchToHttp();
    const request = http.getRequest<Request>();
    const response = http.getResponse<Response>();
    if (exception instanceof ReplayedAnswer) return sendReplayedAnswer(response, exception);
    const problem = checkDeclaredProblem(request, toProblem(exception));

    if (problem.status >= 500) {
      const stack = exception instanceof Error ? exception.stack ?? exception.message : String(exception);
      const { requestId, correlationId } = requestContextOf(request);
      this.logger.error({ msg: `${request.method} ${request.originalUrl} failed: ${stack}`, requestId, correlationId });
    }
    sendProblem(response, problem);
  }
}

/** Sends a problem as application/problem+json, unless the answer has begun (a stream broke half way): then the socket just ends. */
export function sendProblem(response: Response, problem: Problem): void {
  if (response.sent || response.raw.headersSent) {
    response.raw.end();
    return;
  }
  // A dependency that is away answers 503: say when it is worth asking again.
  if (problem.status === 503 && !response.getHeader('Retry-After')) response.header('Retry-After', String(RETRY_AFTER_SECONDS));
  response.status(problem.status).type(PROBLEM_CONTENT_TYPE).send(JSON.stringify(problem));
}
