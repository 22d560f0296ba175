import { useTranslation } from 'react-i18next';
import { formatDuration } from '../lib/format';

/** Formats durations with the UI language's units ("3 min 20 s", "3 分 20 秒"). */
export function useDuration(): (durationInMs: number) => string {
  const { t } = useTranslation();
  const units = { hours: t('units.hours'), minutes: t('units.minutes'), seconds: t('units.seconds') };
  return (durationInMs) => formatDuration(durationInMs, units);
}
