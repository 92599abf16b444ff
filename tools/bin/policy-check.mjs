#!/usr/bin/env node
// The `policy-check` command (package.json "bin"): tools/check.ts through tsx, resolved from this package's own
// folder, so it runs wherever the package is installed (the pre-commit framework's node environment, npm i -g)
// and checks the repository of the working directory, as `npx tsx tools/check.ts` does.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../check.ts');
process.exitCode = await main(process.argv.slice(2));
