/**
 * The bare-NestJS peer of the HTTP bench (`node dist/bench/lib/bare-nest-app.js`, PORT and
 * BENCH_HTTP_ADAPTER from the environment): Nest on the server's HTTP adapter with one POST route
 * that parses a small JSON body and answers 201 — no guards, validation, logging, store or bus.
 * What the server costs per command beyond this is the server's own work.
 */
import 'reflect-metadata';
import { randomUUID } from 'crypto';
import { Body, Controller, Get, HttpCode, Module, Post } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';

@Controller()
class BareController {
  @Post('orders')
  @HttpCode(201)
  create(@Body() body: { customerId?: string }) {
    return { id: randomUUID(), customerId: body.customerId };
  }

  /** What the bench's ServerProcess waits for before it sends load. */
  @Get('health/ready')
  ready() {
    return { status: 'ok' };
  }
}

@Module({ controllers: [BareController] })
class BareModule {}

async function main() {
  const port = Number(process.env.PORT ?? 3000);
  const adapter = process.env.BENCH_HTTP_ADAPTER === 'fastify' ? fastifyAdapter() : undefined;
  const app = adapter ? await NestFactory.create(BareModule, adapter, { logger: false }) : await NestFactory.create(BareModule, { logger: false });
  await app.listen(port);
}

/** Loaded only when the server runs on Fastify (the package is not a dependency otherwise). */
function fastifyAdapter() {
  const name = '@nestjs/platform-fastify';
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  const { FastifyAdapter } = require(name);
  return new FastifyAdapter();
}

main().catch((error: unknown) => {
  process.stderr.write(`bare Nest app could not start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
