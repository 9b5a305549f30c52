import { Task } from '@bigrays/core';
import { SQLQuery } from '@bigrays/sql';

@Task()
class Pull extends SQLQuery {
  sql = 'select 1'; // the attribute is `query`
}
void Pull;
