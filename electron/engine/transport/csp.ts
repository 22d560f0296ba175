/**
 * The renderer's Content-Security-Policy, shared by the Electron window (response header) and
 * the browser host (HTTP header). Only the app's own scripts and styles run; no inline script,
 * no eval, no plugins, no framing, no form posts. `connectSrc` is the only knob: Electron talks
 * over IPC (nothing to connect to), the browser host over its own WebSocket.
 */
export interface CspOptions {
  /** Extra `connect-src` sources; empty means `'none'`. */
  connectSrc: readonly string[];
}

export function contentSecurityPolicy(options: CspOptions): string {
  const directives: Array<[string, readonly string[]]> = [
    ['default-src', ["'none'"]],
    ['script-src', ["'self'"]],
    ['style-src', ["'self'"]],
    ['img-src', ["'self'", 'data:', 'blob:']],
    ['font-src', ["'self'", 'data:']],
    ['connect-src', options.connectSrc.length > 0 ? options.connectSrc : ["'none'"]],
    ['object-src', ["'none'"]],
    ['base-uri', ["'none'"]],
    ['form-action', ["'none'"]],
    ['frame-ancestors', ["'none'"]],
  ];
  return directives.map(([name, sources]) => `${name} ${sources.join(' ')}`).join('; ');
}
