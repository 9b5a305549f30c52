/**
 * A strict RFC 4180 reader for the differential tests: it keeps whether a
 * field was quoted, because bigrays writes NULL as an unquoted empty field
 * and `''` as `""`. Independent of bigrays' own CSV parser on purpose.
 */
export interface CsvField {
  text: string;
  quoted: boolean;
}

export function readCsv(text: string): CsvField[][] {
  const records: CsvField[][] = [];
  let record: CsvField[] = [];
  let i = 0;
  const n = text.length;
  if (n === 0) return records;
  for (;;) {
    let field: CsvField;
    if (text[i] === '"') {
      let value = '';
      i++;
      for (;;) {
        const q = text.indexOf('"', i);
        if (q < 0) throw new Error(`CSV: unterminated quoted field at offset ${i}`);
        value += text.slice(i, q);
        if (text[q + 1] === '"') {
          value += '"';
          i = q + 2;
        } else {
          i = q + 1;
          break;
        }
      }
      field = { text: value, quoted: true };
    } else {
      let j = i;
      while (j < n && text[j] !== ',' && text[j] !== '\n' && text[j] !== '\r') j++;
      if (text.slice(i, j).includes('"')) throw new Error(`CSV: quote inside an unquoted field at offset ${i}`);
      field = { text: text.slice(i, j), quoted: false };
      i = j;
    }
    record.push(field);
    if (i >= n) {
      records.push(record);
      return records;
    }
    const c = text[i];
    if (c === ',') {
      i++;
      continue;
    }
    if (c === '\r' && text[i + 1] === '\n') i++;
    if (c === '\n' || c === '\r') {
      i++;
      records.push(record);
      record = [];
      if (i >= n) return records;
      continue;
    }
    throw new Error(`CSV: unexpected ${JSON.stringify(c)} after a field at offset ${i}`);
  }
}

/** A field's value: NULL for an unquoted empty field, else its text. */
export const fieldValue = (f: CsvField): string | null => (f.text === '' && !f.quoted ? null : f.text);
