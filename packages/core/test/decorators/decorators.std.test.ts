import { decoratorSuite } from './decorators.shared.js';

decoratorSuite('standard');
