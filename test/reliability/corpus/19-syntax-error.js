import { Task } from '@bigrays/core';

const rows = [1, 2;
export default rows;
