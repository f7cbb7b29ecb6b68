export { healthHistory, type HealthHistory } from './healthHistory.js';
