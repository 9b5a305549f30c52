import { Task } from '@bigrays/core';
import { SQLWrite } from '@bigrays/sql';

@Task()
class Save extends SQLWrite {
  input = [{ id: 1 }];
}
void Save;
