#!/usr/bin/env node
// Compares candidate Parquet writers on the same rows (issue 13: "choose the library by measuring").
// Not part of `pnpm bench`: the candidates other than hyparquet-writer are not dependencies of bigrays.
//
//   mkdir /tmp/pq && cd /tmp/pq && npm init -y && npm i hyparquet-writer parquet-wasm apache-arrow @duckdb/node-api
//   cp <repo>/bench/parquet/libraries.mjs . && node libraries.mjs [rows]
//
// Each library runs in its own child process; wall time and peak RSS (getrusage maxrss) are reported.
import { spawnSync } from 'node:child_process';
import { statSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const child = process.argv[2] === '--child';
const ROWS = Number(child ? process.argv[4] : process.argv[2] ?? 1_000_000) || 1_000_000;
const BATCH = 100_000;
const LIBS = (process.env.LIBS ?? 'hyparquet-writer,parquet-wasm,duckdb').split(',');

/** 10 columns: int32, int64, 3 texts, decimal(12,2), double, timestamp, boolean, date; ~10% nulls in two. */
function* batches(rows) {
  const base = Date.UTC(2026, 0, 1);
  for (let start = 0; start < rows; start += BATCH) {
    const n = Math.min(BATCH, rows - start);
    const b = [];
    for (let i = start; i < start + n; i++) {
      b.push([
        i,
        BigInt(i) * 1_000_003n,
        `name ${i % 5000}`,
        i % 10 === 0 ? null : `text, with "quotes" ${i}`,
        `ünïcode ${i % 97}`,
        BigInt(i * 7) % 100_000_000n, // unscaled decimal(12,2)
        i / 7,
        new Date(base + i * 1000),
        i % 3 === 0,
        i % 10 === 5 ? null : 19_000 + (i % 1000), // days since epoch
      ]);
    }
    yield b;
  }
}

async function runHyparquet(file) {
  const { ParquetWriter, fileWriter } = await import('hyparquet-writer');
  const schema = [
    { name: 'root', num_children: 10 },
    { name: 'id', type: 'INT32', repetition_type: 'OPTIONAL' },
    { name: 'big', type: 'INT64', repetition_type: 'OPTIONAL' },
    { name: 's1', type: 'BYTE_ARRAY', converted_type: 'UTF8', repetition_type: 'OPTIONAL' },
    { name: 's2', type: 'BYTE_ARRAY', converted_type: 'UTF8', repetition_type: 'OPTIONAL' },
    { name: 's3', type: 'BYTE_ARRAY', converted_type: 'UTF8', repetition_type: 'OPTIONAL' },
    { name: 'dec', type: 'INT64', converted_type: 'DECIMAL', precision: 12, scale: 2, repetition_type: 'OPTIONAL' },
    { name: 'dbl', type: 'DOUBLE', repetition_type: 'OPTIONAL' },
    { name: 'ts', type: 'INT64', logical_type: { type: 'TIMESTAMP', isAdjustedToUTC: true, unit: 'MICROS' }, repetition_type: 'OPTIONAL' },
    { name: 'flag', type: 'BOOLEAN', repetition_type: 'OPTIONAL' },
    { name: 'day', type: 'INT32', converted_type: 'DATE', repetition_type: 'OPTIONAL' },
  ];
  const w = new ParquetWriter({ writer: fileWriter(file), schema });
  const names = schema.slice(1).map((s) => s.name);
  for (const b of batches(ROWS)) {
    const cols = names.map(() => new Array(b.length));
    for (let r = 0; r < b.length; r++) for (let c = 0; c < 10; c++) cols[c][r] = b[r][c];
    // the decimal is stored as INT64 unscaled: hand bigints straight through
    await w.write({ columnData: names.map((name, c) => ({ name, data: cols[c] })), rowGroupSize: b.length });
  }
  await w.finish();
}

async function runParquetWasm(file) {
  const arrow = await import('apache-arrow');
  const pw = await import('parquet-wasm/node');
  const { writeFileSync } = await import('node:fs');
  // parquet-wasm writes a whole Arrow table at once (its streaming API takes a web ReadableStream of its own
  // RecordBatches); batches are converted to Arrow and concatenated, then written.
  const tables = [];
  for (const b of batches(ROWS)) {
    const col = (c) => b.map((r) => r[c]);
    tables.push(
      arrow.tableFromArrays({
        id: Int32Array.from(col(0)),
        big: BigInt64Array.from(col(1)),
        s1: arrow.vectorFromArray(col(2), new arrow.Utf8()),
        s2: arrow.vectorFromArray(col(3), new arrow.Utf8()),
        s3: arrow.vectorFromArray(col(4), new arrow.Utf8()),
        dec: BigInt64Array.from(col(5)),
        dbl: Float64Array.from(col(6)),
        ts: arrow.vectorFromArray(col(7), new arrow.TimestampMillisecond()),
        flag: arrow.vectorFromArray(col(8), new arrow.Bool()),
        day: arrow.vectorFromArray(col(9).map((d) => (d === null ? null : d * 86_400_000)), new arrow.DateMillisecond()),
      }),
    );
  }
  const table = tables.length === 1 ? tables[0] : tables[0].concat(...tables.slice(1));
  const wasmTable = pw.Table.fromIPCStream(arrow.tableToIPC(table, 'stream'));
  const props = new pw.WriterPropertiesBuilder().setCompression(pw.Compression.SNAPPY).setMaxRowGroupSize(BATCH).build();
  writeFileSync(file, pw.writeParquet(wasmTable, props));
}

async function runDuckdb(file) {
  const { DuckDBInstance, DuckDBTimestampValue, DuckDBDateValue, DuckDBDecimalValue } = await import('@duckdb/node-api');
  const db = await DuckDBInstance.create(':memory:');
  const con = await db.connect();
  await con.run(
    'CREATE TABLE t (id INTEGER, big BIGINT, s1 VARCHAR, s2 VARCHAR, s3 VARCHAR, dec DECIMAL(12,2), dbl DOUBLE, ts TIMESTAMP, flag BOOLEAN, day DATE)',
  );
  const app = await con.createAppender('t');
  for (const b of batches(ROWS)) {
    for (const r of b) {
      app.appendInteger(r[0]);
      app.appendBigInt(r[1]);
      app.appendVarchar(r[2]);
      if (r[3] === null) app.appendNull();
      else app.appendVarchar(r[3]);
      app.appendVarchar(r[4]);
      app.appendDecimal(new DuckDBDecimalValue(r[5], 12, 2));
      app.appendDouble(r[6]);
      app.appendTimestamp(new DuckDBTimestampValue(BigInt(r[7].getTime()) * 1000n));
      app.appendBoolean(r[8]);
      if (r[9] === null) app.appendNull();
      else app.appendDate(new DuckDBDateValue(r[9]));
      app.endRow();
    }
    app.flushSync();
  }
  app.closeSync();
  await con.run(`COPY t TO '${file}' (FORMAT parquet, ROW_GROUP_SIZE ${BATCH})`);
}

if (child) {
  const lib = process.argv[3];
  const rows = Number(process.argv[4]);
  const file = join(tmpdir(), `pq-bench-${lib}-${process.pid}.parquet`);
  const t0 = process.hrtime.bigint();
  const fn = { 'hyparquet-writer': runHyparquet, 'parquet-wasm': runParquetWasm, duckdb: runDuckdb }[lib];
  void rows;
  await fn(file);
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  const size = statSync(file).size;
  rmSync(file);
  console.log(JSON.stringify({ lib, ms: Math.round(ms), peakRssMB: Math.round(process.resourceUsage().maxRSS / 1024), sizeMB: +(size / 1e6).toFixed(1) }));
} else {
  console.log(`| library | rows | time | peak RSS | file size |\n|---|---|---|---|---|`);
  for (const lib of LIBS) {
    const r = spawnSync(process.execPath, [new URL(import.meta.url).pathname, '--child', lib, String(ROWS)], { encoding: 'utf8' });
    if (r.status !== 0) {
      console.log(`| ${lib} | ${ROWS} | failed: ${(r.stderr || '').split('\n').find((l) => l.trim()) ?? r.status} | | |`);
      continue;
    }
    const m = JSON.parse(r.stdout.trim().split('\n').pop());
    console.log(`| ${lib} | ${ROWS.toLocaleString('en-US')} | ${(m.ms / 1000).toFixed(1)} s | ${m.peakRssMB} MB | ${m.sizeMB} MB |`);
  }
}
