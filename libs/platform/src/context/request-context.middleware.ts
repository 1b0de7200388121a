import { Injectable, NestMiddleware } from '@nestjs/common';
import type { HttpRequest as Request, HttpResponse as Response, NextFunction } from '../http-types';
import { Clock } from './clock';
import { requestContextMiddleware } from './request-context';

@Injectable()
export class RequestContextMiddleware implements NestMiddleware {
  private readonly handle: ReturnType<typeof requestContextMiddleware>;

  constructor(clock: Clock) {
    this.handle = requestContextMiddleware(clock);
  }

  use(req: Request, res: Response, next: NextFunction): void {
    this.handle(req, res, next);
  }
}
