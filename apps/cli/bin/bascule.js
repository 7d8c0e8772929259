#!/usr/bin/env node
// The `bascule` command: runs the TypeScript sources through tsx (the workspace's loader), so the CLI needs no build step.
import process from 'node:process';
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/main.ts');
process.exitCode = await main(process.argv);
