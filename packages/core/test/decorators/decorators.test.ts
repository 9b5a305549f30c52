import { decoratorSuite } from './decorators.shared.js';

decoratorSuite('legacy');
