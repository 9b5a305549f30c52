/** Where the reliability suites' files are. */
import { join } from 'node:path';
import { REPO } from '../support/cli.js';

export const RELIABILITY = join(REPO, 'test', 'reliability');
export const FIXTURES = join(RELIABILITY, 'fixtures');
export const CORPUS = join(RELIABILITY, 'corpus');
export const fixture = (name: string) => join(FIXTURES, name);
