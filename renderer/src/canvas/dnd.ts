/** The drag-and-drop type a palette block carries onto the canvas. */
export const BLOCK_MIME = 'application/x-snn-block';
