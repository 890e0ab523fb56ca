/** Shares of the stream after which the learning benchmark scores (and the dev-split tools look). */
export const DEFAULT_CHECKPOINTS = [0, 0.01, 0.05, 0.1, 0.25, 0.5, 1];
