import type { QuarryBridge } from '../../../electron/contract/api';

declare global {
  interface Window {
    /** Present only inside Electron, where the preload exposes the engine bridge. */
    quarry?: QuarryBridge;
  }
}
