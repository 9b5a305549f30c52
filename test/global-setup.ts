// Filled by the services harness (moto for S3/SNS); nothing to start for core tests.
export default async function globalSetup(): Promise<void> {}
