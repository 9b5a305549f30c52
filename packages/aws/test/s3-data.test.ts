/**
 * Issue 10 data findings on the S3 path, against moto: FromS3 decoding
 * (strict UTF-8 with the byte offset, or an explicit Latin-1), CSV records
 * of the wrong width, ToS3 of rows whose keys change after the sample, and
 * empty inputs (rows vs Dataset).
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { COLUMN_SAMPLE_ROWS } from '@bigrays/core/plugin';
import { DatasetWriter, Input, Task, bigraysRun, resetFormatKws, resetJobs, type Dataset } from '@bigrays/core';
import { FromS3, ToS3 } from '@bigrays/aws';
import { requireService } from '../../../test/support/services.js';
import { closeDirectClients, createBucket, failure, getObject, keysOf, openUploads, putObject, useMoto } from './helpers.js';

const up = await requireService('moto', 'aws/s3');

(up ? describe : describe.skip)('S3 data paths on moto', () => {
  let bucket: string;

  beforeAll(() => useMoto());
  afterAll(() => closeDirectClients());
  beforeEach(async () => {
    resetJobs();
    resetFormatKws();
    bucket = await createBucket('s3data');
  });

  describe('FromS3 decoding (finding 8)', () => {
    it('fails on bytes that are not UTF-8, naming the object and the byte offset, for text and CSV', async () => {
      const b = bucket;
      await putObject(b, 'latin1.csv', Buffer.concat([Buffer.from('name,city\nAnn,Caf'), Buffer.from([0xe9]), Buffer.from('\n')]));
      @Task() class Text extends FromS3 { bucket = b; key = 'latin1.csv'; as = 'text'; }
      expect(await failure(bigraysRun(Text))).toContain(
        `Text: s3://${b}/latin1.csv: the input is not valid UTF-8: byte 0xe9 at byte offset 17 does not belong to a UTF-8 character; ` +
          "if the file is in Latin-1, set encoding = 'latin1' on the task",
      );
      resetJobs();
      @Task() class Csv extends FromS3 { bucket = b; key = 'latin1.csv'; as = 'csv'; }
      expect(await failure(bigraysRun(Csv))).toContain('byte 0xe9 at byte offset 17');
    });

    it("reads Latin-1 with encoding = 'latin1'", async () => {
      const b = bucket;
      await putObject(b, 'latin1.csv', Buffer.concat([Buffer.from('name,city\nAnn,Caf'), Buffer.from([0xe9]), Buffer.from('\n')]));
      @Task() class Csv extends FromS3 { bucket = b; key = 'latin1.csv'; as = 'csv'; encoding = 'latin1'; }
      @Task() class Text extends FromS3 { bucket = b; key = 'latin1.csv'; as = 'text'; encoding = 'latin1'; }
      const result = await bigraysRun();
      expect(result.output(Csv)).toEqual([{ name: 'Ann', city: 'Café' }]);
      expect(result.output(Text)).toBe('name,city\nAnn,Café\n');
    });

    it('reads a large UTF-8 object whose characters straddle chunks, and rejects one cut mid-character', async () => {
      const b = bucket;
      const text = 'id,word\n' + Array.from({ length: 40_000 }, (_, i) => `${i},日本🎉é${i}\n`).join('');
      await putObject(b, 'big.csv', text);
      await putObject(b, 'cut.txt', Buffer.from('abc日').subarray(0, 5));
      @Task() class Big extends FromS3 { bucket = b; key = 'big.csv'; as = 'csv'; }
      @Task() class BigText extends FromS3 { bucket = b; key = 'big.csv'; as = 'text'; }
      const result = await bigraysRun(Big, BigText);
      expect(result.output(BigText)).toBe(text);
      const rows = result.output<{ word: string }[]>(Big);
      expect(rows).toHaveLength(40_000);
      expect(rows[39_999]).toEqual({ id: '39999', word: '日本🎉é39999' });
      resetJobs();
      @Task() class Cut extends FromS3 { bucket = b; key = 'cut.txt'; as = 'text'; }
      expect(await failure(bigraysRun(Cut))).toContain('ends inside a multi-byte UTF-8 character at byte offset 3');
    });

    it('rejects an unknown encoding', async () => {
      const b = bucket;
      await putObject(b, 'a.txt', 'x');
      @Task() class Odd extends FromS3 { bucket = b; key = 'a.txt'; as = 'text'; encoding = 'cp1252'; }
      expect(await failure(bigraysRun(Odd))).toContain(`Odd.encoding must be 'utf-8' or 'latin1'; got "cp1252"`);
    });

    it('rejects a CSV record with fewer fields than the header (never pads with nulls), naming the record', async () => {
      const b = bucket;
      await putObject(b, 'short.csv', 'a,b,c\n1,2,3\n4,5\n');
      @Task() class Short extends FromS3 { bucket = b; key = 'short.csv'; as = 'csv'; }
      expect(await failure(bigraysRun(Short))).toContain('CSV record 2 (after the header) has 2 fields but the header has 3');
    });
  });

  describe('ToS3 of rows (findings 4 and 10)', () => {
    it('fails on a key first seen after the sampled rows, naming the task, the row and the key; writes nothing', async () => {
      const b = bucket;
      function* rows() {
        for (let i = 1; i <= COLUMN_SAMPLE_ROWS + 3; i++) yield i === COLUMN_SAMPLE_ROWS + 3 ? { id: i, late: 'x' } : { id: i };
      }
      @Task() class Late extends ToS3 { bucket = b; key = 'late.csv'; input = rows(); }
      const message = await failure(bigraysRun(Late));
      expect(message).toContain('Late');
      expect(message).toContain(`row ${COLUMN_SAMPLE_ROWS + 3} of the input has the column 'late'`);
      expect(await keysOf(b)).toEqual([]);
      expect(await openUploads(b)).toEqual([]);
    });

    it('writes the header of an empty Dataset and a 0-byte object for empty rows, as ToCSV does', async () => {
      const b = bucket;
      @Task() class Spool {
        async run(): Promise<Dataset> {
          return (await DatasetWriter.create([{ name: 'a', type: 'text' }, { name: 'b', type: 'integer' }])).finish();
        }
      }
      @Task() class UpDataset extends ToS3 { @Input(Spool) input!: Dataset; bucket = b; key = 'ds.csv'; }
      @Task() class UpRows extends ToS3 { bucket = b; key = 'rows.csv'; input = []; }
      @Task() class Back extends FromS3 { bucket = b; key = 'rows.csv'; as = 'csv'; }
      const result = await bigraysRun(Spool, UpDataset, UpRows, Back);
      expect((await getObject(b, 'ds.csv'))!.toString()).toBe('a,b\n');
      expect((await getObject(b, 'rows.csv'))!.length).toBe(0);
      expect(result.output(Back)).toEqual([]);
    });
  });
});
