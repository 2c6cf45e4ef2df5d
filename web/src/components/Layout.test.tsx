import { render } from '@testing-library/react';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Provider } from 'react-redux';
import { MemoryRouter, Route, Routes } from 'react-router';
import { describe, expect, it } from 'vitest';
import { makeStore } from '../store';
import { Layout, PageLoading } from './Layout';

// index.html paints a copy of the header and of the loading placeholder before any script runs;
// if the two drift apart, the page jumps when React takes over.
const shell = new DOMParser()
  .parseFromString(readFileSync(resolve(__dirname, '../../index.html'), 'utf8'), 'text/html')
  .querySelector('[data-shell]')!;

function renderApp() {
  return render(
    <Provider store={makeStore()}>
      <MemoryRouter initialEntries={['/login']}>
        <Routes>
          <Route element={<Layout />}>
            <Route path="login" element={<PageLoading />} />
          </Route>
        </Routes>
      </MemoryRouter>
    </Provider>,
  );
}

describe('the prerendered shell in index.html', () => {
  it('is the layout the app renders: same boxes, same classes, same brand link', () => {
    const { container } = renderApp();
    const app = container.firstElementChild!;
    expect(shell.className).toBe(app.className);
    for (const selector of ['header', 'header > nav', 'main']) {
      expect(shell.querySelector(selector)?.className, selector).toBe(app.querySelector(selector)?.className);
    }
    const brand = (root: Element) => root.querySelector('nav > a[href="/"]')!;
    expect(brand(shell).className).toBe(brand(app).className);
    expect(brand(shell).textContent).toBe(brand(app).textContent);
  });

  it('shows the same placeholder as a page whose code is still loading', () => {
    const { container } = renderApp();
    const normalise = (html: string) => html.replace(/\s+/g, ' ').replace(/> </g, '><').trim();
    expect(normalise(shell.querySelector('main')!.innerHTML)).toBe(normalise(container.querySelector('main')!.innerHTML));
  });
});
