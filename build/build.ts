import { buildElectron } from './build-electron.ts';
import { buildRenderer } from './build-renderer.ts';
import { ELECTRON_DIST, RENDERER_DIST } from './paths.ts';

/** `npm run build`: the UI (Vite) and the Electron shell (esbuild). Packaging: build/electron-builder.yml. */
const started = Date.now();
await buildRenderer();
console.log(`✔ renderer → ${RENDERER_DIST}`);
await buildElectron();
console.log(`✔ electron → ${ELECTRON_DIST}`);
console.log(`Build finished in ${((Date.now() - started) / 1000).toFixed(1)} s`);
