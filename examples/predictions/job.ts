/**
 * Predictions: the example of the original bigrays README, ported.
 *
 *   SQL (training and production data) → a custom task (a toy model)
 *   → ToS3 (the predictions as CSV) → SNSPublishEmail (tell the team).
 *
 * Runs as is against SQLite (it creates its own tables) and moto:
 *
 *   moto_server -p 5000 &
 *   export BIGRAYS_AWS_ENDPOINT_URL=http://127.0.0.1:5000 BIGRAYS_AWS_REGION=us-east-1
 *   export BIGRAYS_S3_ACCESS_KEY_ID=testing BIGRAYS_S3_SECRET_ACCESS_KEY=testing
 *   pnpm bigrays examples/predictions/job.ts --param create_resources=yes
 *
 * See README.md next to this file for real databases and real AWS.
 */
import { mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BigraysConfig, Input, Task, outputOf, updateFormatKws } from '@bigrays/core';
import { SQLQuery, SQLTask, type Row, type SQLSession } from '@bigrays/sql';
import { S3Task, SNSPublishEmail, SNSTask, ToS3, type S3Client, type SNSClient } from '@bigrays/aws';

// Zero configuration: without BIGRAYS_DB_DSN the job uses a SQLite file and fills it with demo data.
const demo = BigraysConfig.DB_DSN === undefined;
if (demo) {
  const dir = join(tmpdir(), 'bigrays-examples');
  mkdirSync(dir, { recursive: true });
  BigraysConfig.DB_DSN = `sqlite:${join(dir, 'predictions.sqlite')}`;
}

// Parameters: every one can be overridden with --param name=value.
updateFormatKws({
  train_period_begin: '2026-01-01',
  train_period_end: '2026-03-01',
  bucket: 'bigrays-predictions',
  topic: 'bigrays-predictions',
  seed: demo ? 'yes' : 'no', // create the demo tables (replacing them)
  create_resources: 'no', // create the bucket and the topic if missing
});

/** Demo data: sales per store and week (training) and the weeks to predict (production). */
@Task()
class SeedDemoData extends SQLTask {
  static templateAttributes = ['seed'];
  seed = '{seed}';

  async run(db: SQLSession) {
    if (this.seed !== 'yes') return 'not seeding (--param seed=yes to seed)';
    const base: Record<string, number> = { north: 100, south: 80, east: 120 };
    const training: Row[] = [];
    for (let week = 0; week < 16; week++) {
      const date = new Date(Date.UTC(2025, 11, 1 + 7 * week)).toISOString().slice(0, 10); // Mondays from 2025-12-01
      for (const [store, level] of Object.entries(base)) training.push({ date, store, target: level + (week % 4) * 5 });
    }
    const production: Row[] = ['north', 'south', 'east', 'west'].map((store, i) => ({ id: i + 1, store, date: '2026-03-23' }));
    await db.write('my_training_data', training, { ifExists: 'replace' });
    await db.write('my_production_data', production, { ifExists: 'replace' });
    return `seeded ${training.length} training rows and ${production.length} production rows`;
  }
}

@Task()
class PullTrainingData extends SQLQuery {
  // :begin and :end are bound by the driver; their values come from the job's parameters.
  query = `select * from my_training_data
           where date between :begin and :end`;
  params = { begin: '{train_period_begin}', end: '{train_period_end}' };
}

@Task()
class PullProductionData extends SQLQuery {
  query = 'select * from my_production_data order by id';
}

/** A deterministic toy model: the mean target of each store over the training period. */
@Task()
class MakePredictions {
  @Input(PullTrainingData) training!: Row[];
  @Input(PullProductionData) production!: Row[];

  run() {
    const model = fit(this.training);
    return this.production.map((r) => ({ ...r, prediction: model.predict(r) }));
  }
}

function fit(rows: Row[]) {
  const sums = new Map<string, { total: number; n: number }>();
  for (const r of rows) {
    const s = sums.get(String(r.store)) ?? { total: 0, n: 0 };
    s.total += Number(r.target);
    s.n += 1;
    sums.set(String(r.store), s);
  }
  const overall = [...sums.values()].reduce((a, s) => ({ total: a.total + s.total, n: a.n + s.n }), { total: 0, n: 0 });
  const mean = (s: { total: number; n: number }) => Math.round((s.total / s.n) * 100) / 100;
  return {
    // A store the model has not seen gets the overall mean.
    predict: (r: Row) => mean(sums.get(String(r.store)) ?? overall),
  };
}

/** With --param create_resources=yes: creates the bucket when it is missing (moto, LocalStack, a first run). */
@Task()
class CreateBucket extends S3Task {
  static templateAttributes = ['bucket', 'create'];
  bucket = '{bucket}';
  create = '{create_resources}';

  async run(s3: S3Client) {
    if (this.create !== 'yes') return 'not creating it (--param create_resources=yes to create it)';
    const { HeadBucketCommand, CreateBucketCommand } = s3.sdk;
    try {
      await s3.client.send(new HeadBucketCommand({ Bucket: this.bucket }));
      return 'exists';
    } catch {
      const location = s3.region === 'us-east-1' ? {} : { CreateBucketConfiguration: { LocationConstraint: s3.region as never } };
      await s3.client.send(new CreateBucketCommand({ Bucket: this.bucket, ...location }));
      return 'created';
    }
  }
}

@Task()
class UploadPredictions extends ToS3 {
  @Input(MakePredictions) input!: Row[];
  bucket = '{bucket}';
  key = '{train_period_begin}-{train_period_end}/predictions.csv';
  // overwrite = false (the default): a second run for the same period fails and leaves the first file alone.
}

/** With --param create_resources=yes: creates the topic (CreateTopic does nothing when it exists). */
@Task({ runWithExceptions: true }) // so that EmailTeam can report a failure on a first run too
class CreateTopic extends SNSTask {
  static templateAttributes = ['topic', 'create'];
  topic = '{topic}';
  create = '{create_resources}';

  async run(sns: SNSClient) {
    if (this.create !== 'yes') return 'not creating it (--param create_resources=yes to create it)';
    const { TopicArn } = await sns.client.send(new sns.sdk.CreateTopicCommand({ Name: this.topic }));
    return TopicArn;
  }
}

/** runWithExceptions: runs even when an earlier task failed, so the team hears about it either way. */
@Task({ runWithExceptions: true })
class EmailTeam extends SNSPublishEmail {
  topic = '{topic}';
  subject = 'Predictions are finished';
  input = 'Predictions are uploaded to s3';

  override run(sns: SNSClient) {
    const uri = outputOf<string | undefined>(UploadPredictions); // undefined when the upload did not succeed
    if (uri) {
      this.input = `Predictions are uploaded to ${uri}`;
    } else {
      this.subject = 'Predictions job failed';
      this.input = 'The predictions job failed before uploading its file: see its log.';
    }
    console.log(`${this.subject}: ${this.input}`);
    return super.run(sns);
  }
}

void [SeedDemoData, CreateBucket, CreateTopic, EmailTeam];
