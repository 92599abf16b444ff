#!/usr/bin/env node
// The `policy-check` command (package.json "bin"): tools/check.ts, resolved from this package's own folder, so it
// runs wherever the package is installed (the pre-commit framework's node environment, npm i -g) and checks the
// repository of the working directory, as `npx tsx tools/check.ts` does. With a fresh `npm run build` it starts the
// plain JavaScript in dist/ (no tsx: about half the start-up); otherwise it goes through tsx.
import { pathToFileURL } from 'node:url';
import { freshBuild } from './fresh-build.mjs';

const built = freshBuild();
let main;
if (built) {
  ({ main } = await import(pathToFileURL(built).href));
} else {
  const { register } = await import('tsx/esm/api');
  register();
  ({ main } = await import('../check.ts'));
}
process.exitCode = await main(process.argv.slice(2));
