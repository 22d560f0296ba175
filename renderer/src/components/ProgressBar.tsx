interface ProgressBarProps {
  /** 0..1, or null for "working, amount unknown". */
  fraction: number | null;
  label: string;
  className?: string;
}

/** A thin bar; its width is set through the style object (CSSOM), which the strict CSP allows. */
export function ProgressBar({ fraction, label, className }: ProgressBarProps) {
  const percent = fraction === null ? null : Math.round(Math.min(1, Math.max(0, fraction)) * 100);
  return (
    <div
      className={`progress ${percent === null ? 'progress-indeterminate' : ''} ${className ?? ''}`}
      role="progressbar"
      aria-label={label}
      aria-valuemin={0}
      aria-valuemax={100}
      aria-valuenow={percent ?? undefined}
    >
      <div className="progress-fill" style={{ width: percent === null ? undefined : `${percent}%` }} />
    </div>
  );
}
