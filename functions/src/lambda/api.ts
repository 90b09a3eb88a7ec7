import { handle } from 'hono/aws-lambda';
import { app } from './placeholder-app.ts';
export const handler = handle(app);
