import type { CallHandlers, EngineEvent } from '../contract';
import type { SecretStore } from './settings/secret-store';

export interface EngineOptions {
  /** Where the index, settings, caches and uploads live. */
  dataDir: string;
  secretStore?: SecretStore;
}

/** The engine as every host (Electron main, CLI, browser host) sees it. */
export interface Engine {
  /** One handler per contract call; inputs are already validated by the transport. */
  readonly handlers: CallHandlers;
  /** Coalesced engine events (a few per second at most per job). Returns an unsubscribe function. */
  onEvent(listener: (event: EngineEvent) => void): () => void;
  close(): Promise<void>;
}

export async function openEngine(_options: EngineOptions): Promise<Engine> {
  throw new Error('openEngine: being implemented (issue 2)');
}
