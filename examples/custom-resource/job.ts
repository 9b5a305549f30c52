/**
 * A user-defined resource: `Inventory`, a stock ledger kept in a JSON file.
 *
 * - `static requiredConfig` names the configuration it needs (here
 *   INVENTORY_DIR, i.e. BIGRAYS_INVENTORY_DIR): bigrays checks it before any
 *   task runs and lists what is missing.
 * - `open(config)` gets the effective configuration, `close(error)` is
 *   called once, with the error when the job failed: the ledger is saved only
 *   when nothing went wrong (like a transaction).
 * - `@Requires(Inventory, { INVENTORY_DIR: ... })` on one task overrides the
 *   configuration for that task only: a second warehouse. The plan shows the
 *   resource being swapped.
 *
 *   pnpm bigrays examples/custom-resource/job.ts
 *   pnpm bigrays examples/custom-resource/job.ts --param fail=yes    # nothing is saved
 *   BIGRAYS_INVENTORY_DIR=/some/dir pnpm bigrays examples/custom-resource/job.ts
 */
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BigraysConfig, Requires, Resource, Task, updateFormatKws, type Config } from '@bigrays/core';

class Inventory extends Resource {
  static override requiredConfig = ['INVENTORY_DIR'];

  private file = '';
  private stock: Record<string, number> = {};
  private changed = false;

  async open(config: Config) {
    const dir = config.INVENTORY_DIR!;
    mkdirSync(dir, { recursive: true });
    this.file = join(dir, 'stock.json');
    this.stock = existsSync(this.file) ? JSON.parse(readFileSync(this.file, 'utf8')) : {};
    console.log(`opened ${this.file}`);
  }

  async close(error?: unknown) {
    if (error !== undefined || !this.changed) {
      console.log(`closed ${this.file}${error !== undefined ? ' without saving (the job failed)' : ''}`);
      return;
    }
    writeFileSync(`${this.file}.tmp`, `${JSON.stringify(this.stock, null, 2)}\n`);
    renameSync(`${this.file}.tmp`, this.file);
    console.log(`saved ${this.file}`);
  }

  receive(item: string, quantity: number) {
    this.stock[item] = (this.stock[item] ?? 0) + quantity;
    this.changed = true;
  }

  count(item: string): number {
    return this.stock[item] ?? 0;
  }
}

// Zero configuration for the demo: the main warehouse lives under the temp directory unless
// BIGRAYS_INVENTORY_DIR is set. Remove this line and the job fails before any task runs with
// "missing configuration: set BIGRAYS_INVENTORY_DIR (for Inventory, needed by ...)".
BigraysConfig.INVENTORY_DIR ??= join(tmpdir(), 'bigrays-examples', 'inventory', 'main');
const overflowDir = join(tmpdir(), 'bigrays-examples', 'inventory', 'overflow');

updateFormatKws({ fail: 'no' });

@Task()
@Requires(Inventory)
class ReceiveDelivery {
  run(inventory: Inventory) {
    inventory.receive('widget', 40);
    inventory.receive('gadget', 5);
    return 45;
  }
}

/** The same resource with other configuration: the main warehouse is closed, the overflow one opened. */
@Task()
@Requires(Inventory, { INVENTORY_DIR: overflowDir })
class StoreOverflow {
  run(inventory: Inventory) {
    inventory.receive('widget', 100);
    return 100;
  }
}

@Task()
@Requires(Inventory)
class CountWidgets {
  static templateAttributes = ['fail'];
  fail = '{fail}';

  run(inventory: Inventory) {
    inventory.receive('widget', -3); // three sold
    if (this.fail === 'yes') throw new Error('the stock count does not match the shelves');
    const widgets = inventory.count('widget');
    console.log(`main warehouse: ${widgets} widgets`);
    return widgets;
  }
}

void [ReceiveDelivery, StoreOverflow, CountWidgets];
