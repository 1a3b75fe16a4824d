/** Templates write documents with the same builder that composite blocks expand with. */
export { GraphBuilder, type ChainStep, type PortRef } from '../engine/core/document/builder.js';
