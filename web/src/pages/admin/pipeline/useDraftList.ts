// The editing state of a list of settings rows saved with one PUT (the gate items, the lost
// reasons): load into drafts, edit rows locally (dirty against the last load), show problems on the
// rows the user touched (on every row once a save was tried), send the PUT, map a 422 on
// `items[i]` back to its row, reload after a save or a discard.
import { useCallback, useEffect, useMemo, useState } from 'react';
import { App as AntApp } from 'antd';
import { useI18n, type MessageKey } from '../../../i18n';
import { describeError } from '../../../api/errors';
import { rowErrors, type Problem } from './config';

/** Pass a spec defined once (module level), not a new object each render. */
export interface DraftListSpec<D extends { key: string }, B> {
  /** GET, turned into drafts. */
  fetch: () => Promise<D[]>;
  /** Equal for drafts that would send the same body. */
  fingerprint: (drafts: readonly D[]) => string;
  /** What the server would refuse, by row key. */
  problemsOf: (drafts: readonly D[]) => Map<string, Problem>;
  /** The PUT body and the row key of each of its entries. */
  toBody: (drafts: readonly D[]) => { body: B; keys: string[] };
  put: (body: B) => Promise<unknown>;
  /** Why the list as a whole is refused (shown as a message; nothing is sent), else null. */
  refuse?: (drafts: readonly D[]) => MessageKey | null;
}

export function useDraftList<D extends { key: string }, B>(spec: DraftListSpec<D, B>) {
  const { t } = useI18n();
  const { message } = AntApp.useApp();
  const [drafts, setDrafts] = useState<D[] | null>(null);
  const [savedPrint, setSavedPrint] = useState('');
  const [loadError, setLoadError] = useState<string | null>(null);
  const [saveError, setSaveError] = useState<string | null>(null);
  const [serverRows, setServerRows] = useState<Map<string, string[]>>(new Map());
  const [saving, setSaving] = useState(false);
  const [touched, setTouched] = useState<Set<string>>(new Set());
  const [tried, setTried] = useState(false);

  const load = useCallback(async () => {
    setLoadError(null);
    try {
      const next = await spec.fetch();
      setDrafts(next);
      setSavedPrint(spec.fingerprint(next));
      setServerRows(new Map());
      setSaveError(null);
      setTouched(new Set());
      setTried(false);
    } catch (e) {
      setLoadError(describeError(e, t));
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  useEffect(() => {
    void load();
  }, [load]);

  const problems = useMemo(() => spec.problemsOf(drafts ?? []), [drafts, spec]);
  const dirty = drafts !== null && spec.fingerprint(drafts) !== savedPrint;

  /** Changes the list as the row `key` was edited (its server error goes; it counts as touched). */
  const edit = (key: string, next: (list: D[]) => D[]) => {
    setDrafts((list) => (list ? next(list) : list));
    setTouched((keys) => (keys.has(key) ? keys : new Set(keys).add(key)));
    if (serverRows.has(key)) {
      const rest = new Map(serverRows);
      rest.delete(key);
      setServerRows(rest);
    }
  };

  /** Appends a row (not touched: its problems show once a save is tried). */
  const append = (draft: D) => setDrafts((list) => (list ? [...list, draft] : list));

  /** Problems to show on a row: once touched, or on every row after a save was tried. */
  const shownProblem = (key: string) => (tried || touched.has(key) ? problems.get(key) : null);

  const save = async () => {
    if (!drafts) return;
    setTried(true);
    if (problems.size > 0) {
      message.error(t('pipeline.admin.fixFirst', { n: problems.size }));
      return;
    }
    const refusal = spec.refuse?.(drafts);
    if (refusal) {
      message.error(t(refusal));
      return;
    }
    const { body, keys } = spec.toBody(drafts);
    setSaving(true);
    setSaveError(null);
    try {
      await spec.put(body);
      message.success(t('common.saved'));
      await load();
    } catch (e) {
      const { rows, general } = rowErrors(e, keys);
      setServerRows(rows);
      const text = describeError(e, t);
      setSaveError(general.length ? `${text} ${general.join('; ')}` : rows.size ? t('pipeline.admin.rowsRefused', { n: rows.size }) : text);
    } finally {
      setSaving(false);
    }
  };

  return { drafts, loadError, saveError, serverRows, saving, dirty, load, edit, append, shownProblem, save };
}
