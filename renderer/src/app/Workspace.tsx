/** The editor's panels: palette | canvas over the bottom panel | inspector, all resizable and collapsible. */
import { Group, Panel, Separator } from 'react-resizable-panels';
import { BottomPanel } from '../bottom/BottomPanel.js';
import { Canvas } from '../canvas/Canvas.js';
import { Inspector } from '../inspector/Inspector.js';
import { Palette } from '../palette/Palette.js';
import { registerPanel } from '../state/panels.js';

export function Workspace() {
  return (
    <Group orientation="horizontal" className="snn-workspace" id="snn-workspace">
      <Panel id="panel-palette" defaultSize={232} minSize={170} maxSize={420} collapsible panelRef={(h) => registerPanel('palette', h)}>
        <Palette />
      </Panel>
      <Separator className="snn-separator" />
      <Panel id="panel-centre" minSize={320}>
        <Group orientation="vertical" id="snn-centre">
          <Panel id="panel-canvas" minSize={160}>
            <Canvas />
          </Panel>
          <Separator className="snn-separator snn-separator--h" />
          <Panel id="panel-bottom" defaultSize={190} minSize={90} maxSize="70%" collapsible panelRef={(h) => registerPanel('bottom', h)}>
            <BottomPanel />
          </Panel>
        </Group>
      </Panel>
      <Separator className="snn-separator" />
      <Panel id="panel-inspector" defaultSize={300} minSize={220} maxSize={520} collapsible panelRef={(h) => registerPanel('inspector', h)}>
        <Inspector />
      </Panel>
    </Group>
  );
}
