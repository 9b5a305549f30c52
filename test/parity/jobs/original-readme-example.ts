// The original bigrays README example, ported by a new user from the TypeScript README alone (issue 14's
// fresh-user check; run by test/parity/first-hour.test.ts against PostgreSQL and moto).
import { Input, Task, updateFormatKws, type Row } from '@bigrays/core';
import { SQLExecute, SQLQuery } from '@bigrays/sql';
import { SNSPublishEmail, ToS3 } from '@bigrays/aws';

const day = (offset: number) => new Date(Date.now() + offset * 86_400_000);

// Python: tasks.update_format_kws(train_period_begin=..., train_period_end=...) with strftime('%Y-%m-%d').
updateFormatKws({ train_period_begin: day(-60), train_period_end: day(0), bucket: 'my-bucket', topic: 's3-email-topic' });

// Demo data (the original assumes existing tables): temporary tables, visible to the next SQL tasks on the same session.
@Task
class CreateDemoTables extends SQLExecute {
  statement = `
    create temporary table my_training_data (date date, x integer, target integer);
    insert into my_training_data select current_date - g, g, 2 * g from generate_series(1, 90) g;
    create temporary table my_production_data (id integer, x integer);
    insert into my_production_data values (1, 10), (2, 20), (3, 30);`;
}

@Task()
class PullTrainingData extends SQLQuery {
  // Values are bound (:name), not pasted: the README says {name} in SQL text takes identifiers only.
  query = `select * from my_training_data where date between :begin and :end`;
  params = { begin: '{train_period_begin:%Y-%m-%d}', end: '{train_period_end:%Y-%m-%d}' };
}

@Task()
class PullProductionData extends SQLQuery {
  query = `select * from my_production_data order by id`;
}

@Task()
class MakePredictions {
  @Input(PullTrainingData) training!: Row[];
  @Input(PullProductionData) production!: Row[];

  run() {
    // "fit" y = a * x by least squares through the origin
    const sxy = this.training.reduce((s, r) => s + Number(r.x) * Number(r.target), 0);
    const sxx = this.training.reduce((s, r) => s + Number(r.x) ** 2, 0);
    const a = sxy / sxx;
    return this.production.map((r) => ({ ...r, prediction: a * Number(r.x) }));
  }
}

@Task()
class UploadPredictions extends ToS3 {
  @Input(MakePredictions) input!: Row[];
  bucket = '{bucket}';
  key = '{train_period_begin:%Y-%m-%d}-{train_period_end:%Y-%m-%d}/predictions.csv';
}

@Task()
class EmailTeam extends SNSPublishEmail {
  input = 'Predictions are upload to s3';
  topic = '{topic}';
  subject = 'Predictions are finished';
}

void CreateDemoTables;
void UploadPredictions;
void EmailTeam;
