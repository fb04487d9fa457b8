import { useEffect } from 'react';

/**
 * react-admin puts a list row's "Select this row" label on the checkbox's wrapper (a span, where
 * ARIA forbids it) instead of on the input, so a screen reader announces an unlabelled checkbox.
 * This moves each such label onto its input, for the rows there are now and those rendered later.
 */
export function useRowCheckboxLabels(): void {
  useEffect(() => {
    const relabel = () => {
      for (const wrapper of document.querySelectorAll<HTMLElement>('.select-item[aria-label]')) {
        const input = wrapper.querySelector('input');
        const label = wrapper.getAttribute('aria-label');
        if (!input || !label) continue;
        input.setAttribute('aria-label', label);
        wrapper.removeAttribute('aria-label');
      }
    };
    relabel();
    const observer = new MutationObserver(relabel);
    observer.observe(document.body, {
      childList: true,
      subtree: true,
      attributes: true,
      attributeFilter: ['aria-label'],
    });
    return () => observer.disconnect();
  }, []);
}
