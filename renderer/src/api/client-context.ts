import { createContext, useCallback, useContext, useSyncExternalStore } from 'react';
import type { ConnectionState, QuarryClient } from './quarry-client';

export const ClientContext = createContext<QuarryClient | null>(null);

export function useQuarryClient(): QuarryClient {
  const client = useContext(ClientContext);
  if (!client) throw new Error('useQuarryClient must be used inside <ClientContext.Provider>');
  return client;
}

export function useConnectionState(): ConnectionState {
  const client = useQuarryClient();
  const subscribe = useCallback((onChange: () => void) => client.onConnectionChange(onChange), [client]);
  return useSyncExternalStore(subscribe, client.connectionState);
}
