import type { RunEvent, RunObserver } from '../../run/events.js';
import type { TaskReport } from '../../run/job-result.js';
import { redact } from '../../config/secrets.js';
import { formatDuration, formatVolume, palette } from './format.js';
import { renderSummary } from './summary.js';
import { errorMessage } from '../../errors/message.js';

type State = 'pending' | 'running' | 'succeeded' | 'failed' | 'skipped' | 'planned';

interface Line {
  name: string;
  state: State;
  started?: number;
  attempt: number;
  rows?: number;
  bytes?: number;
  report?: TaskReport;
}

const SPINNER = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];
const PLAIN_PROGRESS_EVERY_MS = 5000;

/**
 * Shows a run: on a terminal a live task list (state, elapsed time,
 * rows/bytes so far) redrawn in place; elsewhere one plain line per event.
 * Ends with a summary table.
 */
export class RunView {
  private readonly lines: Line[] = [];
  private readonly c;
  private drawn = 0;
  private ticker: NodeJS.Timeout | undefined;
  private frame = 0;
  private lastPlainProgress = new Map<string, number>();

  private restoreStdout: (() => void) | undefined;

  constructor(
    private readonly out: NodeJS.WritableStream,
    private readonly live: boolean,
  ) {
    this.c = palette(live);
  }

  /**
   * While the live block is on screen, a task printing to stdout would be
   * overwritten by the next redraw: clear the block first, so the output
   * stays and the block is drawn again below it.
   */
  private guardStdout(): void {
    const stdout = process.stdout;
    const write = stdout.write;
    stdout.write = ((...args: Parameters<typeof write>) => {
      this.clearBlock();
      return write.apply(stdout, args);
    }) as typeof write;
    this.restoreStdout = () => {
      stdout.write = write;
    };
  }

  private clearBlock(): void {
    if (this.drawn === 0) return;
    this.out.write(`\x1b[${this.drawn}F\x1b[J`);
    this.drawn = 0;
  }

  readonly observer: RunObserver = (event) => this.on(event);

  private on(event: RunEvent): void {
    switch (event.type) {
      case 'job-start':
        this.lines.push(...event.plan.tasks.map((t): Line => ({ name: t.name, state: 'pending', attempt: 0 })));
        if (this.live) {
          this.ticker = setInterval(() => this.redraw(), 100).unref();
          this.guardStdout();
        }
        break;
      case 'task-start': {
        const line = this.lines[event.index]!;
        Object.assign(line, { state: 'running', started: line.started ?? performance.now(), attempt: event.attempt });
        if (!this.live) this.print(event.attempt === 1 ? `▶ ${line.name}` : `↻ ${line.name} (attempt ${event.attempt})`);
        break;
      }
      case 'task-progress': {
        const line = this.lines.find((l) => l.name === event.task);
        if (!line) break;
        line.rows = event.rows;
        line.bytes = event.bytes;
        if (!this.live) {
          const now = performance.now();
          if (now - (this.lastPlainProgress.get(line.name) ?? line.started ?? now) >= PLAIN_PROGRESS_EVERY_MS) {
            this.lastPlainProgress.set(line.name, now);
            this.print(`… ${line.name} ${formatVolume(line.rows, line.bytes)} (${formatDuration(now - (line.started ?? now))})`);
          }
        }
        break;
      }
      case 'task-retry':
        if (!this.live) this.print(this.c.yellow(`! ${event.task} failed (attempt ${event.attempt}), retrying in ${formatDuration(event.delayMs)}: ${message(event.error)}`));
        break;
      case 'task-end': {
        const line = this.lines[event.index]!;
        Object.assign(line, { state: event.report.status, report: event.report, rows: event.report.rows, bytes: event.report.bytes });
        if (!this.live) this.print(this.describe(line));
        break;
      }
      case 'resource-open':
      case 'resource-close':
        break;
      case 'job-end':
        if (this.ticker) clearInterval(this.ticker);
        this.restoreStdout?.();
        this.redraw();
        // An interrupted run ends without the error report (its exit code says why): its task errors are shown here instead.
        if (event.result.interrupted) {
          for (const line of this.lines.filter((l) => l.state === 'failed')) this.print(`  ${this.c.red('✖')} ${this.failure(line)}`);
        }
        this.print(renderSummary(event.result, this.live));
        break;
    }
    if (this.live && event.type !== 'job-end') this.redraw();
  }

  private describe(line: Line): string {
    const c = this.c;
    const report = line.report;
    const volume = formatVolume(line.rows, line.bytes);
    switch (line.state) {
      case 'succeeded':
        return `${c.green('✔')} ${line.name}  ${c.dim(formatDuration(report!.durationMs))}${volume ? `  ${volume}` : ''}`;
      case 'failed':
        // The error itself is printed once, by the report that ends a failed run (issue 14, item 17: it was printed twice).
        return `${c.red('✖')} ${line.name} failed after ${formatDuration(report!.durationMs)}`;
      case 'skipped':
        return `${c.yellow('–')} ${line.name} skipped: ${report?.reason ?? ''}`;
      case 'running': {
        const elapsed = formatDuration(performance.now() - (line.started ?? performance.now()));
        const attempt = line.attempt > 1 ? ` (attempt ${line.attempt})` : '';
        return `${c.cyan(SPINNER[this.frame % SPINNER.length]!)} ${line.name}${attempt}  ${c.dim(elapsed)}${volume ? `  ${volume}` : ''}`;
      }
      default:
        return c.dim(`· ${line.name}`);
    }
  }

  private failure(line: Line): string {
    return `${line.name} failed: ${message(line.report!.error).replace(`${line.name} failed: `, '').replace(`${line.name}: `, '')}`;
  }

  private redraw(): void {
    if (!this.live) return;
    this.frame++;
    const text = this.lines.map((l) => `\x1b[2K${this.describe(l)}`).join('\n');
    const up = this.drawn > 0 ? `\x1b[${this.drawn}F` : '';
    this.out.write(`${up}${text}\n`);
    this.drawn = this.lines.length;
  }

  private print(text: string): void {
    this.out.write(`${text}\n`);
    if (this.live) this.drawn = 0;
  }
}

function message(error: unknown): string {
  return redact(errorMessage(error));
}
