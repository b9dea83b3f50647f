import { RebuildProgress } from './rebuild-views';

export const thousands = (n: number) => Math.round(n).toLocaleString('en-IN');

function duration(seconds: number | null): string {
  if (seconds === null || !Number.isFinite(seconds)) return '--';
  const s = Math.ceil(seconds);
  return s >= 60 ? `${Math.floor(s / 60)} min ${s % 60} s` : `${s} s`;
}

/** `[#########-----------]  45 %  12,345 / 27,000 events  4,210 events/s  4 s left  (replaying)` */
export function progressLine(p: RebuildProgress, width = 24): string {
  const fraction = p.total > 0 ? Math.min(1, p.applied / p.total) : 1;
  const filled = Math.round(fraction * width);
  return (
    `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${String(Math.floor(fraction * 100)).padStart(3)} %  ` +
    `${thousands(p.applied)} / ${thousands(p.total)} events  ${thousands(p.ratePerSecond)} events/s  ` +
    `${p.phase === 'done' ? `done in ${duration(p.elapsedMs / 1_000)}` : `${duration(p.etaSeconds)} left`}  (${p.phase})`
  );
}
