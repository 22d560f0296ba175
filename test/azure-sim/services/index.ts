import type { SimServiceFactory } from '../core/types';

/**
 * The services the simulator mounts, all on one port (their path prefixes do not overlap:
 * `/openai/…`, `/documentintelligence/…`, `/computervision/…`, `/indexes…`).
 * To add a service, import its factory and append it here; nothing else needs to change.
 */
export const SERVICE_FACTORIES: readonly SimServiceFactory[] = [
  // openai (sim part A)
  // search (sim part A)
  // documentIntelligence (sim part B)
  // vision (sim part B)
];
