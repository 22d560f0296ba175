import { type RefObject, useEffect } from 'react';

/** Ctrl+<key> (Cmd+<key> on macOS) focuses and selects the given input from anywhere in the app. */
export function useFocusShortcut(key: string, inputRef: RefObject<HTMLInputElement | null>): void {
  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent): void => {
      if (!(event.ctrlKey || event.metaKey) || event.altKey || event.key.toLowerCase() !== key) return;
      event.preventDefault();
      inputRef.current?.focus();
      inputRef.current?.select();
    };
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, [key, inputRef]);
}
