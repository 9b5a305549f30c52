// Naive baseline: query every row with `mysql2`, build the CSV in memory, write it.
// Usage: node mysql-to-csv.mjs <dsn> <query> <out.csv>
import mysql from 'mysql2/promise';
import { writeCsv } from './csv.mjs';

const [dsn, query, out] = process.argv.slice(2);
const conn = await mysql.createConnection(dsn);
const [rows, fields] = await conn.query(query);
await conn.end();
writeCsv(out, fields.map((f) => f.name), rows);
