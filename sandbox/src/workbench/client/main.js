// Synthetic shadow first, as Lightning Experience loads it before any component.
import '@lwc/synthetic-shadow';
import { createElement } from 'lwc';
import App from 'wb/app';

const started = performance.now();
const app = createElement('wb-app', { is: App });
// The page's mount point is outside any component.
// eslint-disable-next-line @lwc/lwc/no-document-query
document.getElementById('workbench-root').appendChild(app);
window.__workbenchTiming = { bundleStartedMs: started };
