import type { SimServiceFactory } from '../core/types';
import { createDocumentIntelligenceS0Service } from './document-intelligence';
import { createOpenAiService } from './openai';
import { createSearchService } from './search';
import { createVisionS1Service } from './vision';

/**
 * The services the simulator mounts, all on one port (their path prefixes do not overlap:
 * `/openai/…`, `/documentintelligence/…`, `/computervision/…`, `/indexes…`).
 * To add a service, import its factory and append it here; nothing else needs to change.
 */
export const SERVICE_FACTORIES: readonly SimServiceFactory[] = [
  createOpenAiService, // openai (sim part A)
  createSearchService, // search (sim part A)
  createDocumentIntelligenceS0Service, // documentIntelligence (sim part B)
  createVisionS1Service, // vision (sim part B)
];
