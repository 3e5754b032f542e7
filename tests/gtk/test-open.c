/* test-open.c: several files opened at once (the command line, a drop, the
 * Open dialog): their order, the example shown, and every error seen
 *
 * Copyright 2026 The attnflow authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <adwaita.h>
#include <errno.h>
#include <glib/gstdio.h>
#include <string.h>

#include "attn-compare-window.h"
#include "attn-window-private.h"

#include "attn-test-util.h"
#include "gtk-test-util.h"

static char *folder;

/* A file of one example @id: one layer, one head, 3 tokens */
static char *
write_tiny (const char *name,
            const char *id)
{
  char *path = g_build_filename (folder, name, NULL);
  g_autofree char *text = g_strdup_printf ("{\"format\": \"attnflow\", \"version\": 1, \"examples\": "
                                           "[{\"id\": \"%s\", \"tokens\": [\"[CLS]\", \"cat\", \"[SEP]\"], "
                                           "\"attention\": [[[[0.5, 0.25, 0.25], [0.25, 0.5, 0.25], "
                                           "[0.25, 0.25, 0.5]]]]}]}", id);

  g_assert_true (g_file_set_contents (path, text, -1, NULL));
  return path;
}

static gboolean
loaded (gpointer window)
{
  return attn_window_get_n_loading (window) == 0 && !attn_window_is_busy (window);
}

static AttnWindow *
open_files (const char * const *paths,
            guint               n)
{
  AttnWindow *window = attn_window_new (NULL);
  g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func (g_object_unref);

  for (guint i = 0; i < n; i++)
    g_ptr_array_add (files, g_file_new_for_path (paths[i]));
  gtk_window_set_default_size (GTK_WINDOW (window), 1000, 700);
  gtk_window_present (GTK_WINDOW (window));
  attn_window_open_files (window, (GFile **) files->pdata, files->len);
  attn_gtk_test_wait_until (loaded, window);
  return window;
}

/* A small file, a large one (6 MB, slower to load), a small one: the
 * examples in that order and the first file's shown. They loaded all at
 * once: the second small file came before the large one, whose example was
 * shown (found by QA). */
static void
test_order (void)
{
  g_autofree char *first = write_tiny ("first.json", "first");
  g_autofree char *last = write_tiny ("last.json", "last");
  g_autofree char *large = g_test_build_filename (G_TEST_DIST, "..", "data", "examples",
                                                  "pronouns-minilm.json", NULL);
  const char *paths[] = { first, large, last };
  AttnWindow *window = open_files (paths, G_N_ELEMENTS (paths));
  g_autoptr(AttnDocument) document = attn_document_load (large, NULL, NULL);
  guint n_large = attn_document_get_n_examples (document);
  guint n = attn_window_get_n_examples (window);

  attn_gtk_test_wait_idle (window);
  g_assert_cmpuint (n, ==, n_large + 2);
  g_assert_cmpstr (attn_example_get_id (attn_window_get_example (window)), ==, "first");
  attn_window_set_example (window, 1);
  g_assert_cmpstr (attn_example_get_id (attn_window_get_example (window)), ==,
                   attn_example_get_id (attn_document_get_example (document, 0)));
  attn_window_set_example (window, n - 1);
  g_assert_cmpstr (attn_example_get_id (attn_window_get_example (window)), ==, "last");

  attn_gtk_test_close_window (window);
}

/* While a file opens into an empty window, the empty page names it (it
 * said "No Attention Export Open" for the seconds a long input takes), and
 * says so again when nothing could be opened */
static void
test_opening_named (void)
{
  g_autofree char *good = write_tiny ("opening.json", "opening");
  g_autofree char *missing = g_build_filename (folder, "gone.json", NULL);
  g_autoptr(GFile) good_file = g_file_new_for_path (good);
  g_autoptr(GFile) missing_file = g_file_new_for_path (missing);
  AttnWindow *window = attn_window_new (NULL);

  gtk_window_present (GTK_WINDOW (window));
  g_assert_cmpstr (adw_status_page_get_title (window->status_page), ==, "No Attention Export Open");
  attn_window_open_file (window, missing_file);
  g_assert_cmpstr (adw_status_page_get_title (window->status_page), ==, "Opening “gone.json”…");
  attn_gtk_test_wait_until (loaded, window);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (window->main_stack), ==, "empty");
  g_assert_cmpstr (adw_status_page_get_title (window->status_page), ==, "No Attention Export Open");

  attn_window_open_file (window, good_file);
  g_assert_cmpstr (adw_status_page_get_title (window->status_page), ==, "Opening “opening.json”…");
  attn_gtk_test_wait_until (loaded, window);
  g_assert_cmpstr (attn_example_get_id (attn_window_get_example (window)), ==, "opening");
  attn_gtk_test_close_window (window);
}

/* @missing, a file that does not exist, opened alone: the toast names it
 * @named, its Details @whole, once each, with why */
static void
assert_missing_alone (const char *missing,
                      const char *named,
                      const char *whole)
{
  g_autofree char *toast_text = g_strdup_printf ("Cannot read “%s”: %s", named, g_strerror (ENOENT));
  g_autofree char *details = g_strdup_printf ("Cannot read “%s”: %s", whole, g_strerror (ENOENT));
  const char *alone[] = { missing };
  AttnWindow *window = open_files (alone, 1);
  AdwToast *toast = attn_get_error_toast (window->toast_overlay);

  g_assert_nonnull (toast);
  g_assert_cmpstr (_attn_window_get_last_message (window), ==, toast_text);
  g_assert_cmpstr (g_variant_get_string (adw_toast_get_action_target_value (toast), NULL), ==, details);
  attn_gtk_test_close_window (window);
}

/* A file that is not an export and one that does not exist: one toast says
 * both could not be opened and its Details name both (the second's toast
 * took the place of the first's, which was never seen, found by QA); a good
 * file after them is shown */
static void
test_errors (void)
{
  g_autofree char *bad = g_build_filename (folder, "bad.json", NULL);
  g_autofree char *missing = g_build_filename (folder, "missing.json", NULL);
  g_autofree char *good = write_tiny ("good.json", "good");
  const char *paths[] = { bad, missing, good };
  AttnWindow *window;
  AdwToast *toast;
  const char *details;

  g_assert_true (g_file_set_contents (bad, "{\"format\": \"attnflow\", ", -1, NULL));
  window = open_files (paths, 2);
  toast = attn_get_error_toast (window->toast_overlay);
  g_assert_nonnull (toast);
  g_assert_cmpstr (_attn_window_get_last_message (window), ==, "2 files could not be opened");
  details = g_variant_get_string (adw_toast_get_action_target_value (toast), NULL);
  g_assert_nonnull (strstr (details, bad));
  g_assert_nonnull (strstr (details, missing));
  /* each named once: a missing file's was named before the loader's
   * message, which names it too */
  g_assert_null (strstr (strstr (details, missing) + 1, missing));
  g_assert_null (attn_window_get_example (window));
  attn_gtk_test_close_window (window);

  /* a missing file on its own: the toast names it by its name, the Details
   * by its whole path, once, with why */
  assert_missing_alone (missing, "missing.json", missing);
  /* one whose name holds U+202E and ESC: named escaped, as the loader's
   * messages name it, in the toast and in the Details */
  {
    g_autofree char *odd = g_build_filename (folder, "mis\u202esing\033[2J.json", NULL);
    g_autofree char *odd_shown = g_build_filename (folder, "mis\\u202esing\\x1b[2J.json", NULL);

    assert_missing_alone (odd, "mis\\u202esing\\x1b[2J.json", odd_shown);
  }

  /* the first file given could not be opened: the next one is shown */
  window = open_files (paths, 3);
  attn_gtk_test_wait_idle (window);
  g_assert_cmpstr (attn_example_get_id (attn_window_get_example (window)), ==, "good");
  g_assert_cmpstr (_attn_window_get_last_message (window), ==, "2 files could not be opened");
  attn_gtk_test_close_window (window);

  /* six that cannot be, and one that can: one toast says so (four error
   * toasts replaced in a row crashed libadwaita 1.2, found by QA) */
  {
    const char *many[] = { bad, missing, bad, missing, bad, missing, good };
    AdwToast *shown;

    window = open_files (many, G_N_ELEMENTS (many));
    attn_gtk_test_wait_idle (window);
    shown = attn_get_error_toast (window->toast_overlay);
    g_assert_cmpstr (_attn_window_get_last_message (window), ==, "6 files could not be opened");
    g_assert_cmpstr (adw_toast_get_title (shown), ==, "6 files could not be opened");
    details = g_variant_get_string (adw_toast_get_action_target_value (shown), NULL);
    g_assert_nonnull (strstr (details, missing));
    for (guint i = 0; i < 20; i++)
      g_main_context_iteration (NULL, FALSE);
    attn_gtk_test_close_window (window);
  }

  g_unlink (bad);
}

/* A mapped button for @action (the empty page's) */
static gboolean
is_action_button (GtkWidget     *widget,
                  gconstpointer  action)
{
  return GTK_IS_BUTTON (widget) && gtk_widget_get_mapped (widget) &&
         g_strcmp0 (gtk_actionable_get_action_name (GTK_ACTIONABLE (widget)), action) == 0;
}

/* Whether @model or a section of it has an item for @action */
static gboolean
menu_has_action (GMenuModel *model,
                 const char *action)
{
  for (int i = 0; i < g_menu_model_get_n_items (model); i++)
    {
      g_autoptr(GMenuModel) section = g_menu_model_get_item_link (model, i, G_MENU_LINK_SECTION);
      g_autofree char *name = NULL;

      if (section != NULL ? menu_has_action (section, action)
                          : g_menu_model_get_item_attribute (model, i, G_MENU_ATTRIBUTE_ACTION, "s", &name) &&
                            strcmp (name, action) == 0)
        return TRUE;
    }
  return FALSE;
}

/* Whether the first button for @action is sensitive, and @action (of the
 * window's action map, or installed by its class) enabled: the button
 * follows its action */
static gboolean
action_usable (AttnWindow *window,
               const char *action)
{
  GtkWidget *button = attn_gtk_test_find_widget (GTK_WIDGET (window), is_action_button, action);

  g_assert_nonnull (button);
  return gtk_widget_is_sensitive (button);
}

/* Started on only a file that cannot be opened, the window has no example:
 * the method switch (Raw, Rollout, Flow) and the side panel's toggle are
 * insensitive, as the window's other actions that need one (they looked
 * usable, and did nothing, found by a user test); Ctrl+1 does not switch.
 * An example opened, they are usable. */
static void
test_no_document_actions (void)
{
  g_autofree char *bad = g_build_filename (folder, "nan.json", NULL);
  g_autofree char *good = write_tiny ("usable.json", "usable");
  const char *paths[] = { bad };
  g_autoptr(GFile) file = g_file_new_for_path (good);
  g_autoptr(GVariant) state = NULL;
  g_autofree char *view = NULL;
  g_autofree char *view_after = NULL;
  AttnWindow *window;

  g_assert_true (g_file_set_contents (bad, "{\"tokens\": [\"x\"], \"attention\": [[[NaN]]]}", -1,
                                      NULL));
  window = open_files (paths, 1);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_null (attn_window_get_example (window));
  g_assert_false (action_usable (window, "win.view"));
  g_assert_false (action_usable (window, "win.show-settings"));
  g_assert_false (g_action_group_get_action_enabled (G_ACTION_GROUP (window), "show-settings"));
  g_assert_true (action_usable (window, "win.open"));
  g_object_get (window, "view", &view, NULL);
  g_assert_cmpstr (view, !=, "raw");
  gtk_widget_activate_action (GTK_WIDGET (window), "win.view", "s", "raw");
  g_object_get (window, "view", &view_after, NULL);
  g_assert_cmpstr (view_after, ==, view);

  attn_window_open_files (window, &file, 1);
  attn_gtk_test_wait_until (loaded, window);
  attn_gtk_test_wait_idle (window);
  g_assert_cmpstr (attn_example_get_id (attn_window_get_example (window)), ==, "usable");
  g_assert_true (action_usable (window, "win.view"));
  g_assert_true (action_usable (window, "win.show-settings"));
  g_assert_true (g_action_group_get_action_enabled (G_ACTION_GROUP (window), "show-settings"));
  /* the toggle still shows and hides the panel, through its key */
  g_assert_true (g_settings_get_boolean (window->settings, "show-settings"));
  g_action_group_activate_action (G_ACTION_GROUP (window), "show-settings", NULL);
  g_assert_false (g_settings_get_boolean (window->settings, "show-settings"));
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (window->side_panel)));
  g_settings_set_boolean (window->settings, "show-settings", TRUE);
  state = g_action_group_get_action_state (G_ACTION_GROUP (window), "show-settings");
  g_assert_true (g_variant_get_boolean (state));
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (window->side_panel)));
  gtk_widget_activate_action (GTK_WIDGET (window), "win.view", "s", "raw");
  g_clear_pointer (&view_after, g_free);
  g_object_get (window, "view", &view_after, NULL);
  g_assert_cmpstr (view_after, ==, "raw");
  attn_gtk_test_close_window (window);
  g_unlink (bad);
  g_unlink (good);
}

/* With one example open, Compare (Ctrl+M, the menu) is not greyed out
 * without a reason, nor silent: it says what to open, as Evaluation says
 * when no file has references. With no file, greyed out and silent. */
static void
test_compare_one_example (void)
{
  g_autofree char *one = write_tiny ("one.json", "one");
  const char *paths[] = { one };
  AttnWindow *window = attn_window_new (NULL);

  gtk_window_present (GTK_WINDOW (window));
  gtk_widget_activate_action (GTK_WIDGET (window), "win.compare", NULL);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_null (attn_gtk_test_find_toplevel (ATTN_TYPE_COMPARE_WINDOW));
  g_assert_null (_attn_window_get_last_message (window));
  attn_gtk_test_close_window (window);

  window = open_files (paths, 1);
  attn_gtk_test_wait_idle (window);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.compare", NULL));
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_null (attn_gtk_test_find_toplevel (ATTN_TYPE_COMPARE_WINDOW));
  g_assert_cmpstr (_attn_window_get_last_message (window), ==,
                   "Compare needs two or more examples: open a file with more, or a second file");
  attn_gtk_test_close_window (window);
  g_unlink (one);
}

typedef struct
{
  AttnWindow *window;
  guint       n;
} Count;

static gboolean
has_examples (gpointer data)
{
  Count *count = data;

  return attn_window_get_n_examples (count->window) >= count->n && loaded (count->window);
}

/* Opens the bundled examples as the menu item and the button do; waits
 * until the window has @n examples */
static void
open_bundled (AttnWindow *window,
              guint       n)
{
  Count count = { window, n };

  gtk_widget_activate_action (GTK_WIDGET (window), "win.open-bundled", NULL);
  attn_gtk_test_wait_until (has_examples, &count);
  attn_gtk_test_wait_idle (window);
  g_assert_cmpuint (attn_window_get_n_examples (window), ==, n);
}

/* The bundled examples, offered by the empty page (after a file that could
 * not be opened) and the Open menu: they open with BERT-base's first
 * example shown, after a file of one's own too, and asked for again, they
 * are shown, not opened twice */
static void
test_bundled (void)
{
  g_autofree char *bad = g_build_filename (folder, "not-an-export.json", NULL);
  g_autofree char *own = write_tiny ("own.json", "own");
  g_autofree char *examples = g_test_build_filename (G_TEST_DIST, "..", "data", "examples", NULL);
  g_autofree char *bert = g_build_filename (examples, "bert-base-uncased.json", NULL);
  g_autoptr(AttnDocument) first = attn_document_load (bert, NULL, NULL);
  const char *first_id = attn_example_get_id (attn_document_get_example (first, 0));
  g_autoptr(GDir) dir = g_dir_open (examples, 0, NULL);
  const char *paths[] = { bad, own };
  const char *name;
  guint n_bundled = 0;
  AttnWindow *window;

  while ((name = g_dir_read_name (dir)) != NULL)
    if (g_str_has_suffix (name, ".json"))
      {
        g_autofree char *path = g_build_filename (examples, name, NULL);
        g_autoptr(AttnDocument) document = attn_document_load (path, NULL, NULL);

        n_bundled += attn_document_get_n_examples (document);
      }
  g_assert_cmpuint (n_bundled, >, attn_document_get_n_examples (first));
  g_assert_true (g_file_set_contents (bad, "[]", -1, NULL));

  window = open_files (paths, 1);
  g_assert_null (attn_window_get_example (window));
  g_assert_nonnull (attn_gtk_test_find_widget (GTK_WIDGET (window), is_action_button, "win.open-bundled"));
  g_assert_true (menu_has_action (adw_split_button_get_menu_model (window->open_button), "win.open-bundled"));
  open_bundled (window, n_bundled);
  g_assert_cmpstr (attn_example_get_id (attn_window_get_example (window)), ==, first_id);
  attn_gtk_test_close_window (window);

  window = open_files (paths + 1, 1);
  g_assert_cmpstr (attn_example_get_id (attn_window_get_example (window)), ==, "own");
  open_bundled (window, n_bundled + 1);
  g_assert_cmpstr (attn_example_get_id (attn_window_get_example (window)), ==, first_id);
  attn_window_set_example (window, 0);
  g_assert_cmpstr (attn_example_get_id (attn_window_get_example (window)), ==, "own");
  open_bundled (window, n_bundled + 1);
  g_assert_cmpstr (attn_example_get_id (attn_window_get_example (window)), ==, first_id);
  attn_gtk_test_close_window (window);
  g_unlink (bad);
}

/* Open Bundled Examples where they are missing (a data folder without
 * them): a toast says so, and the file of one's own shown stays on screen
 * (the window went to its empty page) */
static void
test_bundled_missing (void)
{
  g_autofree char *own = write_tiny ("own-alone.json", "own");
  g_autofree char *datadir = g_strdup (g_getenv ("ATTNFLOW_DATADIR"));
  const char *paths[] = { own };
  AttnWindow *window = open_files (paths, 1);

  g_assert_cmpstr (gtk_stack_get_visible_child_name (window->main_stack), !=, "empty");
  /* a data folder without the folder examples */
  g_setenv ("ATTNFLOW_DATADIR", folder, TRUE);
  gtk_widget_activate_action (GTK_WIDGET (window), "win.open-bundled", NULL);
  g_setenv ("ATTNFLOW_DATADIR", datadir, TRUE);
  g_assert_cmpstr (_attn_window_get_last_message (window), ==, "The bundled examples were not found");
  g_assert_cmpstr (attn_example_get_id (attn_window_get_example (window)), ==, "own");
  g_assert_cmpstr (gtk_stack_get_visible_child_name (window->main_stack), !=, "empty");
  attn_gtk_test_close_window (window);
}

int
main (int   argc,
      char *argv[])
{
  int status;

  if (!attn_gtk_test_init (&argc, &argv, &status))
    return status;

  folder = attn_test_make_folder ("gtk-open");

  g_test_add_func ("/attn/gtk/open/order", test_order);
  g_test_add_func ("/attn/gtk/open/errors", test_errors);
  g_test_add_func ("/attn/gtk/open/no-document-actions", test_no_document_actions);
  g_test_add_func ("/attn/gtk/open/compare-one-example", test_compare_one_example);
  g_test_add_func ("/attn/gtk/open/opening-named", test_opening_named);
  g_test_add_func ("/attn/gtk/open/bundled", test_bundled);
  g_test_add_func ("/attn/gtk/open/bundled-missing", test_bundled_missing);

  status = g_test_run ();
  attn_test_drop_folder (folder);
  return status;
}
