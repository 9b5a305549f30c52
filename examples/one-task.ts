import { Task } from '@bigrays/core';
@Task() class One { run() { return 1; } }
void One;
