/** What a drop or a file picker gave us: a path the engine can read (Electron) or bytes to upload. */
export type DroppedItem =
  | { kind: 'path'; path: string }
  /** `relativePath` keeps the dropped folder structure, e.g. "folder/sub/file.pdf". */
  | { kind: 'file'; file: File; relativePath: string };

export type PathForFile = ((file: File) => string) | null;

/** Hidden files inside dropped folders (".DS_Store", ".git/...") are skipped like the engine's discovery does. */
const isHidden = (name: string): boolean => name.startsWith('.');

function fileOrPath(file: File, relativePath: string, pathForFile: PathForFile): DroppedItem {
  const path = pathForFile?.(file) ?? '';
  return path ? { kind: 'path', path } : { kind: 'file', file, relativePath };
}

/** Files from `<input type=file>` (with `webkitdirectory`, each carries its relative path). */
export function itemsFromFiles(files: Iterable<File>, pathForFile: PathForFile): DroppedItem[] {
  return [...files].map((file) => fileOrPath(file, file.webkitRelativePath || file.name, pathForFile));
}

function readEntryFile(entry: FileSystemFileEntry): Promise<File> {
  return new Promise((resolve, reject) => entry.file(resolve, reject));
}

/** A directory reader returns its children in batches; an empty batch means done. */
async function readAllChildren(directory: FileSystemDirectoryEntry): Promise<FileSystemEntry[]> {
  const reader = directory.createReader();
  const children: FileSystemEntry[] = [];
  for (;;) {
    const batch = await new Promise<FileSystemEntry[]>((resolve, reject) =>
      reader.readEntries(resolve, reject),
    );
    if (batch.length === 0) return children;
    children.push(...batch);
  }
}

async function walkEntry(entry: FileSystemEntry, into: DroppedItem[]): Promise<void> {
  const relativePath = entry.fullPath.replace(/^\/+/, '') || entry.name;
  if (entry.isFile) {
    into.push({ kind: 'file', file: await readEntryFile(entry as FileSystemFileEntry), relativePath });
    return;
  }
  if (!entry.isDirectory) return;
  for (const child of await readAllChildren(entry as FileSystemDirectoryEntry)) {
    if (!isHidden(child.name)) await walkEntry(child, into);
  }
}

/**
 * Everything dropped, files and folders. In Electron each dropped file or folder becomes a path
 * the engine walks itself; in the browser folders are walked here and their files read as bytes.
 * Must be called synchronously inside the drop handler: the DataTransfer empties afterwards.
 */
export function readDroppedItems(
  dataTransfer: DataTransfer,
  pathForFile: PathForFile,
): Promise<DroppedItem[]> {
  if (pathForFile) return Promise.resolve(itemsFromFiles(Array.from(dataTransfer.files), pathForFile));

  // Folders and files are taken now, while the DataTransfer is still readable. A top-level file
  // is used as is (no entry needed), which also covers DataTransfers built by scripts.
  const folders: FileSystemEntry[] = [];
  const plainFiles: File[] = [];
  for (const item of Array.from(dataTransfer.items)) {
    if (item.kind !== 'file') continue;
    const entry = item.webkitGetAsEntry?.() ?? null;
    if (entry?.isDirectory) {
      folders.push(entry);
      continue;
    }
    const file = item.getAsFile();
    if (file) plainFiles.push(file);
  }
  // Some synthetic DataTransfers expose only `files`.
  if (folders.length === 0 && plainFiles.length === 0) plainFiles.push(...Array.from(dataTransfer.files));

  return (async () => {
    const items = itemsFromFiles(plainFiles, null);
    for (const folder of folders) await walkEntry(folder, items);
    return items;
  })();
}
