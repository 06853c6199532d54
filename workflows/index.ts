export { pathway } from './pathway.js';
export { notifier } from './notifier.js';
