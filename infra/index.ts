// Entry point of the Pulumi program (Pulumi.yaml `main`). Every stack output is named here.
import { program } from './src/program.ts';

const outputs = program();

export const phase = outputs.phase;
export const phaseSummary = outputs.phaseSummary;
export const hostAddress = outputs.hostAddress;
export const gatewayHosts = outputs.gatewayHosts;
export const gatewayUrl = outputs.gatewayUrl;
export const dashboardUrl = outputs.dashboardUrl;
export const components = outputs.components;
export const modelServices = outputs.modelServices;
export const modelEndpoints = outputs.modelEndpoints;
export const gpuBudget = outputs.gpuBudget;
export const nextPhase = outputs.nextPhase;
export const nextPhaseChecklist = outputs.nextPhaseChecklist;
