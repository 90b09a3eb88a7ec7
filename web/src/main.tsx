import { HashRouter } from '@solidjs/router';
import { render } from 'solid-js/web';
import App from './App.tsx';
import { routes } from './routes.ts';
import './styles.css';

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root');
render(() => <HashRouter root={App}>{routes}</HashRouter>, root);
