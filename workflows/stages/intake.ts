import type { StageModule } from './types.js';

/** Registration on arrival: done when the pathway opens with the person's record. */
export const intake: StageModule = {
  stage: 'intake',
  done: () => true,
  details: () => ({}),
  actions: [],
};
