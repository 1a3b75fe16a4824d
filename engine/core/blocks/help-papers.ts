/** The papers the catalogue's blocks come from, cited on their help cards. */

export interface PaperRef {
  readonly authors: string;
  readonly title: string;
  readonly venue: string;
  readonly year: number;
  readonly link: string;
}

export const PAPERS = {
  sj: { authors: 'Fang et al.', title: 'SpikingJelly: An open-source machine learning infrastructure platform for spike-based intelligence', venue: 'Science Advances', year: 2023, link: 'https://doi.org/10.1126/sciadv.adi1480' },
  plif: { authors: 'Fang et al.', title: 'Incorporating Learnable Membrane Time Constant to Enhance Learning of Spiking Neural Networks', venue: 'ICCV', year: 2021, link: 'https://arxiv.org/abs/2007.05785' },
  psn: { authors: 'Fang et al.', title: 'Parallel Spiking Neurons with High Efficiency and Ability to Learn Long-term Dependencies', venue: 'NeurIPS', year: 2023, link: 'https://arxiv.org/abs/2304.12760' },
  sew: { authors: 'Fang et al.', title: 'Deep Residual Learning in Spiking Neural Networks', venue: 'NeurIPS', year: 2021, link: 'https://arxiv.org/abs/2102.04159' },
  alif: { authors: 'Bellec et al.', title: 'Long short-term memory and learning-to-learn in networks of spiking neurons', venue: 'NeurIPS', year: 2018, link: 'https://arxiv.org/abs/1803.09574' },
  neuronalDynamics: { authors: 'Gerstner, Kistler, Naud and Paninski', title: 'Neuronal Dynamics: From single neurons to networks and models of cognition (ch. 5)', venue: 'Cambridge University Press', year: 2014, link: 'https://neuronaldynamics.epfl.ch/online/Ch5.html' },
  spikformer: { authors: 'Zhou et al.', title: 'Spikformer: When Spiking Neural Network Meets Transformer', venue: 'ICLR', year: 2023, link: 'https://arxiv.org/abs/2209.15425' },
  sdt: { authors: 'Yao et al.', title: 'Spike-driven Transformer', venue: 'NeurIPS', year: 2023, link: 'https://arxiv.org/abs/2307.01694' },
  meta: { authors: 'Yao et al.', title: 'Spike-driven Transformer V2: Meta Spiking Neural Network Architecture Inspiring the Design of Next-generation Neuromorphic Chips', venue: 'ICLR', year: 2024, link: 'https://arxiv.org/abs/2404.03663' },
  qkformer: { authors: 'Zhou et al.', title: 'QKFormer: Hierarchical Spiking Transformer using Q-K Attention', venue: 'NeurIPS', year: 2024, link: 'https://arxiv.org/abs/2403.16552' },
  spikingformer: { authors: 'Zhou et al.', title: 'Spikingformer: Spike-driven Residual Learning for Transformer-based Spiking Neural Network', venue: 'arXiv', year: 2023, link: 'https://arxiv.org/abs/2304.11954' },
  cml: { authors: 'Zhou et al.', title: 'Enhancing the Performance of Transformer-based Spiking Neural Networks by SNN-optimized Downsampling with Precise Gradient Backpropagation', venue: 'arXiv', year: 2023, link: 'https://arxiv.org/abs/2305.05954' },
  spikedhs: { authors: 'Che et al.', title: 'Differentiable Hierarchical and Surrogate Gradient Search for Spiking Neural Networks', venue: 'NeurIPS', year: 2022, link: 'https://openreview.net/forum?id=Lr2Z85cdvB' },
  batchnorm: { authors: 'Ioffe and Szegedy', title: 'Batch Normalization: Accelerating Deep Network Training by Reducing Internal Covariate Shift', venue: 'ICML', year: 2015, link: 'https://arxiv.org/abs/1502.03167' },
  dropout: { authors: 'Srivastava et al.', title: 'Dropout: A Simple Way to Prevent Neural Networks from Overfitting', venue: 'JMLR', year: 2014, link: 'https://jmlr.org/papers/v15/srivastava14a.html' },
  gelu: { authors: 'Hendrycks and Gimpel', title: 'Gaussian Error Linear Units (GELUs)', venue: 'arXiv', year: 2016, link: 'https://arxiv.org/abs/1606.08415' },
  layernorm: { authors: 'Ba, Kiros and Hinton', title: 'Layer Normalization', venue: 'arXiv', year: 2016, link: 'https://arxiv.org/abs/1607.06450' },
  transformer: { authors: 'Vaswani et al.', title: 'Attention Is All You Need', venue: 'NeurIPS', year: 2017, link: 'https://arxiv.org/abs/1706.03762' },
} as const satisfies Record<string, PaperRef>;
