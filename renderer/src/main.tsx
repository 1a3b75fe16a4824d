/** Entry point: the theme (following the system unless the user chose), the canvas provider, the app. */
import '@mantine/core/styles.css';
import '@xyflow/react/dist/style.css';
import './app/styles.css';
import { MantineProvider } from '@mantine/core';
import { ReactFlowProvider } from '@xyflow/react';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app/App.js';
import { theme } from './app/theme.js';
import { resolvedScheme, useThemeStore } from './state/theme-store.js';

function Root() {
  const scheme = useThemeStore(resolvedScheme);
  return (
    <MantineProvider theme={theme} forceColorScheme={scheme}>
      <ReactFlowProvider>
        <App />
      </ReactFlowProvider>
    </MantineProvider>
  );
}

// the scheme is known before the first render: a dark system never flashes a light window
document.documentElement.setAttribute('data-mantine-color-scheme', resolvedScheme(useThemeStore.getState()));

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <Root />
  </StrictMode>,
);
