/** Keys bigrays itself reads, for `bigrays config`. Users may add any other key. */
export interface KnownConfigKey {
  readonly key: string;
  readonly usedBy: string;
  readonly secret: boolean;
  readonly aliasOf?: string;
}

export const KNOWN_CONFIG_KEYS: readonly KnownConfigKey[] = [
  { key: 'DB_DSN', usedBy: 'SQL: connection string (postgres://, mysql://, mariadb://, sqlite:)', secret: false },
  { key: 'DB_USER', usedBy: 'SQL: overrides the user in DB_DSN', secret: false },
  { key: 'DB_PWD', usedBy: 'SQL: overrides the password in DB_DSN', secret: true },
  { key: 'S3_ACCESS_KEY_ID', usedBy: 'S3 and SNS: access key id', secret: false },
  { key: 'S3_SECRET_ACCESS_KEY', usedBy: 'S3 and SNS: secret access key', secret: true },
  { key: 'AWS_ACCESS_KEY_ID', usedBy: 'S3 and SNS: alias of S3_ACCESS_KEY_ID', secret: false, aliasOf: 'S3_ACCESS_KEY_ID' },
  { key: 'AWS_SECRET_ACCESS_KEY', usedBy: 'S3 and SNS: alias of S3_SECRET_ACCESS_KEY', secret: true, aliasOf: 'S3_SECRET_ACCESS_KEY' },
  { key: 'S3_SESSION_TOKEN', usedBy: 'S3 and SNS: session token of temporary credentials', secret: true },
  { key: 'AWS_SESSION_TOKEN', usedBy: 'S3 and SNS: alias of S3_SESSION_TOKEN', secret: true, aliasOf: 'S3_SESSION_TOKEN' },
  { key: 'AWS_REGION', usedBy: 'S3 and SNS: region', secret: false },
  { key: 'AWS_ENDPOINT_URL', usedBy: 'S3 and SNS: compatible endpoint (MinIO, moto, LocalStack)', secret: false },
  { key: 'STATE', usedBy: 'run ledger: off, a folder, or postgres://, mysql://, sqlite: (default .bigrays/ next to the job)', secret: false },
  { key: 'CHECKPOINTS', usedBy: 'run ledger: where checkpoints go (s3://bucket/prefix or a folder)', secret: false },
  { key: 'JOB_NAME', usedBy: "run ledger: the job's name (default: the job file's name)", secret: false },
  { key: 'KEEP_RUNS', usedBy: 'run ledger: unsuccessful runs whose checkpoints are kept (default 5)', secret: false },
];
