/** About SNN Studio: the versions that make a bug report reproducible. */
import { Table, Text } from '@mantine/core';
import { useEffect, useState, version as reactVersion } from 'react';
import type { Capabilities } from '../../../engine/api/studio-api.js';
import { DOCUMENT_VERSION } from '../../../engine/core/document/schema.js';
import { hostCapabilities } from '../api.js';

export function About() {
  const [caps, setCaps] = useState<Capabilities | null>(null);
  useEffect(() => {
    let live = true;
    hostCapabilities()
      .then((c) => live && setCaps(c))
      .catch(() => undefined);
    return () => {
      live = false;
    };
  }, []);
  const rows: [string, string][] = [
    ['SNN Studio', caps?.version ?? '…'],
    ['Graph document format', `version ${DOCUMENT_VERSION}`],
    ['Running as', caps ? (caps.mode === 'desktop' ? 'desktop app' : 'browser mode') : '…'],
    ['Platform', caps?.platform ?? '…'],
    ...browserVersions(),
    ['React', reactVersion],
  ];
  return (
    <div data-testid="help-about">
      <Text size="sm" mb="sm">
        SNN Studio: design, train, profile and export spiking neural networks on ONNX Runtime. MIT licence.
      </Text>
      <Table withRowBorders={false} verticalSpacing={2} horizontalSpacing={6} maw={480}>
        <Table.Tbody>
          {rows.map(([k, v]) => (
            <Table.Tr key={k}>
              <Table.Td w={200}>
                <Text size="xs" c="dimmed">
                  {k}
                </Text>
              </Table.Td>
              <Table.Td>
                <Text size="xs" ff="monospace" data-testid={`about-${k.toLowerCase().replace(/\W+/g, '-')}`}>
                  {v}
                </Text>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </div>
  );
}

/** Electron and Chromium versions, as the user agent names them. */
function browserVersions(): [string, string][] {
  const ua = navigator.userAgent;
  const out: [string, string][] = [];
  const electron = /Electron\/([\d.]+)/.exec(ua)?.[1];
  const chrome = /Chrome\/([\d.]+)/.exec(ua)?.[1];
  if (electron) out.push(['Electron', electron]);
  if (chrome) out.push(['Chromium', chrome]);
  return out;
}
