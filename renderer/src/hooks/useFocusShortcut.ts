import { type RefObject, useEffect } from 'react';

/**
 * Ctrl+<key> (Cmd+<key> on macOS) runs `reveal` (e.g. switch to the view holding the input; it
 * must render synchronously, see flushSync) and then focuses and selects the input.
 */
export function useFocusShortcut(
  key: string,
  inputRef: RefObject<HTMLInputElement | null>,
  reveal: () => void = () => {},
): void {
  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent): void => {
      if (!(event.ctrlKey || event.metaKey) || event.altKey || event.key.toLowerCase() !== key) return;
      event.preventDefault();
      reveal();
      inputRef.current?.focus();
      inputRef.current?.select();
    };
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, [key, inputRef, reveal]);
}
