import { describe, it, expect } from '@jest/globals';
import { bindValue } from '../src/engines/dialects.js';
import { mysqlColumn } from '../src/engines/mysql/values.js';
import { pgColumnType } from '../src/engines/postgres/values.js';
import { sqliteConverter, sqliteDeclaredType } from '../src/engines/sqlite/values.js';
import { inferColumnType, uniqueNames } from '../src/values.js';
import { parseTableName } from '../src/write.js';

describe('inferColumnType (SQLWrite creates tables from values)', () => {
  it.each([
    [[1, 2, null], 'integer'],
    [[1, 2 ** 40], 'bigint'],
    [[1n], 'bigint'],
    [[1, 2.5], 'float'],
    [[true, false, null], 'boolean'],
    [[new Date()], 'timestamp'],
    [['2026-01-02', '1999-12-31'], 'date'],
    [['2026-01-02', 'x'], 'text'],
    [[{ a: 1 }, [1], 'x'], 'json'],
    [[Buffer.from('x')], 'binary'],
    [[1, 'x'], 'text'],
    [[null, undefined], 'text'],
    // new-1 (issue 10): an integral JS number that is not a safe integer is a double (1e300, 2^60), never BIGINT.
    [[1e300, null], 'float'],
    [[2 ** 53], 'float'],
    [[1, 2 ** 60], 'float'],
    [[-1e20, 2], 'float'],
  ])('%j → %s', (values, type) => {
    expect(inferColumnType(values)).toBe(type);
  });
});

describe('column types by driver', () => {
  it('maps PostgreSQL OIDs', () => {
    expect([20, 23, 701, 1700, 16, 1082, 1114, 1184, 3802, 17, 25, 1007].map(pgColumnType)).toEqual([
      'bigint', 'integer', 'float', 'decimal', 'boolean', 'date', 'timestamp', 'timestamp', 'json', 'binary', 'text', 'text',
    ]);
  });

  it('maps mysql2 fields: TINYINT(1) is boolean, JSON (also MariaDB\'s) is json', () => {
    expect(mysqlColumn({ name: 'b', columnType: 1, columnLength: 1 }).type).toBe('boolean');
    expect(mysqlColumn({ name: 'b', columnType: 1, columnLength: 1 }).convert!(1)).toBe(true);
    expect(mysqlColumn({ name: 't', columnType: 1, columnLength: 4 }).type).toBe('integer');
    expect(mysqlColumn({ name: 'j', columnType: 252, characterSet: 224, extendedFormat: 'json' }).type).toBe('json');
    expect(mysqlColumn({ name: 'x', columnType: 252, characterSet: 63 }).type).toBe('binary');
    expect(mysqlColumn({ name: 'x', columnType: 8 }).type).toBe('bigint');
  });

  it('reads SQLite declared types', () => {
    expect(['BIGINT', 'INTEGER', 'BOOLEAN', 'DATETIME', 'DATE', 'DECIMAL(10,2)', 'JSON', 'VARCHAR(20)', null].map(sqliteDeclaredType)).toEqual([
      'bigint', 'integer', 'boolean', 'timestamp', 'date', 'decimal', 'json', 'text', undefined,
    ]);
    expect(sqliteConverter('decimal', 'DECIMAL(10,2)')!(-0.5)).toBe('-0.50');
    expect(sqliteConverter('bigint')!(9007199254740993n)).toBe('9007199254740993');
    expect(sqliteConverter('timestamp')!('2026-01-02 03:04:05')).toEqual(new Date('2026-01-02T03:04:05Z'));
  });
});

describe('bound values', () => {
  it('are what each driver can bind', () => {
    const d = new Date('2026-01-02T03:04:05Z');
    expect(bindValue('postgres', d)).toBe('2026-01-02T03:04:05.000Z');
    expect(bindValue('sqlite', true)).toBe(1);
    expect(bindValue('sqlite', { a: 1 })).toBe('{"a":1}');
    expect(bindValue('mysql', 5n)).toBe('5');
    expect(bindValue('mysql', undefined)).toBe(null);
  });
});

describe('names', () => {
  it('makes repeated column names unique', () => {
    expect(uniqueNames(['id', 'id', 'x', 'id'])).toEqual(['id', 'id_2', 'x', 'id_3']);
  });

  it('parses table names with schemas and quotes', () => {
    expect(parseTableName('sales', 'postgres')).toEqual({ name: 'sales' });
    expect(parseTableName('analytics.sales', 'postgres')).toEqual({ schema: 'analytics', name: 'sales' });
    expect(parseTableName('"My Schema"."a.b"', 'postgres')).toEqual({ schema: 'My Schema', name: 'a.b' });
    expect(parseTableName('`db`.`t``x`', 'mysql')).toEqual({ schema: 'db', name: 't`x' });
    expect(() => parseTableName('a.b.c', 'sqlite')).toThrow(/has 3 parts/);
    expect(() => parseTableName('', 'sqlite')).toThrow(/non-empty string/);
  });
});
