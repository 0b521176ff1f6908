import { writeFile } from 'node:fs/promises';
import { ASYNCAPI_FILE, buildAsyncApiDocument } from '../asyncapi/asyncapi-document.js';
import { serializeApiDocument } from '../http/openapi-file.js';

await writeFile(ASYNCAPI_FILE, serializeApiDocument(buildAsyncApiDocument()));
console.log(`wrote ${ASYNCAPI_FILE}`);
