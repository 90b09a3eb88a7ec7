// Placeholder until the API factory is wired: answers health only, so a synthesized stack bundles real code.
import { Hono } from 'hono';

export const app = new Hono();
app.get('/api/v1/health', (c) => c.json({ status: 'ok', mode: 'cloud', wired: false }));
app.all('*', (c) =>
  c.json({ error: { code: 'not_wired', message_vi: 'Chưa triển khai', message_en: 'Not wired yet' } }, 503),
);
