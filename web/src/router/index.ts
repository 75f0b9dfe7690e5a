import { createRouter, createWebHashHistory, type Router, type RouterHistory } from 'vue-router';
import './types';
import { routes } from './routes';
import { installGuards } from './guard';

/**
 * Hash history: the app works from any static file server without a
 * fallback-to-index rule, and deep links survive a reload.
 */
export function createAppRouter(history: RouterHistory = createWebHashHistory()): Router {
  const router = createRouter({ history, routes });
  installGuards(router);
  return router;
}
