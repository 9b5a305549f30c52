/** Jest global teardown: stops the `moto_server` the global setup started (if any). */
import { stopMoto } from './moto/moto-server.mjs';

export default async function globalTeardown(): Promise<void> {
  const server = globalThis.__BIGRAYS_MOTO__;
  if (!server) return;
  globalThis.__BIGRAYS_MOTO__ = undefined;
  await stopMoto(server);
  if (process.env.BIGRAYS_TEST_MOTO_ENDPOINT === server.endpoint) delete process.env.BIGRAYS_TEST_MOTO_ENDPOINT;
}
