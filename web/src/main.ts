import 'element-plus/dist/index.css';
import './styles/main.css';
import { createXiaoAnApp } from './bootstrap';

const { app, router } = createXiaoAnApp();
void router.isReady().then(() => app.mount('#app'));
