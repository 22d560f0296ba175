import { createRequire } from 'node:module';

/**
 * apache-arrow as LanceDB sees it. LanceDB converts data with its own CommonJS copy of the package;
 * schemas built with the ESM copy fail its `instanceof` checks and table creation breaks, so the
 * CommonJS module is loaded here and used for everything handed to LanceDB.
 */
const require = createRequire(import.meta.url);
export const arrow: typeof import('apache-arrow') = require('apache-arrow');
