/**
 * Jest global setup: starts `moto_server` for the AWS integration tests
 * (S3, SNS, SQS on one local endpoint) and exports its URL to the test
 * workers as `BIGRAYS_TEST_MOTO_ENDPOINT` (workers inherit this process's
 * environment).
 *
 * - `BIGRAYS_TEST_MOTO_ENDPOINT` already set: that server is used and none
 *   is started (e.g. moto in Docker, or LocalStack).
 * - `moto_server` missing or not starting: with `CI=true` the run fails;
 *   elsewhere `BIGRAYS_TEST_MOTO_PROBLEM` says why and the suites that need
 *   it are skipped loudly (see `test/support/services.ts`).
 */
import { startMoto } from './moto/moto-server.mjs';

export default async function globalSetup(): Promise<void> {
  // Hermetic: no test records runs in a developer's ledger, nor writes .bigrays/ folders into the repo.
  // Ledger tests point BIGRAYS_STATE (or the `state` option) at a temporary folder of their own.
  process.env.BIGRAYS_STATE = 'off';
  delete process.env.BIGRAYS_CHECKPOINTS;
  delete process.env.BIGRAYS_JOB_NAME;
  delete process.env.BIGRAYS_KEEP_RUNS;
  // The AWS SDK's own region chain counts when BIGRAYS_AWS_REGION is unset: the shell's AWS_REGION or a profile in
  // ~/.aws/config must not decide what a test sees (the tests that check the chain set these themselves).
  delete process.env.AWS_REGION;
  delete process.env.AWS_PROFILE;
  process.env.AWS_CONFIG_FILE = '/nonexistent/bigrays-tests/aws-config';
  if (process.env.BIGRAYS_TEST_MOTO_ENDPOINT) return;
  try {
    const server = await startMoto();
    globalThis.__BIGRAYS_MOTO__ = server;
    process.env.BIGRAYS_TEST_MOTO_ENDPOINT = server.endpoint;
    delete process.env.BIGRAYS_TEST_MOTO_PROBLEM;
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    if (process.env.CI === 'true') {
      throw new Error(`moto_server is required with CI=true and did not start: ${reason}`);
    }
    process.env.BIGRAYS_TEST_MOTO_PROBLEM = reason;
  }
}
