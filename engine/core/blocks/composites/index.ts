/** The catalogue's composite blocks, in palette order: attention branches, encoder blocks, stems, residual blocks. */
import { ATTENTION_COMPOSITES } from './attention.js';
import { cmlUnit, spikingformerStem } from './conv-stems.js';
import { ENCODER_BLOCKS } from './encoder-blocks.js';
import { META_SPIKEFORMER_BLOCKS } from './meta-spikeformer.js';
import { spikingMlp } from './mlp.js';
import { sewBasicBlock } from './resnet.js';
import { spikedhsCell } from './spikedhs.js';
import { speds } from './speds.js';
import { msSps, sps } from './sps.js';

export const ATTENTION_COMPOSITE_BLOCKS = [...ATTENTION_COMPOSITES, spikingMlp, ...ENCODER_BLOCKS, ...META_SPIKEFORMER_BLOCKS, spikedhsCell];
export const STEM_BLOCKS = [sps, msSps, speds, spikingformerStem, cmlUnit];
export const RESIDUAL_COMPOSITES = [sewBasicBlock];
