import { useJobs } from '../stores/use-stores';
import { DropZone } from './DropZone';
import { ErrorNotice } from './ErrorNotice';
import { FailuresPanel } from './FailuresPanel';
import { FileFilters } from './FileFilters';
import { FileList } from './FileList';
import { JobControls } from './JobControls';
import { JobProgress } from './JobProgress';

/** Drop files, watch every file move through its stages, control jobs, see and retry failures. */
export function IngestView({ hidden }: { hidden: boolean }) {
  const commandError = useJobs((state) => state.commandError);
  const dismissError = useJobs((state) => state.dismissError);
  const hasFiles = useJobs((state) => state.order.length > 0);

  return (
    <section
      className="view ingest-view"
      id="view-ingest"
      aria-labelledby="tab-ingest"
      role="tabpanel"
      hidden={hidden}
    >
      <DropZone />
      {commandError && <ErrorNotice error={commandError} onDismiss={dismissError} />}
      <JobProgress />
      <JobControls />
      <FailuresPanel />
      {hasFiles && <FileFilters />}
      <FileList />
    </section>
  );
}
