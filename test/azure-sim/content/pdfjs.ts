/**
 * pdf.js through the engine's loader, which keeps the process's built-ins native (the legacy
 * build's polyfills would otherwise slow every JSON response the simulator writes).
 */
import { loadPdfJs } from '../../../electron/engine/pdf/pdfjs';

export const pdfjs = await loadPdfJs();
