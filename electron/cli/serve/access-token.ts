import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** 192 random bits, URL-safe: the browser host's only credential. */
export function createAccessToken(): string {
  return randomBytes(24).toString('base64url');
}

/** Constant-time comparison; hashing first makes lengths equal so nothing leaks through timing. */
export function accessTokenMatches(expected: string, candidate: string | null): boolean {
  if (candidate === null) return false;
  const expectedDigest = createHash('sha256').update(expected).digest();
  const candidateDigest = createHash('sha256').update(candidate).digest();
  return timingSafeEqual(expectedDigest, candidateDigest);
}
