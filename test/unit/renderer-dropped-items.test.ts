import { describe, expect, it } from 'vitest';
import { type DroppedItem, readDroppedItems } from '../../renderer/src/lib/dropped-items';

/** Minimal stand-ins for the browser's FileSystemEntry objects a real folder drop yields. */
function fileEntry(fullPath: string, content: string): FileSystemFileEntry {
  const name = fullPath.slice(fullPath.lastIndexOf('/') + 1);
  return {
    isFile: true,
    isDirectory: false,
    name,
    fullPath,
    file: (onFile: (file: File) => void) => onFile(new File([content], name)),
  } as unknown as FileSystemFileEntry;
}

function directoryEntry(fullPath: string, children: FileSystemEntry[]): FileSystemDirectoryEntry {
  return {
    isFile: false,
    isDirectory: true,
    name: fullPath.slice(fullPath.lastIndexOf('/') + 1),
    fullPath,
    createReader: () => {
      // Real readers hand out children in batches and signal the end with an empty batch.
      const batches = [children.slice(0, 2), children.slice(2), []];
      return {
        readEntries: (onBatch: (entries: FileSystemEntry[]) => void) => onBatch(batches.shift() ?? []),
      };
    },
  } as unknown as FileSystemDirectoryEntry;
}

interface FakeItem {
  entry: FileSystemEntry | null;
  file: File | null;
}

function dataTransferOf(items: FakeItem[], files: File[] = []): DataTransfer {
  return {
    items: items.map((item) => ({
      kind: 'file',
      webkitGetAsEntry: () => item.entry,
      getAsFile: () => item.file,
    })),
    files,
  } as unknown as DataTransfer;
}

const describeItem = (item: DroppedItem): string =>
  item.kind === 'path' ? `path:${item.path}` : `file:${item.relativePath}`;

describe('readDroppedItems', () => {
  it('walks dropped folders recursively, keeping relative paths and skipping hidden entries', async () => {
    const folder = directoryEntry('/folder', [
      fileEntry('/folder/a.txt', 'a'),
      fileEntry('/folder/.DS_Store', 'x'),
      directoryEntry('/folder/sub', [fileEntry('/folder/sub/b.pdf', 'b')]),
      directoryEntry('/folder/.git', [fileEntry('/folder/.git/HEAD', 'h')]),
    ]);
    const loose = new File(['loose'], 'loose.md');
    const items = await readDroppedItems(
      dataTransferOf([
        { entry: folder, file: null },
        { entry: fileEntry('/loose.md', 'loose'), file: loose },
      ]),
      null,
    );
    expect(items.map(describeItem)).toEqual(['file:loose.md', 'file:folder/a.txt', 'file:folder/sub/b.pdf']);
    const nested = items[2];
    expect(nested?.kind === 'file' && (await nested.file.text())).toBe('b');
  });

  it('takes files from scripted drops that have no entries, or only a file list', async () => {
    const built = new File(['x'], 'a.txt');
    const fromItems = await readDroppedItems(dataTransferOf([{ entry: null, file: built }]), null);
    expect(fromItems.map(describeItem)).toEqual(['file:a.txt']);

    const fromFiles = await readDroppedItems(dataTransferOf([], [new File(['y'], 'b.txt')]), null);
    expect(fromFiles.map(describeItem)).toEqual(['file:b.txt']);
  });

  it('sends paths in Electron, without walking folders itself', async () => {
    const files = [new File([], 'docs'), new File([], 'c.txt')];
    const items = await readDroppedItems(dataTransferOf([], files), (file) => `/home/me/${file.name}`);
    expect(items.map(describeItem)).toEqual(['path:/home/me/docs', 'path:/home/me/c.txt']);
  });
});
