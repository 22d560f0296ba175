import { describe, expect, it } from 'vitest';
import { contentSecurityPolicy } from '../../electron/engine/transport/csp';
import { mainWindowOptions } from '../../electron/main/window-options';

describe('Electron window security options', () => {
  it('isolates and sandboxes the page, with no Node and only the preload', () => {
    const options = mainWindowOptions('/app/dist/preload/preload.cjs');
    expect(options.webPreferences).toEqual({
      preload: '/app/dist/preload/preload.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      navigateOnDragDrop: false,
    });
    // Shown once painted, never blank.
    expect(options.show).toBe(false);
  });

  it("serves the window a CSP that allows only the app's own code and no connections", () => {
    const policy = contentSecurityPolicy({ connectSrc: [] });
    expect(policy).toContain("script-src 'self'");
    expect(policy).toContain("connect-src 'none'");
    expect(policy).toContain("object-src 'none'");
    expect(policy).toContain("frame-ancestors 'none'");
    expect(policy).not.toContain('unsafe-inline');
    expect(policy).not.toContain('unsafe-eval');
  });
});
