import { HashRouter } from '@solidjs/router';
import { render } from 'solid-js/web';
import App from './App.tsx';
import { preloadArrowDecoder, setApiBase } from './lib/api.ts';
import { apiBaseFor, loadCognitoConfig } from './lib/cognito.ts';
import { session } from './lib/session.ts';
import { preloadRoute, routes } from './routes.ts';
import './styles.css';

// cognito.json (AWS) may name the API's URL: requests wait for that answer, fetched once, before the first one.
setApiBase(loadCognitoConfig().then(apiBaseFor));
// Signed in already: fetch the page's code and the Arrow decoder now, alongside the shell's first requests
// (/years), rather than after them.
if (session()) {
  preloadRoute(window.location.hash.replace(/^#/, '').split('?')[0] || '/');
  preloadArrowDecoder();
}

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root');
render(() => <HashRouter root={App}>{routes}</HashRouter>, root);
