import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin } from 'vite';

/**
 * The dev server injects an inline React-refresh preamble and <style> tags, which the page's strict
 * CSP forbids. Relax script/style sources for `vite dev` only; built pages keep the strict policy.
 */
function relaxCspForDevServer(): Plugin {
  return {
    name: 'quarry-dev-csp',
    apply: 'serve',
    transformIndexHtml: (html) =>
      html
        .replace("script-src 'self'", "script-src 'self' 'unsafe-inline'")
        .replace("style-src 'self'", "style-src 'self' 'unsafe-inline'")
        .replace('connect-src', 'connect-src ws://localhost:* http://localhost:*'),
  };
}

export default defineConfig({
  root: 'renderer',
  base: './',
  plugins: [react(), relaxCspForDevServer()],
  build: { outDir: '../dist/renderer', emptyOutDir: true },
});
