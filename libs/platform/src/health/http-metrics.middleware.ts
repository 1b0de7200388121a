import { Injectable, NestMiddleware } from '@nestjs/common';
import type { HttpRequest as Request, HttpResponse as Response, NextFunction } from '../http-types';
import { httpMetricsMiddleware } from './http-metrics';

@Injectable()
export class HttpMetricsMiddleware implements NestMiddleware {
  private readonly handle = httpMetricsMiddleware();

  use(req: Request, res: Response, next: NextFunction): void {
    this.handle(req, res, next);
  }
}
