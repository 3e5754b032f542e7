/* attn-window-open.c: opening files, the bundled examples and the example picker
 *
 * Copyright 2026 The attnflow authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "attn-evaluation-window.h"
#include "attn-window-private.h"

/* How many recent files the arrow beside Open lists */
#define MAX_RECENT_FILES 10

/* The application the files it opens are registered under among the recent
 * files (not the translated display name): the list shows only these */
#define RECENT_APP_NAME "attnflow"

/* The example shown */

void
_attn_window_show_example (AttnWindow *self,
                           guint       index)
{
  g_autoptr(AttnGraphSettings) settings = NULL;
  AttnWindowEntry *entry;
  AttnExample *example;
  gboolean switching;

  if (index >= self->entries->len)
    return;
  switching = self->current != index;
  /* the node of the example left, kept with it (a reload has replaced the
   * entries under the one shown: then that entry is another example's) */
  if (switching && self->current < self->entries->len)
    {
      AttnWindowEntry *left = &g_array_index (self->entries, AttnWindowEntry, self->current);

      if (attn_document_get_example (left->document, left->index) == attn_session_get_example (self->session))
        left->selected = attn_session_get_selection (self->session, &left->layer, &left->position, &left->sink);
    }
  entry = &g_array_index (self->entries, AttnWindowEntry, index);
  example = attn_document_get_example (entry->document, entry->index);
  self->current = index;

  attn_example_picker_set_selected (self->example_picker, index);
  gtk_stack_set_visible_child_name (self->main_stack, "graph");
  attn_graph_view_set_example (self->graph_view, example);

  /* a heads list that fits one model may not fit the next */
  settings = _attn_window_graph_settings_for (self, example);
  attn_session_set_example (self->session, example, settings);
  /* back to an example: its node again (switching lost it; found by QA) */
  if (switching && entry->selected && entry->layer <= attn_example_get_n_layers (example) &&
      entry->position < attn_example_get_n_tokens (example))
    attn_session_select (self->session, entry->layer, entry->position, entry->sink);
  _attn_window_update_actions (self);
  _attn_window_update_layer_spins (self);
  /* whether what it shows is of a file changed on disk */
  _attn_window_update_banner (self);
}

/* What the loader said of @document's file that did not stop it (rows that
 * did not sum to 1, renormalised, …): a toast each, naming the file. Opening
 * and reloading a file say it alike (a reload said nothing). */
void
_attn_window_show_warnings (AttnWindow   *self,
                            AttnDocument *document)
{
  const char * const *warnings = attn_document_get_warnings (document);

  for (guint i = 0; warnings != NULL && warnings[i] != NULL; i++)
    {
      g_autofree char *message = attn_toast_file_message (attn_document_get_path (document),
                                                          warnings[i]);

      _attn_window_show_toast (self, message);
    }
}

static void
add_document (AttnWindow   *self,
              AttnDocument *document,
              gboolean      show)
{
  guint first = self->entries->len;

  g_ptr_array_add (self->documents, attn_document_ref (document));
  for (guint i = 0; i < attn_document_get_n_examples (document); i++)
    {
      AttnWindowEntry entry = { document, i };

      g_array_append_val (self->entries, entry);
    }
  /* every title again: a second file of the same name tells both apart by folder */
  attn_example_picker_set_documents (self->example_picker, self->documents);
  _attn_window_show_warnings (self, document);
  _attn_window_watch_document (self, document);
  _attn_window_update_actions (self);

  if (show || attn_session_get_example (self->session) == NULL)
    _attn_window_show_example (self, first);
}

/* The load queue: one file after the other, so examples keep their order */

typedef struct
{
  AttnWindow *self;
  GFile      *file;
  gboolean    show;
  guint       batch;      /* of the files given together, or 0 */
} LoadData;

static void
load_data_free (LoadData *data)
{
  g_object_unref (data->self);
  g_object_unref (data->file);
  g_free (data);
}

/* A file waiting its turn, and whether to show its first example */
typedef struct
{
  GFile   *file;
  gboolean show;
  guint    batch;
} Pending;

static void
pending_free (Pending *pending)
{
  g_object_unref (pending->file);
  g_free (pending);
}

static void
add_pending (AttnWindow *self,
             GFile      *file,
             gboolean    show,
             guint       batch)
{
  Pending *pending = g_new0 (Pending, 1);

  pending->file = g_object_ref (file);
  pending->show = show;
  pending->batch = batch;
  self->pending_files = g_list_append (self->pending_files, pending);
}

/* Opens the files waiting, one after the other: each starts when nothing
 * else loads, so their examples come in the order given */
void
_attn_window_open_pending (AttnWindow *self)
{
  while (self->pending_files != NULL && self->n_loading == 0)
    {
      Pending *pending = self->pending_files->data;

      self->pending_files = g_list_delete_link (self->pending_files, self->pending_files);
      self->opening_batch = pending->batch;
      _attn_window_open_file (self, pending->file, pending->show);
      self->opening_batch = 0;
      pending_free (pending);
    }
}

/* A file of @batch that could not be opened: its error toast, or when the
 * error toast shown is of other files given with it, one toast for them all
 * whose Details list each (each replaced the one before: of `attnflow
 * bad.json missing.json` only the second was seen). A file opened on its
 * own (@batch 0) takes the place of the error before, as other errors do. */
static void
show_open_error (AttnWindow *self,
                 guint       batch,
                 const char *path,
                 const char *message)
{
  AdwToast *shown = attn_get_error_toast (self->toast_overlay);
  guint n;

  if (batch == 0 || batch != self->open_errors_batch || shown == NULL || shown != self->open_error_toast)
    g_ptr_array_set_size (self->open_errors, 0);
  self->open_errors_batch = batch;
  g_ptr_array_add (self->open_errors, attn_toast_file_details (path, message));
  n = self->open_errors->len;
  if (n == 1)
    _attn_window_show_file_error (self, path, message);
  else
    {
      g_autofree char *summary = NULL;
      g_autofree char *details = NULL;

      g_ptr_array_add (self->open_errors, NULL);
      details = g_strjoinv ("\n\n", (char **) self->open_errors->pdata);
      g_ptr_array_set_size (self->open_errors, n);
      /* translators: files opened together (command line, drop, Open); Details lists them */
      summary = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u file could not be opened",
                                              "%u files could not be opened", n), n);
      /* the toast shown says it, rather than give way to another (four
       * in a row crashed libadwaita 1.2) */
      attn_toast_update (shown, summary, details, ATTN_TOAST_SECONDS);
      attn_set_string (&self->last_message, summary);
    }
  g_set_object (&self->open_error_toast, attn_get_error_toast (self->toast_overlay));
}

/* Lists @file among the recent files, as opened by this app */
static void
add_recent (GFile *file)
{
  g_autofree char *uri = g_file_get_uri (file);
  GtkRecentData data = {
    .mime_type = (char *) "application/json",
    .app_name = (char *) RECENT_APP_NAME,
    .app_exec = (char *) "attnflow %u",
  };

  gtk_recent_manager_add_full (gtk_recent_manager_get_default (), uri, &data);
}

static void
load_done_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  LoadData *data = user_data;
  AttnWindow *self = data->self;
  g_autoptr(GError) error = NULL;
  g_autoptr(AttnDocument) document = attn_document_load_finish (result, &error);

  self->n_loading--;
  if (document == NULL)
    {
      g_autofree char *path = g_file_get_path (data->file);

      /* the loader's message names the example and the field; the toast, the file */
      show_open_error (self, data->batch, path, error->message);
      /* the file to show could not be: the next one given is shown */
      if (data->show && self->pending_files != NULL)
        ((Pending *) self->pending_files->data)->show = TRUE;
      if (attn_session_get_example (self->session) == NULL && self->n_loading == 0)
        gtk_stack_set_visible_child_name (self->main_stack, "empty");
    }
  else
    {
      add_recent (data->file);
      add_document (self, document, data->show);
    }
  _attn_window_update_progress (self);
  load_data_free (data);
  _attn_window_open_pending (self);
}

void
_attn_window_open_file (AttnWindow *self,
                        GFile      *file,
                        gboolean    show)
{
  g_autofree char *path = g_file_get_path (file);
  g_autofree char *name = NULL;
  LoadData *data;

  if (path == NULL)
    {
      g_autofree char *uri = g_file_get_uri (file);
      g_autofree char *message = g_strdup_printf (_("“%s” is not a local file"), uri);

      show_open_error (self, self->opening_batch, NULL, message);
      return;
    }

  /* already open: just show it */
  for (guint i = 0; i < self->entries->len; i++)
    {
      AttnWindowEntry *entry = &g_array_index (self->entries, AttnWindowEntry, i);

      if (g_strcmp0 (attn_document_get_path (entry->document), path) == 0)
        {
          if (show)
            _attn_window_show_example (self, i);
          return;
        }
    }

  data = g_new0 (LoadData, 1);
  data->self = g_object_ref (self);
  data->file = g_object_ref (file);
  data->show = show;
  data->batch = self->opening_batch;
  self->n_loading++;
  g_free (self->loading_name);
  name = g_path_get_basename (path);
  self->loading_name = attn_error_display_path (name);
  _attn_window_update_progress (self);
  attn_document_load_async (path, NULL, load_done_cb, data);
}

void
attn_window_open_file (AttnWindow *self,
                       GFile      *file)
{
  g_return_if_fail (ATTN_IS_WINDOW (self));
  g_return_if_fail (G_IS_FILE (file));

  _attn_window_open_file (self, file, TRUE);
}

/**
 * attn_window_open_files:
 * @files: (array length=n_files): the files, in the order given
 *
 * Opens @files one after the other (the command line, a drop, the Open
 * dialog), so their examples are listed in that order, and shows the first
 * file's first example (or, when it cannot be opened, the next file's). They
 * loaded all at once: the examples came in the order the files finished
 * loading, and the slowest file's was shown.
 */
void
attn_window_open_files (AttnWindow *self,
                        GFile     **files,
                        guint       n_files)
{
  g_return_if_fail (ATTN_IS_WINDOW (self));
  g_return_if_fail (files != NULL || n_files == 0);

  self->n_batches++;
  for (guint i = 0; i < n_files; i++)
    add_pending (self, files[i], i == 0, self->n_batches);
  _attn_window_open_pending (self);
}

/* The bundled examples */

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return strcmp (*(char * const *) a, *(char * const *) b);
}

/**
 * attn_window_open_bundled:
 *
 * Opens the bundled real examples (BERT-base first), from the folder
 * `examples` of the data directory (attn_install_get_data_dir()), and
 * shows the first (those open already are not opened again).
 */
void
attn_window_open_bundled (AttnWindow *self)
{
  g_autofree char *datadir = attn_install_get_data_dir ();
  g_autofree char *dir = g_build_filename (datadir, "examples", NULL);
  g_autoptr(GDir) handle = NULL;
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  const char *name;

  g_return_if_fail (ATTN_IS_WINDOW (self));

  if ((handle = g_dir_open (dir, 0, NULL)) == NULL)
    {
      _attn_window_show_toast (self, _("The bundled examples were not found"));
      /* asked for from the Open menu, an example shown stays */
      if (attn_session_get_example (self->session) == NULL && self->n_loading == 0)
        gtk_stack_set_visible_child_name (self->main_stack, "empty");
      return;
    }
  while ((name = g_dir_read_name (handle)) != NULL)
    if (g_str_has_suffix (name, ".json"))
      g_ptr_array_add (names, g_strdup (name));
  g_ptr_array_sort (names, compare_names);
  self->n_batches++;

  /* one after the other, so the examples keep their order (BERT-base first) */
  for (guint i = 0; i < names->len; i++)
    {
      g_autofree char *path = g_build_filename (dir, g_ptr_array_index (names, i), NULL);
      g_autoptr(GFile) file = g_file_new_for_path (path);

      add_pending (self, file, i == 0, self->n_batches);
    }
  _attn_window_open_pending (self);
}

/* Recent files and drag and drop */

/* The most recent first, by when this app last opened them */
static int
compare_recent (gconstpointer a,
                gconstpointer b)
{
  GtkRecentInfo *info_a = *(GtkRecentInfo **) a;
  GtkRecentInfo *info_b = *(GtkRecentInfo **) b;
  GDateTime *stamp_a = NULL;
  GDateTime *stamp_b = NULL;

  gtk_recent_info_get_application_info (info_a, RECENT_APP_NAME, NULL, NULL, &stamp_a);
  gtk_recent_info_get_application_info (info_b, RECENT_APP_NAME, NULL, NULL, &stamp_b);
  return -g_date_time_compare (stamp_a, stamp_b);
}

/* The name of the file @info lists, in the file system's encoding (GTK's
 * display name has U+FFFD for a byte that is not UTF-8) */
static char *
recent_basename (GtkRecentInfo *info)
{
  g_autoptr(GFile) file = g_file_new_for_uri (gtk_recent_info_get_uri (info));

  return g_file_get_basename (file);
}

/* The folder of @file, “~” for the home folder, as the app shows a file's
 * name (attn_text_from_file_name()) */
static char *
recent_folder (GFile *file)
{
  g_autoptr(GFile) parent = g_file_get_parent (file);
  g_autofree char *folder = parent != NULL ? g_file_get_path (parent) : g_strdup ("/");
  const char *home = g_get_home_dir ();
  gsize home_length = strlen (home);

  if (folder == NULL)
    {
      /* not a local file: its parse name is UTF-8 */
      g_autofree char *parse_name = g_file_get_parse_name (parent);

      return attn_text_from_file (parse_name);
    }
  if (home_length > 1 && g_str_has_prefix (folder, home) &&
      (folder[home_length] == '\0' || folder[home_length] == G_DIR_SEPARATOR))
    {
      g_autofree char *rest = g_strconcat ("~", folder + home_length, NULL);

      return attn_text_from_file_name (rest);
    }
  return attn_text_from_file_name (folder);
}

/* The file's name, and where two of the files listed have the same name,
 * the folder it is in; both as the app shows a file's name
 * (attn_text_from_file_name(): “ok\u202eevil.json”, “caf\xe9.json”, as the
 * example picker and attnflow-cli show it) */
static char *
recent_label (GtkRecentInfo *info,
              GHashTable    *name_counts)
{
  g_autofree char *name = recent_basename (info);
  g_autofree char *shown = attn_text_from_file_name (name);
  g_autoptr(GFile) file = NULL;
  g_autofree char *shown_folder = NULL;

  if (GPOINTER_TO_UINT (g_hash_table_lookup (name_counts, name)) < 2)
    return g_steal_pointer (&shown);
  file = g_file_new_for_uri (gtk_recent_info_get_uri (info));
  shown_folder = recent_folder (file);
  /* TRANSLATORS: a recent file's name, then the folder it is in */
  return g_strdup_printf (_("%s — %s"), shown, shown_folder);
}

/* The JSON files this app opened, that are still there */
static void
update_recent_menu (AttnWindow *self)
{
  GList *items = gtk_recent_manager_get_items (gtk_recent_manager_get_default ());
  g_autoptr(GPtrArray) shown = g_ptr_array_new ();
  g_autoptr(GHashTable) name_counts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  g_menu_remove_all (self->recent_menu);
  for (GList *l = items; l != NULL; l = l->next)
    {
      GtkRecentInfo *info = l->data;

      if (gtk_recent_info_has_application (info, RECENT_APP_NAME) &&
          g_str_has_suffix (gtk_recent_info_get_uri (info), ".json") &&
          gtk_recent_info_exists (info))
        g_ptr_array_add (shown, info);
    }
  g_ptr_array_sort (shown, compare_recent);
  g_ptr_array_set_size (shown, MIN (shown->len, MAX_RECENT_FILES));
  for (guint i = 0; i < shown->len; i++)
    {
      char *name = recent_basename (g_ptr_array_index (shown, i));
      guint n = GPOINTER_TO_UINT (g_hash_table_lookup (name_counts, name));

      g_hash_table_insert (name_counts, name, GUINT_TO_POINTER (n + 1));
    }
  for (guint i = 0; i < shown->len; i++)
    {
      GtkRecentInfo *info = g_ptr_array_index (shown, i);
      g_autofree char *label = recent_label (info, name_counts);
      g_autoptr(GMenuItem) item = g_menu_item_new (label, NULL);

      g_menu_item_set_action_and_target (item, "win.open-recent", "s", gtk_recent_info_get_uri (info));
      g_menu_append_item (self->recent_menu, item);
    }
  if (shown->len == 0)
    {
      g_autoptr(GMenuItem) item = g_menu_item_new (_("No Recent Files"), "win.none");
      g_menu_append_item (self->recent_menu, item);
    }
  g_list_free_full (items, (GDestroyNotify) gtk_recent_info_unref);
}

static void
recent_changed_cb (GtkRecentManager *manager,
                   AttnWindow       *self)
{
  update_recent_menu (self);
}

static gboolean
drop_cb (GtkDropTarget *target,
         const GValue  *value,
         double         x,
         double         y,
         AttnWindow    *self)
{
  g_autoptr(GPtrArray) array = g_ptr_array_new ();

  if (!G_VALUE_HOLDS (value, GDK_TYPE_FILE_LIST))
    return FALSE;
  for (GSList *l = g_value_get_boxed (value); l != NULL; l = l->next)
    g_ptr_array_add (array, l->data);
  attn_window_open_files (self, (GFile **) array->pdata, array->len);
  return array->len > 0;
}

static void
example_selected_cb (AttnExamplePicker *picker,
                     GParamSpec        *pspec,
                     AttnWindow        *self)
{
  guint selected = attn_example_picker_get_selected (picker);

  if (self->updating_widgets)
    return;
  if (selected != GTK_INVALID_LIST_POSITION && selected != self->current)
    _attn_window_show_example (self, selected);
}

void
_attn_window_init_open (AttnWindow *self)
{
  g_autoptr(GMenu) open_menu = NULL;
  g_autoptr(GMenu) bundled = NULL;
  GtkDropTarget *drop;

  self->documents = g_ptr_array_new_with_free_func ((GDestroyNotify) attn_document_unref);
  self->open_errors = g_ptr_array_new_with_free_func (g_free);
  self->entries = g_array_new (FALSE, FALSE, sizeof (AttnWindowEntry));

  /* the example picker, searched by file name, id, text and tokens */
  g_signal_connect (self->example_picker, "notify::selected", G_CALLBACK (example_selected_cb), self);

  /* recent files, then the bundled examples */
  self->recent_menu = g_menu_new ();
  open_menu = g_menu_new ();
  g_menu_append_section (open_menu, NULL, G_MENU_MODEL (self->recent_menu));
  bundled = g_menu_new ();
  g_menu_append (bundled, _("Open Bundled Examples"), "win.open-bundled");
  g_menu_append_section (open_menu, NULL, G_MENU_MODEL (bundled));
  adw_split_button_set_menu_model (self->open_button, G_MENU_MODEL (open_menu));
  /* its arrow, an icon only, named for assistive technologies as the main
   * menu's button is (libadwaita 1.2 gives it its tooltip only) */
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->open_button)); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (GTK_IS_MENU_BUTTON (child))
      gtk_accessible_update_property (GTK_ACCESSIBLE (child), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      _("Recent Files"), -1);
  update_recent_menu (self);
  g_signal_connect (gtk_recent_manager_get_default (), "changed", G_CALLBACK (recent_changed_cb), self);

  /* drag and drop */
  drop = gtk_drop_target_new (GDK_TYPE_FILE_LIST, GDK_ACTION_COPY);
  g_signal_connect (drop, "drop", G_CALLBACK (drop_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (drop));
}

void
_attn_window_dispose_open (AttnWindow *self)
{
  g_list_free_full (g_steal_pointer (&self->pending_files), (GDestroyNotify) pending_free);
  g_clear_pointer (&self->open_errors, g_ptr_array_unref);
  g_clear_object (&self->open_error_toast);
  g_signal_handlers_disconnect_by_data (gtk_recent_manager_get_default (), self);
  g_clear_object (&self->recent_menu);
  g_clear_pointer (&self->documents, g_ptr_array_unref);
  g_clear_pointer (&self->entries, g_array_unref);
}

/* Whether @child was made from @self's open documents as they are now */
static gboolean
made_from_documents (AttnWindow *self,
                     GtkWindow  *child)
{
  GPtrArray *documents = g_object_get_data (G_OBJECT (child), "attn-window-documents");

  if (documents == NULL || documents->len != self->documents->len)
    return FALSE;
  for (guint i = 0; i < documents->len; i++)
    if (g_ptr_array_index (documents, i) != g_ptr_array_index (self->documents, i))
      return FALSE;
  return TRUE;
}

/**
 * _attn_window_present_child:
 * @self: the main window
 * @type: the type of window: Compare or Evaluation
 * @create: makes one, from @self's open documents
 *
 * Presents the window of @type over @self, one to a main window, as GNOME
 * apps do (Ctrl+M and Ctrl+E opened another each time); one made before a
 * file was opened or reloaded, whose files are not those open, is closed
 * and made anew.
 *
 * Returns: (transfer none): the window presented
 */
GtkWindow *
_attn_window_present_child (AttnWindow  *self,
                            GType        type,
                            GtkWindow *(*create) (AttnWindow *self))
{
  GList *toplevels = gtk_window_list_toplevels ();
  GtkWindow *child = NULL;

  for (GList *l = toplevels; l != NULL && child == NULL; l = l->next)
    if (G_TYPE_CHECK_INSTANCE_TYPE (l->data, type) && gtk_window_get_transient_for (l->data) == GTK_WINDOW (self))
      child = l->data;
  g_list_free (toplevels);
  if (child != NULL && !made_from_documents (self, child))
    g_clear_pointer (&child, gtk_window_destroy);
  if (child == NULL)
    {
      GPtrArray *documents = g_ptr_array_new_with_free_func ((GDestroyNotify) attn_document_unref);

      for (guint i = 0; i < self->documents->len; i++)
        g_ptr_array_add (documents, attn_document_ref (g_ptr_array_index (self->documents, i)));
      child = create (self);
      g_object_set_data_full (G_OBJECT (child), "attn-window-documents", documents,
                              (GDestroyNotify) g_ptr_array_unref);
    }
  gtk_window_present (child);
  return child;
}
