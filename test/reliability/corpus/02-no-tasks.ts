import { Resource } from '@bigrays/core';

// A module that defines helpers but forgot @Task().
export class Helper extends Resource {
  open() {}
  close() {}
}
export const rows = [{ id: 1 }];
