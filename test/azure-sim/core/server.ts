import { createServer, type Server } from 'node:http';
import type { Socket } from 'node:net';
import { createFaultInjector, type ScenarioFaultInjector } from './faults';
import { type CoreLedger, createLedger } from './ledger';
import { handleHttpRequest } from './pipeline';
import { openAiRules } from './profiles';
import { createQuotaBuckets } from './quotas';
import { createSeededRandom } from './rng';
import type {
  QuotaBuckets,
  QuotaName,
  QuotaRule,
  Scenario,
  SimKeys,
  SimProfile,
  SimService,
  SimServiceFactory,
  SimServiceOptions,
} from './types';

export interface SimServerOptions {
  /** 0 (default) picks a free port. The server always binds 127.0.0.1. */
  readonly port?: number;
  readonly profile: SimProfile;
  readonly seed: number;
  readonly scenario: Scenario;
  readonly keys: SimKeys;
  readonly serviceFactories: readonly SimServiceFactory[];
  readonly serviceOptions: SimServiceOptions;
  /** See LedgerOptions.inFlightGraceMs. Default 25 ms. */
  readonly inFlightGraceMs?: number;
  /** Largest request body read (default 256 MB); larger ones get a plain 413. */
  readonly maxBodyBytes?: number;
}

export interface SimServer {
  /** `http://127.0.0.1:PORT`. */
  readonly baseUrl: string;
  readonly port: number;
  readonly ledger: CoreLedger;
  readonly faults: ScenarioFaultInjector;
  readonly services: readonly SimService[];
  /** Replaces the fault rules (counters restart). */
  setScenario(scenario: Scenario, seed?: number): void;
  /** Drops service state (indexes, operations), ledger entries and quota levels. */
  reset(): void;
  /** Stops listening, aborts stalled responses, destroys open sockets. */
  close(): Promise<void>;
}

function quotaResolver(profile: SimProfile, options: SimServiceOptions) {
  return (name: QuotaName, scope: string | undefined): QuotaRule | undefined => {
    if (name === 'openai.tokens' || name === 'openai.requests') {
      const deployment = options.openAiDeployments.find((d) => d.name === scope);
      const rules = openAiRules(profile, deployment);
      return name === 'openai.tokens' ? rules.tokens : rules.requests;
    }
    return profile.quotas[name];
  };
}

/** Starts the simulator's HTTP server with the given services mounted on one port. */
export async function createSimServer(options: SimServerOptions): Promise<SimServer> {
  const ledger = createLedger({ inFlightGraceMs: options.inFlightGraceMs ?? 25 });
  let seed = options.seed;
  let rng = createSeededRandom(seed);
  const faults = createFaultInjector(options.scenario, seed);
  const now = (): number => Date.now();
  let quotas: QuotaBuckets = createQuotaBuckets(quotaResolver(options.profile, options.serviceOptions), now);
  const services = options.serviceFactories.map((factory) =>
    factory({ ledger, options: options.serviceOptions }),
  );
  const closing = new AbortController();
  const sockets = new Set<Socket>();
  let baseUrl = '';

  const server: Server = createServer((req, res) => {
    void handleHttpRequest(
      {
        services,
        keys: options.keys,
        ledger,
        faults,
        quotas,
        rng,
        maxBodyBytes: options.maxBodyBytes ?? 256 * 1024 * 1024,
        closing: closing.signal,
        profile: () => options.profile,
        baseUrl: () => baseUrl,
        now,
      },
      req,
      res,
    );
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  // Clients reuse connections; keep idle ones short so close() never waits on them.
  server.keepAliveTimeout = 2000;

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('azure-sim: no TCP address');
  baseUrl = `http://127.0.0.1:${address.port}`;

  let closed: Promise<void> | undefined;
  return {
    baseUrl,
    port: address.port,
    ledger,
    faults,
    services,
    setScenario(scenario, nextSeed) {
      seed = nextSeed ?? scenario.seed ?? seed;
      rng = createSeededRandom(seed);
      faults.setScenario(scenario, seed);
    },
    reset() {
      for (const service of services) service.reset?.();
      ledger.clear();
      quotas = createQuotaBuckets(quotaResolver(options.profile, options.serviceOptions), now);
    },
    close() {
      closed ??= new Promise<void>((resolve) => {
        closing.abort();
        for (const service of services) service.dispose?.();
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
        server.closeAllConnections();
      });
      return closed;
    },
  };
}
