import { useJobs } from '../stores/use-stores';
import { DropZone } from './DropZone';
import { ErrorNotice } from './ErrorNotice';
import { FileFilters } from './FileFilters';
import { FileList } from './FileList';
import { JobProgress } from './JobProgress';

export function IngestView() {
  const commandError = useJobs((state) => state.commandError);
  const dismissError = useJobs((state) => state.dismissError);
  const hasFiles = useJobs((state) => state.order.length > 0);

  return (
    <section className="pane ingest-pane" aria-labelledby="ingest-heading">
      <h2 id="ingest-heading" className="pane-title">
        Ingest
      </h2>
      <DropZone />
      {commandError && <ErrorNotice error={commandError} onDismiss={dismissError} />}
      <JobProgress />
      {hasFiles && <FileFilters />}
      <FileList />
    </section>
  );
}
