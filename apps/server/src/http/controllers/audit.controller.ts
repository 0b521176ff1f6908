import { Controller, Get, Param } from '@nestjs/common';
import { ApiBearerAuth, ApiResponse, ApiTags } from '@nestjs/swagger';
import { AuditTrailResponse, ErrorResponse, Uuid } from '@ordertrack/shared';
import { OrderAuditService } from '../../application/audit/order-audit.service.js';
import { Roles } from '../auth/auth.decorators.js';

@ApiTags('audit')
@ApiBearerAuth()
@Controller('audit')
export class AuditController {
  constructor(private readonly orderAudit: OrderAuditService) {}

  @Get('orders/:id')
  @Roles('ADMIN')
  @ApiResponse({
    status: 200,
    description: 'every audited write on the order, oldest first',
    standardSchema: AuditTrailResponse,
  })
  @ApiResponse({ status: 404, description: 'no such order', standardSchema: ErrorResponse })
  trail(@Param('id', { schema: Uuid }) orderId: string): Promise<AuditTrailResponse> {
    return this.orderAudit.trail(orderId);
  }
}
