import { Controller, Get, Header } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { Public } from '../http/auth/auth.decorators.js';
import { AppMetrics } from './metrics.js';

/**
 * Prometheus scrapes this. Public like /health: it carries counts and latencies only, no ids; restrict it at the
 * network edge if even those are sensitive.
 */
@ApiExcludeController()
@Public()
@Controller('metrics')
export class MetricsController {
  constructor(private readonly metrics: AppMetrics) {}

  @Get()
  @Header('Content-Type', 'text/plain; version=0.0.4; charset=utf-8')
  scrape(): Promise<string> {
    return this.metrics.exposition();
  }
}
