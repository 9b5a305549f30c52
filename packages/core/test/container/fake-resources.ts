import { Resource, type Config } from '@bigrays/core';

/** Records what the container does with resources, in order. Fakes are fine here: this tests the container only. */
export const events: string[] = [];

export function resetEvents(): void {
  events.length = 0;
}

abstract class Recorded extends Resource {
  config: Config = {};
  open(config: Config) {
    this.config = config;
    const override = config.DB_DSN && config.DB_DSN !== 'default' ? `(${config.DB_DSN})` : '';
    events.push(`open ${this.constructor.name}${override}`);
  }
  close(error?: unknown) {
    events.push(`close ${this.constructor.name}${error ? ` (${(error as Error).message})` : ''}`);
  }
}

export class Database extends Recorded {}
export class Bucket extends Recorded {}
export class Topic extends Recorded {}

export class Warehouse extends Recorded {
  static requiredConfig = ['WAREHOUSE_TOKEN', 'WAREHOUSE_URL'];
}

export class FailsToOpen extends Resource {
  open() {
    throw new Error('connection refused');
  }
  close() {
    events.push('close FailsToOpen');
  }
}

export class FailsToClose extends Resource {
  open() {
    events.push('open FailsToClose');
  }
  close() {
    throw new Error('flush failed');
  }
}
