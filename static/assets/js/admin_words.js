// Palabre — back-office: the site-wide list of blocked words and patterns
// (docs/API.md "Blocked words", GET/PUT /api/word-filters). A question of
// any debate that matches one is flagged for its moderators, never dropped;
// each debate's moderators keep their own list in their console.

import * as api from './api.js';
import { $, announce } from './dom.js';
import { t } from './i18n.js';

function lines(text) {
  return text.split('\n').map((l) => l.trim()).filter(Boolean);
}

/** Reads the list (once the admin is signed in). */
export async function loadSiteWords() {
  try {
    const res = await api.get('word-filters');
    $('#site-words').value = (res.items || []).map((i) => i.pattern).join('\n');
    $('#site-words-error').textContent = '';
  } catch (err) {
    $('#site-words-error').textContent = t('admin.words_load_failed');
  }
}

async function save(e) {
  e.preventDefault();
  const button = $('#site-words-save');
  const error = $('#site-words-error');
  error.textContent = '';
  button.disabled = true;
  try {
    const items = lines($('#site-words').value).map((pattern) => ({ pattern, lang: '' }));
    // Replacing the whole list is the same change when sent again.
    const res = await api.put('word-filters', { items });
    $('#site-words').value = (res.items || []).map((i) => i.pattern).join('\n');
    announce(t('admin.words_saved', { n: (res.items || []).length }), 'ok');
  } catch (err) {
    error.textContent = err.message || t('admin.words_save_failed');
    $('#site-words').focus();
  } finally {
    button.disabled = false;
  }
}

export function wireSiteWords() {
  $('#site-words-form').addEventListener('submit', save);
}
