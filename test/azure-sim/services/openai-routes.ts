/** Where an OpenAI request goes: deployment route (`/openai/deployments/{d}/…`) or v1 route. */
export interface OpenAiPath {
  readonly operation: 'embeddings' | 'chat';
  readonly style: 'deployment' | 'v1';
  /** From the path on the deployment route; undefined on v1 (the body's `model` names it). */
  readonly deployment: string | undefined;
}

const DEPLOYMENT_ROUTE = /^\/openai\/deployments\/([^/]+)\/(embeddings|chat\/completions)\/?$/;
const V1_ROUTE = /^\/openai\/v1\/(embeddings|chat\/completions)\/?$/;

export function parseOpenAiPath(path: string): OpenAiPath | undefined {
  const deployment = DEPLOYMENT_ROUTE.exec(path);
  if (deployment?.[1] && deployment[2]) {
    return {
      operation: deployment[2] === 'embeddings' ? 'embeddings' : 'chat',
      style: 'deployment',
      deployment: deployment[1],
    };
  }
  const v1 = V1_ROUTE.exec(path);
  if (v1?.[1])
    return { operation: v1[1] === 'embeddings' ? 'embeddings' : 'chat', style: 'v1', deployment: undefined };
  return undefined;
}

/** Date-based versions (`2024-10-21`, `2025-04-01-preview`); v1 also takes `v1` / `preview`. */
export function isAcceptedApiVersion(style: OpenAiPath['style'], apiVersion: string | null): boolean {
  if (style === 'v1') return apiVersion === null || apiVersion === 'v1' || apiVersion === 'preview';
  return apiVersion !== null && /^\d{4}-\d{2}-\d{2}(-preview)?$/i.test(apiVersion);
}
