import { Controller, Get, Res } from '@nestjs/common';
import { ApiResponse, ApiTags } from '@nestjs/swagger';
import { HealthResponse } from '@ordertrack/shared';
import type { Response } from 'express';
import { HealthService } from '../../application/health/health.service.js';
import { Public } from '../auth/auth.decorators.js';

@ApiTags('health')
@Public()
@Controller('health')
export class HealthController {
  constructor(private readonly health: HealthService) {}

  @Get()
  @ApiResponse({ status: 200, description: 'live and every dependency ready', standardSchema: HealthResponse })
  @ApiResponse({ status: 503, description: 'live, but a dependency is down', standardSchema: HealthResponse })
  async check(@Res({ passthrough: true }) response: Response): Promise<HealthResponse> {
    const report = await this.health.check();
    response.status(report.ready ? 200 : 503);
    return report;
  }
}
