/**
 * The Mantine theme: a dense desktop tool (small type, tight spacing, small radii), the system font,
 * and keyboard focus always visible.
 */
import { createTheme } from '@mantine/core';

export const theme = createTheme({
  primaryColor: 'indigo',
  defaultRadius: 'sm',
  focusRing: 'auto',
  fontFamily: 'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif',
  fontFamilyMonospace: 'ui-monospace, "SF Mono", "Cascadia Code", "JetBrains Mono", Menlo, Consolas, monospace',
  fontSizes: { xs: '11px', sm: '12.5px', md: '14px', lg: '16px', xl: '18px' },
  lineHeights: { xs: '1.35', sm: '1.4', md: '1.5', lg: '1.5', xl: '1.5' },
  spacing: { xs: '6px', sm: '10px', md: '14px', lg: '18px', xl: '24px' },
  headings: { fontWeight: '600' },
  components: {
    Tooltip: { defaultProps: { withArrow: true, fz: 'xs' } },
    Modal: { defaultProps: { overlayProps: { backgroundOpacity: 0.45, blur: 1 } } },
  },
});
