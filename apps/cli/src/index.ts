// @bascule/cli: the `bascule` command line, and its parts for tests.
export { run, buildProgram, type Runtime } from './program.ts';
export { EXIT, CliError } from './exit-codes.ts';
export { buildReport, projectMonth } from './report-model.ts';
export { renderMarkdown } from './report-markdown.ts';
