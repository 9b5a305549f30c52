/**
 * Reads the CSV bigrays writes for PostgreSQL's COPY (RFC 4180, `\n` line
 * ends, an unquoted empty field is NULL, `""` is the empty string) back into
 * records of text, for engines that have no COPY FROM STDIN (Redshift) and
 * insert the same text as parameters instead: the server reads each value
 * with the column type's input function, as COPY would.
 *
 * @internal
 * @module
 */
import { StringDecoder } from 'node:string_decoder';

const enum State {
  FieldStart,
  Unquoted,
  Quoted,
  QuoteInQuoted,
}

/** The records of a CSV stream, one array of fields (text, or null) each. */
export async function* csvRecords(stream: NodeJS.ReadableStream): AsyncGenerator<(string | null)[], void, undefined> {
  const decoder = new StringDecoder('utf8');
  let state = State.FieldStart as State;
  let field = '';
  let record: (string | null)[] = [];
  let ready: (string | null)[][] = [];
  const scan = (text: string) => {
    for (let i = 0; i < text.length; i++) {
      const c = text[i]!;
      switch (state) {
        case State.FieldStart:
          if (c === '"') {
            state = State.Quoted;
            field = '';
          } else if (c === ',') {
            record.push(null);
          } else if (c === '\n') {
            record.push(null);
            ready.push(record);
            record = [];
          } else {
            field = c;
            state = State.Unquoted;
          }
          break;
        case State.Unquoted:
          if (c === ',' || c === '\n') {
            record.push(field);
            state = State.FieldStart;
            if (c === '\n') {
              ready.push(record);
              record = [];
            }
          } else {
            field += c;
          }
          break;
        case State.Quoted:
          if (c === '"') state = State.QuoteInQuoted;
          else field += c;
          break;
        case State.QuoteInQuoted:
          if (c === '"') {
            field += '"';
            state = State.Quoted;
          } else if (c === ',' || c === '\n') {
            record.push(field);
            state = State.FieldStart;
            if (c === '\n') {
              ready.push(record);
              record = [];
            }
          } else {
            throw new Error(`malformed CSV: '${c}' after a closing quote`);
          }
          break;
      }
    }
  };
  for await (const chunk of stream) {
    scan(typeof chunk === 'string' ? chunk : decoder.write(chunk as Buffer));
    if (ready.length > 0) {
      yield* ready;
      ready = [];
    }
  }
  scan(decoder.end());
  if (state === State.Quoted) throw new Error('malformed CSV: a quoted field is not closed');
  if (state !== State.FieldStart || record.length > 0) {
    record.push(state === State.FieldStart ? null : field);
    ready.push(record);
  }
  yield* ready;
}
