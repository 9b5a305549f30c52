import { Task, ToCSV } from '@bigrays/core';

@Task()
class Export extends ToCSV {
  input = [{ id: 1 }];
  filename = 'out/never.csv';
}
void Export;

if (!process.env.NEVER_SET_REPORT_DATE) throw new Error('set NEVER_SET_REPORT_DATE before running this job');
