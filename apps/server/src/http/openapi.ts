import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import { z } from 'zod';

/** The OpenAPI document, generated from the same zod schemas that validate requests. */
export function buildOpenApiDocument(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('Order tracking API')
    .setDescription(
      'Place, track and update orders. Real-time pushes: Socket.IO namespace `/orders`, event `order.updated`, ' +
        'handshake `auth: {token}`; `orders.resume` replays missed events.',
    )
    .setVersion('0.1.0')
    .addBearerAuth()
    .build();
  return SwaggerModule.createDocument(app, config, {
    standardSchemaConverter: (schema, { schemaType }) => {
      const { definitions, ...root } = z.toJSONSchema(schema as z.ZodType, {
        io: schemaType,
        target: 'openapi-3.0',
        unrepresentable: 'any',
      }) as { definitions?: Record<string, unknown> };
      // Schemas with a `.meta({id})` become named components instead of being inlined at every use.
      return { schema: root, components: definitions ?? {} };
    },
  });
}
