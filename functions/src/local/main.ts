// `npm start`: the whole product on one machine.
import { resolve } from 'node:path';
import { defaultPersonKeyFile } from '../ingest/person-key.ts';
import { startLocalServer } from './server.ts';

const env = process.env;
const server = await startLocalServer({
  dataDir: resolve(env.DATA_DIR || './.data'),
  port: Number(env.PORT || 8787),
  ...(env.HOST ? { host: env.HOST } : {}),
  personKeyFile: resolve(env.PERSON_KEY_FILE || defaultPersonKeyFile(env)),
  demo: env.SCORECARD_DEMO !== 'off',
  quiet: env.SCORECARD_QUIET === '1',
  ...(env.CORS_ORIGIN ? { corsOrigin: env.CORS_ORIGIN } : {}),
});
console.log(`
Commune Scorecard đang chạy / is running: ${server.url}
  Bảng điều khiển / dashboard: ${server.url}/
  API: ${server.url}/api/v1/health · ${server.url}/api/v1/openapi.json
Đăng nhập cục bộ / local sign-in: trên màn hình đăng nhập chọn một người dùng mẫu theo vai trò
  (Lãnh đạo tỉnh, Chuyên viên phân tích, Cán bộ xã, Quản trị), hoặc dán mã từ
  npm run token -- --role leader|analyst|commune|admin [--commune 28249]
`);
const stop = async () => {
  await server.close();
  process.exit(0);
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
