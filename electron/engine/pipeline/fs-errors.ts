import { QuarryError } from '../../contract';

/** Maps a Node file-system error (by its `code`) to a QuarryError naming the path. */
export function fileSystemError(error: unknown, filePath: string): QuarryError {
  if (error instanceof QuarryError) return error;
  const code = error instanceof Error ? (error as NodeJS.ErrnoException).code : undefined;
  switch (code) {
    case 'ENOENT':
    case 'ENOTDIR':
      return new QuarryError('invalid_input', `Not found: ${filePath}`, {
        reason: 'not_found',
        cause: error,
      });
    case 'EACCES':
    case 'EPERM':
      return new QuarryError('invalid_input', `Permission denied: ${filePath}`, {
        reason: 'unreadable',
        cause: error,
      });
    case 'ELOOP':
      return new QuarryError('invalid_input', `Too many symbolic links: ${filePath}`, {
        reason: 'symlink_loop',
        cause: error,
      });
    case 'EISDIR':
      return new QuarryError('invalid_input', `Is a folder, not a file: ${filePath}`, {
        reason: 'unreadable',
        cause: error,
      });
    default: {
      const detail = error instanceof Error ? error.message : String(error);
      return new QuarryError('invalid_input', `Cannot read ${filePath}: ${detail}`, {
        reason: 'unreadable',
        cause: error,
      });
    }
  }
}
