import { Controller, Get } from '@nestjs/common';
import { ApiResponse, ApiTags } from '@nestjs/swagger';
import { PRODUCT_CATALOGUE, ProductCatalogue } from '@ordertrack/shared';
import { Public } from '../auth/auth.decorators.js';

@ApiTags('catalog')
@Public()
@Controller('catalog')
export class CatalogController {
  @Get()
  @ApiResponse({ status: 200, standardSchema: ProductCatalogue })
  list(): ProductCatalogue {
    return { items: [...PRODUCT_CATALOGUE] };
  }
}
