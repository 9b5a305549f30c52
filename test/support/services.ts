import { createConnection } from 'node:net';

/**
 * Integration suites call `requireService` at the top (top-level await). When
 * the service is unreachable: with CI=true the suite fails (never a silent
 * skip); elsewhere it is skipped with a loud notice.
 */
export type ServiceName = 'postgres' | 'mariadb' | 'moto';

/** The database servers on loopback, shared with other engineers' tests: use unique table and database names. */
const ENDPOINTS: Record<Exclude<ServiceName, 'moto'>, { host: string; port: number; label: string }> = {
  postgres: { host: '127.0.0.1', port: 5432, label: 'PostgreSQL at 127.0.0.1:5432' },
  mariadb: { host: '127.0.0.1', port: 3306, label: 'MariaDB at 127.0.0.1:3306' },
};

interface DsnParts {
  database?: string;
  user?: string;
  /** Written as given: percent-encode it first if it must be. */
  password?: string;
}

/** A DSN of the test PostgreSQL server (trust auth: any password is accepted); default user postgres, database test. */
export function pgDsn({ database = 'test', user = 'postgres', password }: DsnParts = {}): string {
  const { host, port } = ENDPOINTS.postgres;
  return `postgres://${user}${password === undefined ? '' : `:${password}`}@${host}:${port}/${database}`;
}

/** A DSN of the test MariaDB server; default user root, database test. */
export function mariadbDsn({ database = 'test', user = 'root', password }: DsnParts = {}): string {
  const { host, port } = ENDPOINTS.mariadb;
  return `mysql://${user}${password === undefined ? '' : `:${password}`}@${host}:${port}/${database}`;
}

/** `postgres://postgres@127.0.0.1:5432/test`: the shared test database. */
export const PG_DSN = pgDsn();
/** `mysql://root@127.0.0.1:3306/test`: the shared test database. */
export const MARIADB_DSN = mariadbDsn();

export const isCI = process.env.CI === 'true';

function reachable(host: string, port: number, timeoutMs = 1500): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host, port });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

/** The moto endpoint started by the Jest global setup, if any. */
export function motoEndpoint(): string | undefined {
  return process.env.BIGRAYS_TEST_MOTO_ENDPOINT || undefined;
}

/** True when the service can be used; throws in CI when it cannot; warns loudly and returns false elsewhere. */
export async function requireService(name: ServiceName, suite: string): Promise<boolean> {
  let ok: boolean;
  let label: string;
  if (name === 'moto') {
    const endpoint = motoEndpoint();
    label = `moto_server (${process.env.BIGRAYS_TEST_MOTO_PROBLEM ?? 'not started by the global setup'})`;
    ok = endpoint !== undefined && (await reachable(new URL(endpoint).hostname, Number(new URL(endpoint).port)));
  } else {
    const { host, port, label: l } = ENDPOINTS[name];
    label = l;
    ok = await reachable(host, port);
  }
  if (ok) return true;
  const message = `${suite}: ${label} is unreachable`;
  if (isCI) throw new Error(`${message}. CI=true: a missing service is a failure, not a skip.`);
  process.stderr.write(`\n${'!'.repeat(78)}\n!! SKIPPING ${message}\n!! (outside CI only; with CI=true this fails)\n${'!'.repeat(78)}\n\n`);
  return false;
}
