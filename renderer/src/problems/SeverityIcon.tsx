/** One icon per severity, the same everywhere a finding is shown. */
import { IconAlertTriangle, IconCircleX, IconInfoCircle } from '@tabler/icons-react';
import type { Severity } from '../../../engine/core/problems.js';

export function SeverityIcon({ severity, size, className }: { severity: Severity; size: number; className?: string }) {
  const Icon = severity === 'error' ? IconCircleX : severity === 'warning' ? IconAlertTriangle : IconInfoCircle;
  return <Icon size={size} className={className} aria-label={severity} />;
}
