import { useCallback } from 'react';
import { useQuarryClient } from '../api/client-context';
import { itemsFromFiles, readDroppedItems } from '../lib/dropped-items';
import { useJobs } from '../stores/use-stores';

/** Turns drops and picked files into ingest calls: paths in Electron, uploaded bytes in the browser. */
export function useDropIngest(): {
  ingestDrop(dataTransfer: DataTransfer): void;
  ingestFiles(files: Iterable<File>): void;
} {
  const { pathForFile } = useQuarryClient();
  const ingest = useJobs((state) => state.ingest);

  const ingestDrop = useCallback(
    (dataTransfer: DataTransfer) => {
      // Read synchronously inside the drop handler: the DataTransfer is emptied afterwards.
      const pending = readDroppedItems(dataTransfer, pathForFile);
      void pending.then(ingest);
    },
    [ingest, pathForFile],
  );

  const ingestFiles = useCallback(
    (files: Iterable<File>) => void ingest(itemsFromFiles(files, pathForFile)),
    [ingest, pathForFile],
  );

  return { ingestDrop, ingestFiles };
}
