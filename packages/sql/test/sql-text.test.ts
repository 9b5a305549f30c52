import { describe, it, expect } from '@jest/globals';
import { compileSql, placeholderNames, splitStatements } from '../src/sql-text.js';

describe('compileSql: :name placeholders', () => {
  it('translates to $n on PostgreSQL, reusing the number of a repeated name', () => {
    const c = compileSql('select * from t where a = :a and b = :b or a2 = :a', 'postgres');
    expect(c.text).toBe('select * from t where a = $1 and b = $2 or a2 = $1');
    expect(c.names).toEqual(['a', 'b']);
  });

  it('translates to ? on MySQL and SQLite, binding a repeated name twice', () => {
    for (const dialect of ['mysql', 'sqlite'] as const) {
      const c = compileSql('select :a, :b, :a', dialect);
      expect(c.text).toBe('select ?, ?, ?');
      expect(c.names).toEqual(['a', 'b', 'a']);
    }
  });

  it('skips string literals, quoted identifiers and comments', () => {
    const sql = `select ':no', "col:no", x -- :no\n, /* :no */ y, :yes`;
    expect(compileSql(sql, 'postgres').names).toEqual(['yes']);
    expect(compileSql(sql.replace('"col:no"', '`col:no`'), 'mysql').names).toEqual(['yes']);
    expect(compileSql(sql + ', [a:no]', 'sqlite').names).toEqual(['yes']);
  });

  it("handles '' escapes and MySQL backslash escapes inside strings", () => {
    expect(compileSql("select 'it''s :no', :yes", 'postgres').names).toEqual(['yes']);
    expect(compileSql("select 'it\\'s :no', :yes", 'mysql').names).toEqual(['yes']);
    // A PostgreSQL standard string: the backslash is a plain character, the quote ends the string.
    expect(compileSql("select 'a\\', :yes", 'postgres').names).toEqual(['yes']);
    // E'' strings do take backslash escapes.
    expect(compileSql("select E'it\\'s :no', :yes", 'postgres').names).toEqual(['yes']);
  });

  it('skips PostgreSQL :: casts and dollar-quoted strings (also nested block comments)', () => {
    const sql = `select :a::int, x::text, $$ :no $$, $fn$ select :no; $fn$, /* a /* :no */ :no */ :b, $1`;
    const c = compileSql(sql, 'postgres');
    expect(c.names).toEqual(['a', 'b']);
    expect(c.text).toBe(`select $1::int, x::text, $$ :no $$, $fn$ select :no; $fn$, /* a /* :no */ :no */ $2, $1`);
  });

  it('skips MySQL # comments and leaves := assignments alone', () => {
    expect(compileSql('select @x := 1, :a # :no\n, :b', 'mysql').names).toEqual(['a', 'b']);
  });

  it('maps positions in the translated text back to the source', () => {
    const c = compileSql('select :alpha, zz', 'postgres');
    expect(c.text).toBe('select $1, zz');
    expect(c.sourceOffset(c.text.indexOf('zz'))).toBe('select :alpha, zz'.indexOf('zz'));
    expect(c.sourceOffset(2)).toBe(2);
  });
});

describe('splitStatements', () => {
  it('splits at top-level semicolons only', () => {
    const sql = `insert into t values ('a;b'); create function f() returns int as $$ select 1; $$ language sql;\n-- done;\n`;
    const parts = splitStatements(sql, 'postgres').map((p) => p.text.trim());
    expect(parts).toEqual([`insert into t values ('a;b')`, `create function f() returns int as $$ select 1; $$ language sql`]);
  });

  it('keeps the offset of each statement', () => {
    const sql = 'select 1;  select 2';
    expect(splitStatements(sql, 'sqlite').map((p) => sql.slice(p.offset, p.offset + p.text.length).trim())).toEqual(['select 1', 'select 2']);
  });
});

describe('placeholderNames', () => {
  it('lists each name once, in order of first use', () => {
    expect(placeholderNames('select :b, :a, :b', 'sqlite')).toEqual(['b', 'a']);
  });
});
