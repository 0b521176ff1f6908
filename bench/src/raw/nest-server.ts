/**
 * The HTTP-adapter baseline: a bare Nest app with the app's catalogue route and none of its middleware, guards or
 * logging, on either adapter, in its own process:
 *   node nest-server.js express|fastify
 * Prints `{"port": N}` once listening.
 */
import 'reflect-metadata';
import type { Server } from 'node:http';
import { Controller, Get, Module, type INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ExpressAdapter } from '@nestjs/platform-express';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { PRODUCT_CATALOGUE, type ProductCatalogue } from '@ordertrack/shared';

@Controller('catalog')
class CatalogController {
  @Get()
  list(): ProductCatalogue {
    return { items: [...PRODUCT_CATALOGUE] };
  }
}

@Module({ controllers: [CatalogController] })
class BareModule {}

async function create(kind: string | undefined): Promise<INestApplication> {
  const options = { logger: false as const };
  if (kind === 'express') return NestFactory.create(BareModule, new ExpressAdapter(), options);
  if (kind === 'fastify') return NestFactory.create(BareModule, new FastifyAdapter(), options);
  console.error('usage: nest-server.js express|fastify');
  process.exit(2);
}

const app = await create(process.argv[2]);
await app.listen(0, '127.0.0.1');
// Both adapters serve on a node:http server underneath.
const address = (app.getHttpServer() as Server).address();
if (typeof address === 'object' && address !== null) {
  console.log(JSON.stringify({ port: address.port }));
}
