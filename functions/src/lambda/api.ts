import { handle } from 'hono/aws-lambda';
import { createCloudApi } from './cloud-api.ts';
export const handler = handle(await createCloudApi());
