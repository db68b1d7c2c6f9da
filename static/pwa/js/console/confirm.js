// A confirmation dialog for an action that is hard to take back (erase a resident, undo an
// import): it says what will happen, runs the action on the coordinator's click, and keeps
// itself open with the reason when the server refuses.
import { h } from '../ui.js';
import { errorText, t } from './common.js';

export function confirmDialog({ id, title, text, confirm, work, message = errorText }) {
  const error = h('div', { class: 'error', role: 'alert', id: `${id}-error` });
  const go = h('button', { type: 'button', class: 'danger', id: `${id}-confirm`, text: confirm });
  const dialog = h('dialog', { id, 'aria-labelledby': `${id}-title`, 'aria-describedby': `${id}-text` },
    h('h2', { id: `${id}-title`, text: title }),
    h('div', { id: `${id}-text` }, [text].flat().map((line) => h('p', { text: line }))),
    error,
    h('div', { class: 'actions' }, go,
      h('button', { type: 'button', class: 'secondary', text: t('con.cancel'), onclick: () => dialog.close() })));
  go.addEventListener('click', async () => {
    go.disabled = true;
    error.replaceChildren();
    try {
      await work();
      dialog.close();
    } catch (failure) {
      const shown = message(failure);
      error.replaceChildren(...(shown instanceof Node ? [shown] : [h('p', { text: shown })]));
      go.disabled = false;
    }
  });
  dialog.addEventListener('close', () => dialog.remove());
  document.body.append(dialog);
  dialog.showModal();
  return dialog;
}
