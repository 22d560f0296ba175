import { useEffect, useState } from 'react';

/**
 * The current time, re-read every `intervalInMs` while `active` (a countdown on screen). A UI
 * clock only: nothing is fetched from the engine.
 */
export function useNow(active: boolean, intervalInMs = 1000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!active) return;
    setNow(Date.now());
    const timer = setInterval(() => setNow(Date.now()), intervalInMs);
    return () => clearInterval(timer);
  }, [active, intervalInMs]);
  return now;
}
