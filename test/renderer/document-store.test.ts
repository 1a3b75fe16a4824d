import { beforeEach, describe, expect, it } from 'vitest';
import { updateBody } from '../../renderer/src/document/body.js';
import { setParam } from '../../renderer/src/document/ops.js';
import { editDocument, getDocument, loadDocument, redo, undo, useDocumentStore } from '../../renderer/src/state/document-store.js';
import { getDirty, markSaved } from '../../renderer/src/state/file-store.js';
import { select, useViewStore } from '../../renderer/src/state/view-store.js';
import { cnn } from './fixtures.js';

const history = () => useDocumentStore.temporal.getState();
const setChannels = (n: number, coalesceKey?: string) =>
  editDocument((d) => updateBody(d, null, (b) => setParam(b, 'conv1', ['outChannels'], n)), coalesceKey === undefined ? {} : { coalesceKey });
const channels = () => getDocument().nodes.find((n) => n.id === 'conv1')!.params!.outChannels;

describe('document store', () => {
  beforeEach(() => loadDocument(cnn()));

  it('opens a document with an empty history', () => {
    expect(history().pastStates).toHaveLength(0);
    expect(history().futureStates).toHaveLength(0);
  });

  it('undoes and redoes every edit, restoring each state', () => {
    const s0 = getDocument();
    setChannels(8);
    const s1 = getDocument();
    setChannels(16);
    const s2 = getDocument();
    undo();
    expect(getDocument()).toBe(s1);
    undo();
    expect(getDocument()).toBe(s0);
    redo();
    expect(getDocument()).toBe(s1);
    redo();
    expect(getDocument()).toBe(s2);
    expect(channels()).toBe(16);
  });

  it('records no step for an edit that changes nothing', () => {
    setChannels(32); // the template's value
    expect(history().pastStates).toHaveLength(0);
  });

  it('merges a burst of edits of one field into one undo step', () => {
    const s0 = getDocument();
    setChannels(1, 'conv1.outChannels');
    setChannels(12, 'conv1.outChannels');
    setChannels(128, 'conv1.outChannels');
    expect(history().pastStates).toHaveLength(1);
    setChannels(7, 'other-field');
    expect(history().pastStates).toHaveLength(2);
    undo();
    undo();
    expect(getDocument()).toBe(s0);
  });

  it('keeps the selection and the view out of the history', () => {
    setChannels(8);
    select(['conv1']);
    useViewStore.setState({ scope: [] });
    expect(history().pastStates).toHaveLength(1);
    undo();
    expect(useViewStore.getState().selectedNodes.has('conv1')).toBe(true);
  });

  it('is clean at the saved version, also after undoing back to it', () => {
    markSaved({ path: '/tmp/a.snn.json', name: 'a.snn.json' }, getDocument());
    expect(getDirty()).toBe(false);
    setChannels(8);
    expect(getDirty()).toBe(true);
    undo();
    expect(getDirty()).toBe(false);
  });

  it('starts a fresh history and session for another document', () => {
    setChannels(8);
    const session = useDocumentStore.getState().session;
    loadDocument(cnn());
    expect(useDocumentStore.getState().session).toBe(session + 1);
    expect(history().pastStates).toHaveLength(0);
  });
});
