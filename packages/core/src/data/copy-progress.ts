import type { Progress } from '../context/task-context.js';
import { ProgressThrottle } from '../context/progress-throttle.js';
import { Dataset } from './dataset.js';

/**
 * Progress of copying a table input out as bytes (to a file, to S3): bytes
 * are counted as they pass; rows come from the CSV encoder, or, for a
 * Dataset copied byte for byte, are estimated from the share of its file
 * copied. Reports at most every 100 ms, and once more when done.
 */
export class CopyProgress {
  private rows: number | undefined;
  private readonly throttle = new ProgressThrottle();
  /** Bytes copied so far. */
  bytes = 0;

  constructor(
    private readonly input: unknown,
    private readonly emit: (progress: Progress) => void,
  ) {}

  /** Pass as `toCsvReadable`'s `onProgress`: rows encoded so far. */
  readonly onEncoded = (progress: Progress): void => {
    this.rows = progress.rows;
  };

  addBytes(n: number): void {
    this.bytes += n;
    this.report(false);
  }

  /** Rows copied: exact once done. */
  get rowCount(): number | undefined {
    return this.input instanceof Dataset ? this.input.rowCount : this.rows;
  }

  report(done: boolean): void {
    if (!this.throttle.due() && !done) return;
    const progress: Progress = { bytes: this.bytes };
    const dataset = this.input instanceof Dataset ? this.input : undefined;
    if (dataset) {
      progress.rows = done ? dataset.rowCount : Math.floor((dataset.rowCount * this.bytes) / Math.max(1, dataset.byteLength));
    } else if (this.rows !== undefined) progress.rows = this.rows;
    this.emit(progress);
  }
}
