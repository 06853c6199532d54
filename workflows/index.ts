export { pathway } from './pathway.js';
