// Scenario 5 ("bigrays plan" start-up) when examples/predictions/job.ts does
// not exist: a small job of the same shape (two SQL queries, a computation, an
// upload to S3). Only planned, never run.
import { Input, Task, updateFormatKws } from '@bigrays/core';
import { SQLQuery, type Row } from '@bigrays/sql';
import { ToS3 } from '@bigrays/aws';

@Task()
class PullTrainingData extends SQLQuery {
  query = `select * from bench_rows_1000 where created_at between :begin and :end`;
  params = { begin: '{train_period_begin}', end: '{train_period_end}' };
}

@Task()
class PullProductionData extends SQLQuery {
  query = 'select * from bench_rows_1000 where batch = 0';
}

@Task()
class MakePredictions {
  @Input(PullTrainingData) training!: Row[];
  @Input(PullProductionData) production!: Row[];
  run(): Row[] {
    const mean = this.training.reduce((s, r) => s + Number(r.score ?? 0), 0) / Math.max(1, this.training.length);
    return this.production.map((r) => ({ ...r, prediction: mean }));
  }
}

@Task()
class UploadPredictions extends ToS3 {
  @Input(MakePredictions) input!: Row[];
  bucket = 'bench-bucket';
  key = '{train_period_begin}-{train_period_end}/predictions.csv';
}

updateFormatKws({ train_period_begin: '2026-01-01', train_period_end: '2026-03-01' });
void UploadPredictions;
