import { Task } from '@bigrays/core';
import { SQLExecute } from '@bigrays/sql';

// The first statement succeeds, the second fails: nothing of the script may remain.
@Task()
class Setup extends SQLExecute {
  statement = `create table ${process.env.RELI_TABLE_NAME} (id integer);
insert into ${process.env.RELI_TABLE_NAME} values (1);
insert into reli_no_such_table values (2);`;
}
void Setup;
