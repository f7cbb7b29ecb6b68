export { renderHealthReport, type HealthReportInput } from './renderHealthReport.js';
export { reportHistory } from './reportHistory.js';
export { renderStatechartSvg } from './statechartSvg.js';
export type { ReportTurn } from './turns.js';
