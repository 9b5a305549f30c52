// Preloaded with `node --import` by the start-up test: logs every module URL the process resolves to $BIGRAYS_MODULE_LOG.
import { register } from 'node:module';

register('./record-modules-hooks.mjs', import.meta.url);
