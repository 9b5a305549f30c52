import { Task } from '@bigrays/core';
import { SQLWrite } from '@bigrays/sql';

@Task()
class Save extends SQLWrite {
  table = process.env.RELI_TABLE_NAME!;
  input = process.env.RELI_INPUT === 'number' ? (42 as unknown) : [{ id: 1, label: 'new' }, { id: 2, label: 'new' }];
  ifExists = (process.env.RELI_IF_EXISTS ?? 'fail') as 'fail';
}
void Save;
