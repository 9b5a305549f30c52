// Naive baseline: query every row with `pg`, build the CSV in memory, write it.
// Usage: node pg-to-csv.mjs <dsn> <query> <out.csv>
import pg from 'pg';
import { writeCsv } from './csv.mjs';

const [dsn, query, out] = process.argv.slice(2);
const client = new pg.Client({ connectionString: dsn });
await client.connect();
const result = await client.query(query);
await client.end();
writeCsv(out, result.fields.map((f) => f.name), result.rows);
