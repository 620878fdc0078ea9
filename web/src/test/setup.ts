// Vitest set-up: jsdom lacks a few browser APIs that antd uses.
import { afterEach } from 'vitest';
import { cleanup, configure } from '@testing-library/react';

// Lazy pages and antd are slow to load under jsdom on a busy 2-core machine.
configure({ asyncUtilTimeout: 5000 });

afterEach(() => cleanup());

if (!window.matchMedia) {
  Object.defineProperty(window, 'matchMedia', {
    writable: true,
    value: (query: string) => ({
      matches: false,
      media: query,
      onchange: null,
      addListener: () => undefined,
      removeListener: () => undefined,
      addEventListener: () => undefined,
      removeEventListener: () => undefined,
      dispatchEvent: () => false,
    }),
  });
}

if (!('ResizeObserver' in window)) {
  class ResizeObserver {
    observe() {}
    unobserve() {}
    disconnect() {}
  }
  Object.defineProperty(window, 'ResizeObserver', { writable: true, value: ResizeObserver });
}

// antd measures scrollbars through getComputedStyle with a pseudo-element, which jsdom warns about.
const realGetComputedStyle = window.getComputedStyle.bind(window);
window.getComputedStyle = ((elt: Element) => realGetComputedStyle(elt)) as typeof window.getComputedStyle;
