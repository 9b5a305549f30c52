import { describe, it, expect } from '@jest/globals';
import { parseDsn } from '../src/dsn.js';

describe('parseDsn', () => {
  it('reads PostgreSQL DSNs (both schemes), with DB_USER / DB_PWD overriding the credentials', () => {
    const spec = parseDsn({ DB_DSN: 'postgresql://app:p%40ss@db.example.com:6543/sales?sslmode=require' });
    expect(spec).toMatchObject({ dialect: 'postgres', host: 'db.example.com', port: 6543, user: 'app', password: 'p@ss', database: 'sales' });
    expect(spec.display).toBe('postgresql://app@db.example.com:6543/sales');
    expect(spec.connectionString).toContain('sslmode=require');

    const over = parseDsn({ DB_DSN: 'postgres://app:old@db/sales', DB_USER: 'etl', DB_PWD: 'n3w/p@ss:word' });
    expect(over).toMatchObject({ user: 'etl', password: 'n3w/p@ss:word', port: 5432 });
    expect(new URL(over.connectionString!).username).toBe('etl');
    expect(decodeURIComponent(new URL(over.connectionString!).password)).toBe('n3w/p@ss:word');
    expect(over.display).not.toContain('n3w');
  });

  it('reads MariaDB/MySQL DSNs and keeps their options', () => {
    expect(parseDsn({ DB_DSN: 'mariadb://root@127.0.0.1/test?charset=utf8mb4' })).toMatchObject({
      dialect: 'mysql',
      typeormType: 'mariadb',
      port: 3306,
      user: 'root',
      password: undefined,
      options: { charset: 'utf8mb4' },
    });
    expect(parseDsn({ DB_DSN: 'mysql://u:p@h:3307/d?connect_timeout=3' })).toMatchObject({ typeormType: 'mysql', connectTimeoutSeconds: 3, options: {} });
  });

  it('reads SQLite DSNs', () => {
    expect(parseDsn({ DB_DSN: 'sqlite::memory:' })).toMatchObject({ dialect: 'sqlite', path: ':memory:' });
    expect(parseDsn({ DB_DSN: 'sqlite:./data/app.db' })).toMatchObject({ path: './data/app.db' });
    expect(parseDsn({ DB_DSN: 'sqlite:///var/lib/app.db' })).toMatchObject({ path: '/var/lib/app.db' });
  });

  it('rejects unknown schemes, missing DSNs and malformed URLs without echoing a password', () => {
    expect(() => parseDsn({})).toThrow(/BIGRAYS_DB_DSN is not set/);
    expect(() => parseDsn({ DB_DSN: 'mssql://sa:Secret1@h/db' })).toThrow(/unsupported scheme 'mssql:'/);
    for (const dsn of ['postgres://u:Secret1@h:99999/db', 'postgres://u:Secret1@h/a/b', 'postgres:u:Secret1@h']) {
      let message = '';
      try {
        parseDsn({ DB_DSN: dsn });
      } catch (e) {
        message = (e as Error).message;
      }
      expect(message).toMatch(/BIGRAYS_DB_DSN is not a valid postgres DSN/);
      expect(message).not.toContain('Secret1');
    }
  });
});

describe('a password with # ? or @ in the DSN (issue 14, item 14)', () => {
  it.each([
    ['postgres://postgres:s3cr@t#1@127.0.0.1:5432/test', "it contains '#'"],
    ['postgres://postgres:p@ss#1@127.0.0.1:5432/test', "it contains '#'"],
    ['mysql://root:p@ss?x@127.0.0.1:3306/test', "'@' appears after '?'"],
  ])('%s: says to percent-encode or use BIGRAYS_DB_PWD, never shows the password', (dsn, why) => {
    let message = '';
    try {
      parseDsn({ DB_DSN: dsn });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toContain(`BIGRAYS_DB_DSN is not a valid ${dsn.split(':')[0]} DSN: ${why}`);
    expect(message).toContain('percent-encode them in the DSN (# → %23, ? → %3F, / → %2F, @ → %40) or leave the password out of the DSN and set BIGRAYS_DB_PWD');
    expect(message).not.toMatch(/s3cr|p@ss/);
  });

  it('an @ alone in the password still parses (the last @ ends the user info), and so does a percent-encoded one', () => {
    expect(parseDsn({ DB_DSN: 'postgres://postgres:p@ss@db.example:5432/test' })).toMatchObject({ host: 'db.example', password: 'p@ss' });
    expect(parseDsn({ DB_DSN: 'postgres://postgres:p%23ss@db.example:5432/test' })).toMatchObject({ host: 'db.example', password: 'p#ss' });
  });
});
