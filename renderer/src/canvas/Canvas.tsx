/**
 * The canvas: React Flow drawing the body on screen. React Flow owns nothing here: nodes and edges
 * are built from the document store and the analysis on every change, selection lives in the view
 * store, and every change React Flow reports (a drag, a connection, a selection) is turned into an
 * edit of the document or of the view state.
 */
import {
  Background,
  BackgroundVariant,
  Controls,
  MiniMap,
  Panel,
  ReactFlow,
  useNodesInitialized,
  useReactFlow,
  useStore,
  useStoreApi,
  type Connection as FlowConnection,
  type EdgeChange,
  type IsValidConnection,
  type NodeChange,
} from '@xyflow/react';
import { Alert, Text } from '@mantine/core';
import { IconAlertTriangle, IconMap, IconMapOff } from '@tabler/icons-react';
import { useCallback, useEffect, useMemo, useRef, useState, type DragEvent } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { formatProblem } from '../../../engine/core/problems.js';
import { DEFAULT_IN_PORT, DEFAULT_OUT_PORT } from '../../../engine/core/document/schema.js';
import { addBlock, commitMove, connectPorts, openComposite } from '../actions/edit.js';
import type { XY } from '../document/ops.js';
import { useAnalysis } from '../state/analysis.js';
import { useScope } from '../state/current-scope.js';
import { useDocumentStore } from '../state/document-store.js';
import { resolvedScheme, useThemeStore } from '../state/theme-store.js';
import { toggleMinimap, useViewStore } from '../state/view-store.js';
import { BlockNode } from './BlockNode.js';
import { ContextMenu, type OpenMenu } from './ContextMenu.js';
import { Breadcrumbs } from './Breadcrumbs.js';
import { fitOptions, MINIMAP_BOTTOM, registerCanvas, registerSizes } from './canvas-control.js';
import { BLOCK_MIME } from './dnd.js';
import { buildFlow, type Flow, type FlowEdge, type FlowNode } from './flow-model.js';
import { AnalysisToggle } from './AnalysisToggle.js';
import { KindLegend } from './KindLegend.js';
import { levelOfDetail } from './overview.js';
import { OverviewEdges } from './OverviewEdges.js';
import { ProfilePaintControl } from './ProfilePaintControl.js';
import { ExportLintBanner } from '../run/ExportLintBanner.js';
import { TypedEdge } from './TypedEdge.js';
import { useAutoPositions } from './use-auto-positions.js';
import { useWireRoutes, WireRoutes } from './use-wire-routes.js';

const nodeTypes = { block: BlockNode };
const edgeTypes = { typed: TypedEdge };
const NO_NODES: FlowNode[] = [];
const NO_EDGES: FlowEdge[] = [];
/** Where a dropped block's top-left goes relative to the pointer: the pointer lands on its title. */
const DROP_OFFSET: XY = { x: 90, y: 14 };

export function Canvas() {
  const doc = useDocumentStore((s) => s.doc);
  const session = useDocumentStore((s) => s.session);
  const analysis = useAnalysis();
  const scope = useScope();
  const { selectedNodes, selectedEdges, dragPositions, showAnalysis, showMinimap } = useViewStore(
    useShallow((s) => ({ selectedNodes: s.selectedNodes, selectedEdges: s.selectedEdges, dragPositions: s.dragPositions, showAnalysis: s.showAnalysis, showMinimap: s.showMinimap })),
  );
  const scheme = useThemeStore(resolvedScheme);
  const readOnly = scope.key === undefined;
  const autoPositions = useAutoPositions(doc, scope.body);
  // Sizes React Flow measured. They are recorded, not rendered: React Flow keeps a node's measured
  // size for as long as the node object is the same, and a node object rebuilt for another reason
  // takes its size from here. Re-rendering on every measurement would rebuild the whole flow each
  // time a node scrolls into view (onlyRenderVisibleElements).
  const sizes = useRef(new Map<string, { width: number; height: number }>());
  const previous = useRef<Flow | null>(null);
  const wrapper = useRef<HTMLDivElement>(null);
  const flowApi = useReactFlow<FlowNode, FlowEdge>();
  const lod = useStore((s) => levelOfDetail(s.transform[2]));
  const overview = lod === 'overview';
  const flowStore = useStoreApi();
  // the compact drawing sizes block names by the zoom: a CSS variable, set without a React render
  useEffect(() => {
    const set = (zoom: number) => wrapper.current?.style.setProperty('--snn-zoom', String(zoom));
    set(flowStore.getState().transform[2]);
    return flowStore.subscribe((s) => set(s.transform[2]));
  }, [flowStore]);

  const scopePath = useMemo(() => scope.frames.map((f) => f.nodeId), [scope.frames]);
  const viewKey = `${session}|${scopePath.join('/')}`;
  const sizesFor = useRef(viewKey);
  const flow = useMemo(() => {
    if (autoPositions === 'pending') return null;
    // node ids repeat across documents and scopes; sizes measured elsewhere do not apply here
    if (sizesFor.current !== viewKey) {
      sizes.current.clear();
      sizesFor.current = viewKey;
      previous.current = null;
    }
    return buildFlow(
      {
        body: scope.body,
        info: scope.info,
        problems: analysis.problems,
        scopePath,
        composites: doc.composites ?? {},
        timeSteps: doc.timeSteps,
        selectedNodes,
        selectedEdges,
        dragPositions,
        autoPositions,
        sizes: sizes.current,
        readOnly,
        showFacts: showAnalysis,
      },
      previous.current,
    );
  }, [scope.body, scope.info, analysis.problems, scopePath, doc.composites, doc.timeSteps, selectedNodes, selectedEdges, dragPositions, autoPositions, readOnly, showAnalysis, viewKey]);
  useEffect(() => {
    if (flow) previous.current = flow;
  }, [flow]);
  // zoomed out the wires are drawn as a few overview paths: nothing to route one by one
  const routes = useWireRoutes(flow?.edges ?? NO_EDGES, !overview);

  useEffect(() => {
    registerCanvas(flowApi, wrapper.current);
    registerSizes(sizes.current);
    return () => registerCanvas(null, null);
  }, [flowApi]);

  const onNodesChange = useCallback(
    (changes: NodeChange<FlowNode>[]) => {
      const view = useViewStore.getState();
      let selection: Set<string> | null = null;
      let dragging: Map<string, XY> | null = null;
      const dropped = new Map<string, XY>();
      for (const c of changes) {
        if (c.type === 'dimensions' && c.dimensions) {
          sizes.current.set(c.id, c.dimensions);
        }
        else if (c.type === 'select') {
          selection ??= new Set(view.selectedNodes);
          if (c.selected) selection.add(c.id);
          else selection.delete(c.id);
        } else if (c.type === 'position' && c.position) {
          if (c.dragging) (dragging ??= new Map(view.dragPositions ?? [])).set(c.id, c.position);
          else dropped.set(c.id, c.position);
        }
      }
      if (selection) useViewStore.setState({ selectedNodes: selection });
      if (dragging) useViewStore.setState({ dragPositions: dragging });
      if (dropped.size > 0) {
        // keyboard nudges (arrow keys) arrive one by one: merge a burst into one undo step
        commitMove(dropped, view.dragPositions ? undefined : `nudge:${[...dropped.keys()].join(',')}`);
        useViewStore.setState({ dragPositions: null });
      }
    },
    [],
  );

  const onEdgesChange = useCallback((changes: EdgeChange<FlowEdge>[]) => {
    const view = useViewStore.getState();
    let selection: Set<string> | null = null;
    for (const c of changes) {
      if (c.type !== 'select') continue;
      selection ??= new Set(view.selectedEdges);
      if (c.selected) selection.add(c.id);
      else selection.delete(c.id);
    }
    if (selection) useViewStore.setState({ selectedEdges: selection });
  }, []);

  const [menu, setMenu] = useState<OpenMenu | null>(null);
  const closeMenu = useCallback(() => setMenu(null), []);
  const openMenu = useCallback(
    (e: { preventDefault(): void; clientX: number; clientY: number }, target: OpenMenu['target'] | ((at: XY) => OpenMenu['target'])) => {
      e.preventDefault();
      const at = flowApi.screenToFlowPosition({ x: e.clientX, y: e.clientY });
      setMenu({ target: typeof target === 'function' ? target(at) : target, x: e.clientX, y: e.clientY });
    },
    [flowApi],
  );

  const onConnect = useCallback((c: FlowConnection) => {
    connectPorts({ source: c.source, sourcePort: c.sourceHandle ?? DEFAULT_OUT_PORT, target: c.target, targetPort: c.targetHandle ?? DEFAULT_IN_PORT });
  }, []);

  const isValidConnection = useCallback<IsValidConnection<FlowEdge>>((c) => c.source !== c.target, []);

  const onDragOver = useCallback((e: DragEvent) => {
    if (!e.dataTransfer.types.includes(BLOCK_MIME)) return;
    e.preventDefault();
    e.dataTransfer.dropEffect = 'copy';
  }, []);

  const onDrop = useCallback(
    (e: DragEvent) => {
      const blockId = e.dataTransfer.getData(BLOCK_MIME);
      if (!blockId) return;
      e.preventDefault();
      const p = flowApi.screenToFlowPosition({ x: e.clientX, y: e.clientY });
      addBlock(blockId, { x: p.x - DROP_OFFSET.x, y: p.y - DROP_OFFSET.y });
    },
    [flowApi],
  );

  return (
    <div className="snn-canvas" ref={wrapper} onDragOver={onDragOver} onDrop={onDrop} data-testid="canvas" data-scope={scopePath.join('/')} data-lod={lod}>
      <WireRoutes.Provider value={routes}>
        <ReactFlow<FlowNode, FlowEdge>
          nodes={flow?.nodes ?? NO_NODES}
          edges={flow?.edges ?? NO_EDGES}
          nodeTypes={nodeTypes}
          edgeTypes={edgeTypes}
          onNodesChange={onNodesChange}
          onEdgesChange={onEdgesChange}
          onConnect={onConnect}
          isValidConnection={isValidConnection}
          onNodeDoubleClick={(_, node) => node.data.openable && openComposite(node.id)}
          onNodeContextMenu={(e, node) => openMenu(e, { kind: 'node', id: node.id })}
          onEdgeContextMenu={(e, edge) => openMenu(e, { kind: 'edge', id: edge.id })}
          onPaneContextMenu={(e) => openMenu(e, (at) => ({ kind: 'pane', at }))}
          onMoveStart={closeMenu}
          colorMode={scheme}
          deleteKeyCode={null}
          selectionKeyCode="Shift"
          multiSelectionKeyCode={['Meta', 'Control']}
          zoomOnDoubleClick={false}
          minZoom={0.05}
          maxZoom={2.5}
          nodesDraggable={!readOnly}
          nodesConnectable={!readOnly}
          connectionRadius={28}
          attributionPosition="top-right"
          // zoomed in, most of a large graph is off screen: mount only what is visible (zoomed out,
          // everything is visible and the overview drawing keeps the cost down instead)
          onlyRenderVisibleElements={!overview}
          aria-label="Graph canvas"
        >
          <Background variant={BackgroundVariant.Dots} gap={18} size={1} />
          <Controls showInteractive={false} position="bottom-left" />
          {showMinimap && <MiniMap pannable zoomable position="bottom-right" nodeClassName={minimapClass} nodeBorderRadius={3} ariaLabel="Minimap" style={{ width: 168, height: 112 }} />}
          {/* above the minimap when it is shown, in its place when it is folded */}
          <Panel position="bottom-right" style={showMinimap ? { marginBottom: MINIMAP_BOTTOM + 6 } : undefined}>
            <button
              type="button"
              className="snn-overlay-toggle"
              onClick={toggleMinimap}
              aria-label={showMinimap ? 'Hide the minimap' : 'Show the minimap'}
              title={showMinimap ? 'Hide the minimap' : 'Show the minimap'}
              data-testid="minimap-toggle"
            >
              {showMinimap ? <IconMapOff size={13} /> : <IconMap size={13} />}
              {showMinimap ? 'Hide map' : 'Map'}
            </button>
          </Panel>
          <Panel position="top-left">
            <Breadcrumbs docName={doc.name} titles={scope.titles} readOnly={readOnly} />
          </Panel>
          <Panel position="bottom-center" className="snn-canvas-footer">
            <KindLegend />
            <AnalysisToggle />
          </Panel>
          {/* below the attribution, clear of the wire legend */}
          <Panel position="top-right" style={{ marginTop: 30 }}>
            <ProfilePaintControl />
            <ExportLintBanner />
          </Panel>
          {flow && flow.bodyProblems.length > 0 && (
            <Panel position="top-center">
              <Alert color="red" variant="light" p={6} icon={<IconAlertTriangle size={14} />} className="snn-body-problems" data-testid="body-problems">
                {flow.bodyProblems.slice(0, 3).map((p, i) => (
                  <Text size="xs" key={i}>
                    {formatProblem(p)}
                  </Text>
                ))}
              </Alert>
            </Panel>
          )}
          {overview && flow && <OverviewEdges nodes={flow.nodes} edges={flow.edges} />}
          <FitOnOpen viewKey={viewKey} />
        </ReactFlow>
      </WireRoutes.Provider>
      {menu && <ContextMenu key={`${menu.x},${menu.y}`} menu={menu} onClose={closeMenu} />}
    </div>
  );
}

function minimapClass(node: FlowNode): string {
  const d = node.data;
  return `snn-minimap-node snn-minimap-node--${d.errors.length > 0 ? 'error' : d.category}`;
}

/** Fits the view once the nodes of a newly opened document or scope have been measured. */
function FitOnOpen({ viewKey }: { viewKey: string }) {
  const initialized = useNodesInitialized();
  const { fitView: fit } = useReactFlow();
  const fitted = useRef<string | null>(null);
  useEffect(() => {
    if (!initialized || fitted.current === viewKey) return;
    fitted.current = viewKey;
    void fit(fitOptions());
  }, [initialized, viewKey, fit]);
  return null;
}
