// Bundles the Electron main process and the preload with esbuild (the renderer is built by Vite).
// Works without the Electron binary: 'electron' is only ever an external import here.
import { build } from 'esbuild';

/** esbuild has already printed the errors; exit without a stack trace on top of them. */
async function bundle(options) {
  try {
    return await build(options);
  } catch {
    console.error(`build-electron: bundling ${options.entryPoints.join(', ')} failed`);
    process.exit(1);
  }
}

const shared = {
  bundle: true,
  platform: 'node',
  target: 'node22', // Electron 41 ships Node 24; node22 syntax is safe for both.
  sourcemap: 'linked',
  logLevel: 'warning',
  metafile: true,
};

// Main process: ESM, matching package.json "type":"module" and "main":"dist/main/main.js".
// Every npm package stays external and is resolved from node_modules at run time (the packaged app
// ships production node_modules): native modules (@lancedb/lancedb, @napi-rs/canvas,
// onnxruntime-node, sharp) cannot be bundled at all, pdfjs-dist and tesseract.js load workers and
// data files relative to their own package folders, and CommonJS packages bundled into ESM
// would break on their dynamic require() calls.
await bundle({
  ...shared,
  entryPoints: ['electron/main/main.ts'],
  outfile: 'dist/main/main.js',
  format: 'esm',
  packages: 'external',
});

// The local embedding worker: its own file next to main.js, where worker-launcher.ts looks for it
// (`new URL('./embedding-worker.js', import.meta.url)` resolves to dist/main/ in the bundle).
await bundle({
  ...shared,
  entryPoints: ['electron/engine/providers/local/embedding/embedding-worker.ts'],
  outfile: 'dist/main/embedding-worker.js',
  format: 'esm',
  packages: 'external',
});

// Preload: sandboxed preloads must be one self-contained CommonJS file that requires nothing but
// 'electron' (Electron's sandbox offers no other modules).
const preload = await bundle({
  ...shared,
  entryPoints: ['electron/preload/preload.ts'],
  outfile: 'dist/preload/preload.cjs',
  format: 'cjs',
  external: ['electron'],
});

const preloadImports = Object.values(preload.metafile.outputs).flatMap((output) =>
  output.imports.filter((entry) => entry.external).map((entry) => entry.path),
);
const unexpected = preloadImports.filter((path) => path !== 'electron');
if (unexpected.length > 0) {
  console.error(
    `build-electron: the sandboxed preload must import only 'electron', found: ${unexpected.join(', ')}`,
  );
  process.exit(1);
}

console.log('build-electron: dist/main/main.js, dist/main/embedding-worker.js, dist/preload/preload.cjs');
