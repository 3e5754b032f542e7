/* attn-window-watch.c: the open files, watched; a banner offers to reload them
 *
 * Copyright 2026 The attnflow authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A document owns what it read, so a file changed, truncated or deleted on
 * disk changes nothing on screen (a re-export to the same path truncates and
 * rewrites it). The window watches each open document's files (the export and
 * its .npy files); when one changes, a banner says which and offers Reload.
 * When one is gone (deleted, or moved away), the banner says so instead, and
 * Reload waits for the file to come back.
 * The banner says that what you see is what was loaded only when the example
 * shown is of a file that changed: shown one of another file, it names the
 * file that changed, and says the example shown is from another file.
 * Reloading reads the file again and puts the new document where the old one
 * was, keeping the example (by id, else by index), the settings and the
 * selected node where they still apply. A reload that fails keeps the old
 * document and says why, in an error toast that goes when the file does
 * (the banner then says why it cannot be read).
 */

#include "config.h"

#include <glib/gi18n.h>

#include "attn-window-private.h"

typedef struct
{
  AttnDocument *document;    /* a ref */
  GPtrArray    *monitors;    /* GFileMonitor* */
  gboolean      changed;
  gboolean      gone;         /* @changed_path is no longer there */
  char         *changed_path; /* the first of its files that changed */
  /* the error toast of the last reload that failed, and what it said */
  AdwToast     *error_toast;
  char         *error_title;
} Watch;

static void
watch_free (Watch *watch)
{
  for (guint i = 0; i < watch->monitors->len; i++)
    g_file_monitor_cancel (g_ptr_array_index (watch->monitors, i));
  g_ptr_array_unref (watch->monitors);
  attn_document_unref (watch->document);
  g_free (watch->changed_path);
  g_clear_object (&watch->error_toast);
  g_free (watch->error_title);
  g_free (watch);
}

/* @path's last part, as messages name a file (attn_error_display_path()) */
static char *
display_basename (const char *path)
{
  g_autofree char *name = g_path_get_basename (path);

  return attn_error_display_path (name);
}

static Watch *
find_watch (AttnWindow   *self,
            AttnDocument *document)
{
  for (guint i = 0; i < self->watches->len; i++)
    {
      Watch *watch = g_ptr_array_index (self->watches, i);

      if (watch->document == document)
        return watch;
    }
  return NULL;
}

/* The banner's text for one document whose file @watch->changed_path
 * changed (the banner offers to reload it) or is gone (what it means, and
 * what can be done). When the example shown is of another file (@shown
 * FALSE), what is on screen is not what was loaded of it: the banner names
 * the file, and does not say that what you see is stale. */
static char *
one_file_text (Watch    *watch,
               gboolean  shown)
{
  g_autofree char *document = display_basename (attn_document_get_path (watch->document));
  g_autofree char *file = display_basename (watch->changed_path);
  gboolean itself = g_strcmp0 (watch->changed_path, attn_document_get_path (watch->document)) == 0;

  if (watch->gone && itself && shown)
    /* translators: a file name; the file was deleted or moved away after it was opened */
    return g_strdup_printf (_("“%s” was deleted or moved on disk. What you see is what was "
                              "loaded, and it stays open; to reload it, put the file back or "
                              "open it where it is now."), document);
  if (watch->gone && shown)
    /* translators: a .npy file name, then the export that names it */
    return g_strdup_printf (_("“%s”, read by “%s”, was deleted or moved on disk. What you see is "
                              "what was loaded, and it stays open; to reload it, put the file "
                              "back."), file, document);
  if (watch->gone && itself)
    /* translators: a file name; the file was deleted or moved away after it was
     * opened, and the example shown is of another open file */
    return g_strdup_printf (_("“%s” was deleted or moved on disk; it stays open as it was "
                              "loaded. The example shown is from another file."), document);
  if (watch->gone)
    /* translators: a .npy file name, then the export that names it (twice); the
     * example shown is of another open file */
    return g_strdup_printf (_("“%s”, read by “%s”, was deleted or moved on disk; “%s” stays open "
                              "as it was loaded. The example shown is from another file."),
                            file, document, document);
  if (itself && shown)
    /* translators: a file name; the banner offers to reload it */
    return g_strdup_printf (_("“%s” changed on disk. What you see is what was loaded."), document);
  if (shown)
    /* translators: a .npy file name, then the export that names it; the banner
     * offers to reload the export */
    return g_strdup_printf (_("“%s”, read by “%s”, changed on disk. What you see is what "
                              "was loaded."), file, document);
  if (itself)
    /* translators: a file name; the banner offers to reload it, and the example
     * shown is of another open file */
    return g_strdup_printf (_("“%s” changed on disk. The example shown is from another file."),
                            document);
  /* translators: a .npy file name, then the export that names it; the banner
   * offers to reload the export, and the example shown is of another open file */
  return g_strdup_printf (_("“%s”, read by “%s”, changed on disk. The example shown is from "
                            "another file."), file, document);
}

/* The banner's text for @n documents whose files changed, @n_gone of them
 * gone (all, none or some: each is said as it is); @shown: the example
 * shown is of one of them */
static char *
many_text (guint    n,
           guint    n_gone,
           gboolean shown)
{
  if (n_gone == n && shown)
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                         "%u open file was deleted or moved on disk. What you "
                                         "see is what was loaded, and it stays open.",
                                         "%u open files were deleted or moved on disk. What you "
                                         "see is what was loaded, and they stay open.", n), n);
  if (n_gone == n)
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                         "%u open file was deleted or moved on disk; it stays "
                                         "open as it was loaded. The example shown is from "
                                         "another file.",
                                         "%u open files were deleted or moved on disk; they stay "
                                         "open as they were loaded. The example shown is from "
                                         "another file.", n), n);
  /* some changed, some gone: not all “changed” (found by a user test), counted apart */
  if (n_gone > 0 && shown)
    /* translators: the open files changed or deleted (two or more), then how many of them
     * changed, and how many were deleted or moved */
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                         "%u open file changed or was deleted on disk (%u "
                                         "changed, %u deleted or moved). What you see is what "
                                         "was loaded.",
                                         "%u open files changed or were deleted on disk (%u "
                                         "changed, %u deleted or moved). What you see is what "
                                         "was loaded.", n), n, n - n_gone, n_gone);
  if (n_gone > 0)
    /* translators: as above; the example shown is of another open file */
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                         "%u open file changed or was deleted on disk (%u "
                                         "changed, %u deleted or moved). The example shown is "
                                         "from another file.",
                                         "%u open files changed or were deleted on disk (%u "
                                         "changed, %u deleted or moved). The example shown is "
                                         "from another file.", n), n, n - n_gone, n_gone);
  if (shown)
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                         "%u open file changed on disk. What you see is what "
                                         "was loaded.",
                                         "%u open files changed on disk. What you see is what "
                                         "was loaded.", n), n);
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                       "%u open file changed on disk. The example shown is from "
                                       "another file.",
                                       "%u open files changed on disk. The example shown is from "
                                       "another file.", n), n);
}

/*
 * _attn_window_update_banner:
 * The banner, for the documents whose files changed: what it says depends
 * on whether the example shown is of one of them. Reload is offered when
 * one of them can be read again (its file is there).
 */
void
_attn_window_update_banner (AttnWindow *self)
{
  AttnDocument *shown_document = self->current < self->entries->len
                                 ? g_array_index (self->entries, AttnWindowEntry, self->current).document
                                 : NULL;
  g_autofree char *text = NULL;
  Watch *first = NULL;
  guint n = 0, n_gone = 0;
  /* no example shown yet (a file being added): as if it were */
  gboolean shown = shown_document == NULL;

  for (guint i = 0; i < self->watches->len; i++)
    {
      Watch *watch = g_ptr_array_index (self->watches, i);

      if (!watch->changed)
        continue;
      if (n++ == 0)
        first = watch;
      if (watch->gone)
        n_gone++;
      if (watch->document == shown_document)
        shown = TRUE;
    }

  if (n == 1)
    text = one_file_text (first, shown);
  else if (n > 1)
    text = many_text (n, n_gone, shown);

  if (text != NULL)
    gtk_label_set_text (self->reload_label, text);
  gtk_info_bar_set_revealed (self->reload_bar, n > 0);
  gtk_widget_set_visible (GTK_WIDGET (self->reload_bar), n > 0);
  g_simple_action_set_enabled (G_SIMPLE_ACTION (g_action_map_lookup_action (G_ACTION_MAP (self),
                                                                            "reload")),
                               n > n_gone);
}

/* The error toast of @watch's reload that failed, if it still says that
 * error, is taken back: its file is gone, and the banner says so (the
 * error was of a file no longer there, “not valid JSON” under “deleted”). */
static void
withdraw_reload_error (AttnWindow *self,
                       Watch      *watch)
{
  if (watch->error_toast != NULL && watch->error_toast == attn_get_error_toast (self->toast_overlay) &&
      g_strcmp0 (adw_toast_get_title (watch->error_toast), watch->error_title) == 0)
    attn_toast_withdraw (self->toast_overlay, watch->error_toast);
  g_clear_object (&watch->error_toast);
  g_clear_pointer (&watch->error_title, g_free);
}

/* Marks @watch changed when its files differ from what its document read
 * (monitor events may come late: one from before a reload must not count),
 * and gone when one of its files is no longer there: that one is named, as
 * Reload could not read it. A file changed, then deleted, is gone. */
static void
check_watch (AttnWindow *self,
             Watch      *watch)
{
  const char * const *files = attn_document_get_files (watch->document);
  const char *path = NULL;
  gboolean was_gone = watch->changed && watch->gone;

  if (!attn_document_files_changed (watch->document, &path))
    {
      /* back as it was read (moved away, then back in place): nothing is
       * gone, nothing to reload */
      if (watch->changed)
        {
          watch->changed = watch->gone = FALSE;
          _attn_window_update_banner (self);
        }
      return;
    }
  watch->changed = TRUE;
  watch->gone = FALSE;
  for (guint i = 0; files[i] != NULL && !watch->gone; i++)
    if (!g_file_test (files[i], G_FILE_TEST_EXISTS))
      {
        watch->gone = TRUE;
        path = files[i];
      }
  g_free (watch->changed_path);
  watch->changed_path = g_strdup (path);
  if (watch->gone && !was_gone)
    withdraw_reload_error (self, watch);
  _attn_window_update_banner (self);
}

static void
file_changed_cb (GFileMonitor      *monitor,
                 GFile             *file,
                 GFile             *other,
                 GFileMonitorEvent  event,
                 AttnWindow        *self)
{
  Watch *watch = g_object_get_data (G_OBJECT (monitor), "attn-watch");

  if (event == G_FILE_MONITOR_EVENT_ATTRIBUTE_CHANGED ||
      event == G_FILE_MONITOR_EVENT_PRE_UNMOUNT || event == G_FILE_MONITOR_EVENT_UNMOUNTED)
    return;
  /* a file changed may go, a file gone may come back (or another file go) */
  if (watch != NULL)
    check_watch (self, watch);
}

/*
 * _attn_window_watch_document:
 * Watches the files @document was read from.
 */
void
_attn_window_watch_document (AttnWindow   *self,
                             AttnDocument *document)
{
  const char * const *files = attn_document_get_files (document);
  Watch *watch = g_new0 (Watch, 1);

  watch->document = attn_document_ref (document);
  watch->monitors = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; files[i] != NULL; i++)
    {
      g_autoptr(GFile) file = g_file_new_for_path (files[i]);
      GFileMonitor *monitor = g_file_monitor_file (file, G_FILE_MONITOR_WATCH_MOVES, NULL, NULL);

      if (monitor == NULL)
        continue;
      g_object_set_data (G_OBJECT (monitor), "attn-watch", watch);
      g_signal_connect_object (monitor, "changed", G_CALLBACK (file_changed_cb), self, 0);
      g_ptr_array_add (watch->monitors, monitor);
    }
  g_ptr_array_add (self->watches, watch);

  /* changed between the load and now */
  check_watch (self, watch);
}

/* The nodes selected in the examples of a reloaded file, given to its new
 * entries @first to @first + @n - 1 by example id (@remembered: id → a
 * copy of the old entry) */
static void
keep_selections (AttnWindow *self,
                 guint       first,
                 guint       n,
                 GHashTable *remembered)
{
  for (guint i = first; i < first + n; i++)
    {
      AttnWindowEntry *entry = &g_array_index (self->entries, AttnWindowEntry, i);
      const AttnWindowEntry *kept =
        g_hash_table_lookup (remembered, attn_example_get_id (attn_document_get_example (entry->document, entry->index)));

      if (kept != NULL)
        {
          entry->selected = TRUE;
          entry->layer = kept->layer;
          entry->position = kept->position;
          entry->sink = kept->sink;
        }
    }
}

/* Puts @document where @old was: its examples replace the old ones in the
 * picker, and the example shown, and its selected node, stay where they
 * still apply. */
static void
replace_document (AttnWindow   *self,
                  AttnDocument *old,
                  AttnDocument *document)
{
  AttnWindowEntry *shown = self->current < self->entries->len
                           ? &g_array_index (self->entries, AttnWindowEntry, self->current)
                           : NULL;
  gboolean was_shown = shown != NULL && shown->document == old;
  g_autofree char *shown_id = NULL;
  guint shown_index = 0, first = G_MAXUINT, n_old = 0, layer = 0, position = 0;
  gboolean selected = FALSE;
  int sink = -1;
  guint n;
  /* the nodes selected in the other examples, by id (the old document's) */
  g_autoptr(GHashTable) remembered = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_free);

  if (was_shown)
    {
      AttnExample *example = attn_document_get_example (old, shown->index);

      shown_id = g_strdup (attn_example_get_id (example));
      shown_index = shown->index;
      selected = attn_session_get_selection (self->session, &layer, &position, &sink);
    }

  /* a document's examples are one run of the picker */
  for (guint i = 0; i < self->entries->len; i++)
    if (g_array_index (self->entries, AttnWindowEntry, i).document == old)
      {
        AttnWindowEntry *entry = &g_array_index (self->entries, AttnWindowEntry, i);

        first = MIN (first, i);
        n_old++;
        if (entry->selected)
          g_hash_table_insert (remembered, (gpointer) attn_example_get_id (attn_document_get_example (old, entry->index)),
                               g_memdup2 (entry, sizeof *entry));
      }
  g_return_if_fail (first != G_MAXUINT);

  n = attn_document_get_n_examples (document);
  g_array_remove_range (self->entries, first, n_old);
  for (guint i = 0; i < n; i++)
    {
      AttnWindowEntry entry = { document, i };

      g_array_insert_val (self->entries, first + i, entry);
    }
  keep_selections (self, first, n, remembered);

  for (guint i = 0; i < self->documents->len; i++)
    if (g_ptr_array_index (self->documents, i) == old)
      {
        attn_document_unref (old);
        self->documents->pdata[i] = attn_document_ref (document);
      }

  self->updating_widgets = TRUE;
  if (self->current >= first + n_old)
    self->current = self->current - n_old + n;
  attn_example_picker_set_documents (self->example_picker, self->documents);
  self->updating_widgets = FALSE;

  if (!was_shown)
    {
      if (self->current < self->entries->len)
        attn_example_picker_set_selected (self->example_picker, self->current);
      return;
    }

  /* the same example: by id, else by index */
  {
    AttnExample *example = shown_id != NULL ? attn_document_find_example (document, shown_id, NULL)
                                            : NULL;
    guint index = example != NULL ? attn_example_get_index (example)
                                  : MIN (shown_index, n - 1);

    _attn_window_show_example (self, first + index);
    example = attn_document_get_example (document, index);
    if (selected && layer <= attn_example_get_n_layers (example) &&
        position < attn_example_get_n_tokens (example))
      attn_session_select (self->session, layer, position,
                           sink < (int) attn_example_get_n_tokens (example) ? sink : -1);
  }
}

typedef struct
{
  AttnWindow   *self;
  AttnDocument *old;
} Reload;

static void
reload_done_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  Reload *reload = user_data;
  AttnWindow *self = reload->self;
  g_autoptr(GError) error = NULL;
  g_autoptr(AttnDocument) document = attn_document_load_finish (result, &error);
  Watch *watch = find_watch (self, reload->old);

  self->n_loading--;
  if (watch != NULL)
    {
      if (document == NULL)
        {
          /* the old document stays, and so does the offer; the error
           * says what opening the file would (Details: the whole path) */
          watch->changed = TRUE;
          _attn_window_show_file_error (self, attn_document_get_path (reload->old), error->message);
          /* said until the file goes */
          g_set_object (&watch->error_toast, attn_get_error_toast (self->toast_overlay));
          g_free (watch->error_title);
          watch->error_title = g_strdup (adw_toast_get_title (watch->error_toast));
          /* gone meanwhile: the banner says so, and the error goes */
          check_watch (self, watch);
        }
      else
        {
          /* the error of a reload before no longer holds; a change after
           * the new document was read shows at once */
          withdraw_reload_error (self, watch);
          g_ptr_array_remove (self->watches, watch);
          replace_document (self, reload->old, document);
          _attn_window_show_warnings (self, document);
          _attn_window_watch_document (self, document);
        }
    }
  _attn_window_update_banner (self);
  _attn_window_update_progress (self);
  /* files given to open wait while a reload runs */
  _attn_window_open_pending (self);

  attn_document_unref (reload->old);
  g_object_unref (reload->self);
  g_free (reload);
}

static void
reload_activated_cb (GSimpleAction *action,
                     GVariant      *parameter,
                     gpointer       user_data)
{
  AttnWindow *self = user_data;

  for (guint i = 0; i < self->watches->len; i++)
    {
      Watch *watch = g_ptr_array_index (self->watches, i);
      Reload *reload;

      if (!watch->changed || watch->gone)
        continue; /* a file gone stays offered for when it is back */
      watch->changed = FALSE;
      reload = g_new0 (Reload, 1);
      reload->self = g_object_ref (self);
      reload->old = attn_document_ref (watch->document);
      self->n_loading++;
      attn_document_load_async (attn_document_get_path (watch->document), NULL, reload_done_cb,
                                reload);
    }
  _attn_window_update_banner (self);
  _attn_window_update_progress (self);
}

static void
reload_response_cb (GtkInfoBar *bar,
                    int         response,
                    AttnWindow *self)
{
  if (response == GTK_RESPONSE_CLOSE)
    {
      /* dismissed: the next change brings it back */
      for (guint i = 0; i < self->watches->len; i++)
        ((Watch *) g_ptr_array_index (self->watches, i))->changed = FALSE;
      _attn_window_update_banner (self);
    }
}

void
_attn_window_init_watch (AttnWindow *self)
{
  static const GActionEntry actions[] = {
    { "reload", reload_activated_cb, NULL, NULL, NULL, { 0 } },
  };
  GtkWidget *content = gtk_widget_get_parent (GTK_WIDGET (self->main_stack));
  GtkWidget *button;

  self->watches = g_ptr_array_new_with_free_func ((GDestroyNotify) watch_free);
  g_action_map_add_action_entries (G_ACTION_MAP (self), actions, G_N_ELEMENTS (actions), self);

  /* the banner, between the header bar and the content */
  self->reload_bar = GTK_INFO_BAR (gtk_info_bar_new ());
  gtk_info_bar_set_message_type (self->reload_bar, GTK_MESSAGE_INFO);
  gtk_info_bar_set_show_close_button (self->reload_bar, TRUE);
  self->reload_label = GTK_LABEL (gtk_label_new (NULL));
  attn_label_wrap_between_words (self->reload_label);
  gtk_widget_set_hexpand (GTK_WIDGET (self->reload_label), TRUE);
  gtk_label_set_xalign (self->reload_label, 0.f);
  gtk_info_bar_add_child (self->reload_bar, GTK_WIDGET (self->reload_label));
  button = gtk_info_bar_add_button (self->reload_bar, _("Reloa_d"), GTK_RESPONSE_ACCEPT);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (button), "win.reload");
  g_signal_connect (self->reload_bar, "response", G_CALLBACK (reload_response_cb), self);
  gtk_box_insert_child_after (GTK_BOX (content), GTK_WIDGET (self->reload_bar),
                              gtk_widget_get_prev_sibling (GTK_WIDGET (self->main_stack)));
  _attn_window_update_banner (self);
}

void
_attn_window_dispose_watch (AttnWindow *self)
{
  g_clear_pointer (&self->watches, g_ptr_array_unref);
}
