/* test-toasts.c: a window's toasts, shown one at a time (attn_toast_show()):
 * each once the one before has finished hiding, however soon the user
 * closes them (libadwaita 1.2 wrote to a toast's freed state when one was
 * closed as it began to replace another), and an error before the others
 *
 * Copyright 2026 The attnflow authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <adwaita.h>
#include <glib/gstdio.h>
#include <signal.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "attn-gtk-util.h"
#include "attn-test-util.h"
#include "attn-toast.h"

#include "gtk-test-util.h"

typedef struct
{
  GtkWindow       *window;
  AdwToastOverlay *overlay;
  guint            most;       /* the most toast widgets the overlay held at once */
  GString         *dismissed;  /* the toasts' titles, as each was dismissed */
} Fixture;

/* The toast widgets @overlay holds: the one shown and those hiding */
static guint
toast_widgets (AdwToastOverlay *overlay)
{
  GtkWidget *content = adw_toast_overlay_get_child (overlay);
  guint n = 0;

  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (overlay)); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    n += child != content;
  return n;
}

static gboolean
count_cb (GtkWidget     *widget,
          GdkFrameClock *clock,
          gpointer       data)
{
  Fixture *fixture = data;

  fixture->most = MAX (fixture->most, toast_widgets (fixture->overlay));
  return G_SOURCE_CONTINUE;
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  fixture->window = GTK_WINDOW (gtk_window_new ());
  fixture->overlay = ADW_TOAST_OVERLAY (adw_toast_overlay_new ());
  adw_toast_overlay_set_child (fixture->overlay, gtk_label_new ("content"));
  gtk_window_set_child (fixture->window, GTK_WIDGET (fixture->overlay));
  gtk_window_set_default_size (fixture->window, 600, 300);
  gtk_window_present (fixture->window);
  attn_gtk_test_wait_until (attn_gtk_test_is_mapped, fixture->overlay);
  /* counted at every frame: a toast replacing another that hides shows
   * beside it for the whole of that hide (300 ms) */
  gtk_widget_add_tick_callback (GTK_WIDGET (fixture->overlay), count_cb, fixture, NULL);
  fixture->dismissed = g_string_new (NULL);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  attn_gtk_test_close_window (fixture->window);
  g_string_free (fixture->dismissed, TRUE);
}

static void
dismissed_cb (AdwToast *toast,
              Fixture  *fixture)
{
  g_object_set_data (G_OBJECT (toast), "test-dismissed", GINT_TO_POINTER (TRUE));
  g_string_append_printf (fixture->dismissed, "%s%s;", adw_toast_get_title (toast),
                          attn_toast_is_postponed (toast) ? " (postponed)" : "");
}

static AdwToast *
new_toast (Fixture    *fixture,
           const char *title,
           guint       seconds)
{
  AdwToast *toast = adw_toast_new (title);

  adw_toast_set_timeout (toast, seconds);
  g_signal_connect (toast, "dismissed", G_CALLBACK (dismissed_cb), fixture);
  return toast;
}

static gboolean
is_label_with_text (GtkWidget     *widget,
                    gconstpointer  text)
{
  return GTK_IS_LABEL (widget) && gtk_widget_get_mapped (widget) &&
         strcmp (gtk_label_get_text (GTK_LABEL (widget)), text) == 0;
}

typedef struct
{
  Fixture    *fixture;
  const char *title;
} Shown;

static gboolean
toast_shown (gpointer data)
{
  Shown *shown = data;

  return attn_gtk_test_find_widget (GTK_WIDGET (shown->fixture->overlay), is_label_with_text,
                                    shown->title) != NULL;
}

/* Waits until the toast titled @title shows */
static void
wait_shown (Fixture    *fixture,
            const char *title)
{
  Shown shown = { fixture, title };

  attn_gtk_test_wait_until (toast_shown, &shown);
}

static gboolean
toast_dismissed (gpointer data)
{
  return GPOINTER_TO_INT (g_object_get_data (data, "test-dismissed"));
}

static gboolean
no_toast (gpointer data)
{
  return toast_widgets (ADW_TOAST_OVERLAY (data)) == 0;
}

static gboolean
elapsed_cb (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

/* Runs the main loop for @ms milliseconds */
static void
spin (guint ms)
{
  gboolean elapsed = FALSE;

  g_timeout_add (ms, elapsed_cb, &elapsed);
  while (!elapsed)
    g_main_context_iteration (NULL, TRUE);
}

/* Escape pressed with the focus in @fixture's content: whether it was taken */
static gboolean
press_escape (Fixture *fixture)
{
  GtkWidget *content = adw_toast_overlay_get_child (fixture->overlay);
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (content);
  gboolean handled = FALSE;

  for (guint i = 0; i < g_list_model_get_n_items (controllers) && !handled; i++)
    {
      g_autoptr(GObject) controller = g_list_model_get_item (controllers, i);

      if (GTK_IS_EVENT_CONTROLLER_KEY (controller))
        g_signal_emit_by_name (controller, "key-pressed", GDK_KEY_Escape, 0, 0, &handled);
    }
  return handled;
}

/* Four messages in a row, closed as soon as each shows: with Escape (at
 * once), as the close button or a timeout would (100 ms in). Each shows in
 * turn, alone, and Escape closes it once it has finished showing. */
static void
test_one_at_a_time (Fixture       *fixture,
                    gconstpointer  data)
{
  const char *titles[] = { "one", "two", "three", "four" };
  AdwToast *toasts[G_N_ELEMENTS (titles)];

  for (guint i = 0; i < G_N_ELEMENTS (titles); i++)
    {
      toasts[i] = new_toast (fixture, titles[i], 6);
      attn_toast_show (fixture->overlay, g_object_ref (toasts[i]));
    }
  for (guint i = 0; i < G_N_ELEMENTS (titles); i++)
    {
      gint64 shown, closed;

      wait_shown (fixture, titles[i]);
      shown = g_get_monotonic_time ();
      if (i % 2 == 0)
        {
          g_assert_true (press_escape (fixture));
          g_assert_true (strstr (fixture->dismissed->str, titles[i]) == NULL);
          attn_gtk_test_wait_until (toast_dismissed, toasts[i]);
          closed = g_get_monotonic_time ();
          g_test_message ("Escape closed \"%s\" %.0f ms after it showed", titles[i],
                          (closed - shown) / 1e3);
          /* its show, 300 ms from a frame or so before it was seen */
          g_assert_cmpint (closed - shown, >=, 250 * G_TIME_SPAN_MILLISECOND);
        }
      else
        {
          spin (100);
          adw_toast_dismiss (toasts[i]);
        }
    }
  attn_gtk_test_wait_until (no_toast, fixture->overlay);
  /* a little longer: a show outliving its toast's state wrote to it then */
  spin (600);
  g_assert_cmpstr (fixture->dismissed->str, ==, "one;two;three;four;");
  g_assert_cmpuint (fixture->most, ==, 1);
  /* with no toast, Escape goes on to the window */
  g_assert_false (press_escape (fixture));
  for (guint i = 0; i < G_N_ELEMENTS (titles); i++)
    g_object_unref (toasts[i]);
}

/* An error (high priority) shows before a status shown (no timeout), which
 * gives way to it once it has finished showing and comes back after it;
 * one shown again stays alone */
static void
test_error_first (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(AdwToast) status = new_toast (fixture, "saving", 0);
  g_autoptr(AdwToast) error = new_toast (fixture, "error", 6);
  g_autoptr(AdwToast) later = new_toast (fixture, "later", 6);

  adw_toast_set_priority (error, ADW_TOAST_PRIORITY_HIGH);
  attn_toast_show (fixture->overlay, g_object_ref (status));
  wait_shown (fixture, "saving");
  attn_toast_show (fixture->overlay, g_object_ref (later));
  attn_toast_show (fixture->overlay, g_object_ref (error));
  wait_shown (fixture, "error");
  g_assert_cmpstr (fixture->dismissed->str, ==, "saving (postponed);");
  g_assert_true (attn_toast_is_postponed (status));
  /* shown again: its timeout starts over, nothing else shows */
  attn_toast_show (fixture->overlay, g_object_ref (error));
  spin (400);
  g_assert_cmpuint (toast_widgets (fixture->overlay), ==, 1);
  adw_toast_dismiss (error);
  wait_shown (fixture, "saving");
  g_assert_false (attn_toast_is_postponed (status));
  spin (400);
  adw_toast_dismiss (status);
  wait_shown (fixture, "later");
  spin (400);
  adw_toast_dismiss (later);
  attn_gtk_test_wait_until (no_toast, fixture->overlay);
  g_assert_cmpstr (fixture->dismissed->str, ==, "saving (postponed);error;saving;later;");
  g_assert_cmpuint (fixture->most, ==, 1);
}

/* Escape, then the same toast shown again at once (an error toast saying
 * the next error): it stays for its timeout, the close is forgotten; shown
 * again while giving way to an error, it still gives way */
static void
test_shown_again_after_escape (Fixture       *fixture,
                               gconstpointer  data)
{
  g_autoptr(AdwToast) toast = new_toast (fixture, "old", 6);
  g_autoptr(AdwToast) error = new_toast (fixture, "error", 6);

  attn_toast_show (fixture->overlay, g_object_ref (toast));
  wait_shown (fixture, "old");
  g_assert_true (press_escape (fixture));
  adw_toast_set_title (toast, "new");
  attn_toast_show (fixture->overlay, g_object_ref (toast));
  spin (700);
  g_assert_cmpstr (fixture->dismissed->str, ==, "");
  adw_toast_dismiss (toast);
  attn_gtk_test_wait_until (no_toast, fixture->overlay);

  adw_toast_set_priority (error, ADW_TOAST_PRIORITY_HIGH);
  attn_toast_show (fixture->overlay, g_object_ref (toast));
  wait_shown (fixture, "new");
  attn_toast_show (fixture->overlay, g_object_ref (error));
  g_assert_true (press_escape (fixture));
  attn_toast_show (fixture->overlay, g_object_ref (toast));
  wait_shown (fixture, "error");
  g_assert_cmpstr (fixture->dismissed->str, ==, "new;new (postponed);");
  spin (400);
  adw_toast_dismiss (error);
  wait_shown (fixture, "new");
  spin (400);
  adw_toast_dismiss (toast);
  attn_gtk_test_wait_until (no_toast, fixture->overlay);
  g_assert_cmpstr (fixture->dismissed->str, ==, "new;new (postponed);error;new;");
  g_assert_cmpuint (fixture->most, ==, 1);
}

/* Escape between two toasts (the first hiding, the next about to show) is
 * theirs: it does not go on to the window; without a toast waiting, it does */
static void
test_escape_between (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(AdwToast) first = new_toast (fixture, "first", 6);
  g_autoptr(AdwToast) next = new_toast (fixture, "next", 6);

  attn_toast_show (fixture->overlay, g_object_ref (first));
  attn_toast_show (fixture->overlay, g_object_ref (next));
  wait_shown (fixture, "first");
  spin (400);
  adw_toast_dismiss (first);
  g_assert_true (press_escape (fixture));
  wait_shown (fixture, "next");
  spin (400);
  adw_toast_dismiss (next);
  g_assert_false (press_escape (fixture));
  attn_gtk_test_wait_until (no_toast, fixture->overlay);
  g_assert_cmpstr (fixture->dismissed->str, ==, "first;next;");
}

/* A toast waiting, shown again, goes next (as libadwaita moves it forward) */
static void
test_waiting_shown_again (Fixture       *fixture,
                          gconstpointer  data)
{
  const char *titles[] = { "shown", "second", "third" };
  const guint order[] = { 0, 2, 1 };
  AdwToast *toasts[G_N_ELEMENTS (titles)];

  for (guint i = 0; i < G_N_ELEMENTS (titles); i++)
    {
      toasts[i] = new_toast (fixture, titles[i], 6);
      attn_toast_show (fixture->overlay, g_object_ref (toasts[i]));
    }
  wait_shown (fixture, "shown");
  attn_toast_show (fixture->overlay, g_object_ref (toasts[2]));
  for (guint i = 0; i < G_N_ELEMENTS (order); i++)
    {
      wait_shown (fixture, titles[order[i]]);
      spin (400);
      adw_toast_dismiss (toasts[order[i]]);
    }
  attn_gtk_test_wait_until (no_toast, fixture->overlay);
  g_assert_cmpstr (fixture->dismissed->str, ==, "shown;third;second;");
  for (guint i = 0; i < G_N_ELEMENTS (titles); i++)
    g_object_unref (toasts[i]);
}

/* A table (the heatmap's values, the evaluation's CSV) is saved as a figure
 * is: a new file is written beside its name and moved there whole, so a
 * write that fails half way (here the file size limit, as a full disk)
 * leaves no partial file under it (it was written in place: 4096 of the
 * table's bytes were left); a file that exists keeps its permissions, and
 * a symbolic link is written through */
static void
test_save_table_whole (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autofree char *dir = g_dir_make_tmp ("attnflow-table-XXXXXX", NULL);
  g_autofree char *fresh = g_build_filename (dir, "values.tsv", NULL);
  g_autofree char *existing = g_build_filename (dir, "table.csv", NULL);
  g_autofree char *link = g_build_filename (dir, "link.csv", NULL);
  g_autoptr(GFile) fresh_file = g_file_new_for_path (fresh);
  g_autoptr(GFile) existing_file = g_file_new_for_path (existing);
  g_autoptr(GFile) link_file = g_file_new_for_path (link);
  g_autoptr(GString) table = g_string_new (NULL);
  g_autofree char *message = NULL;
  g_autofree char *contents = NULL;
  g_autofree char *names = NULL;
  struct rlimit old_limit, limit;
  void (*old_handler) (int);
  GStatBuf st;

  while (table->len < 20000)
    g_string_append_printf (table, "layer %u\t0.125\t0.25\n", (guint) table->len);

  g_assert_cmpint (getrlimit (RLIMIT_FSIZE, &old_limit), ==, 0);
  limit = old_limit;
  limit.rlim_cur = 4096;
  old_handler = signal (SIGXFSZ, SIG_IGN);
  g_assert_cmpint (setrlimit (RLIMIT_FSIZE, &limit), ==, 0);
  attn_save_table (fresh_file, table->str, fixture->overlay, &message);
  g_assert_cmpint (setrlimit (RLIMIT_FSIZE, &old_limit), ==, 0);
  signal (SIGXFSZ, old_handler);
  g_assert_cmpstr (message, ==, "Could not save “values.tsv”: Error writing to file: File too large");
  names = attn_test_list_folder (dir);
  g_assert_cmpstr (names, ==, "");

  g_assert_true (g_file_set_contents (existing, "old", -1, NULL));
  g_assert_cmpint (g_chmod (existing, 0640), ==, 0);
  g_assert_cmpint (symlink ("table.csv", link), ==, 0);
  attn_save_table (link_file, table->str, fixture->overlay, &message);
  g_assert_cmpstr (message, ==, "Saved “link.csv”");
  g_assert_true (g_file_test (link, G_FILE_TEST_IS_SYMLINK));
  g_assert_true (g_file_get_contents (existing, &contents, NULL, NULL));
  g_assert_cmpstr (contents, ==, table->str);
  g_assert_cmpint (g_lstat (existing, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 07777, ==, 0640);
  g_clear_pointer (&names, g_free);
  names = attn_test_list_folder (dir);
  g_assert_cmpstr (names, ==, "link.csv table.csv");

  g_assert_cmpint (g_remove (link), ==, 0);
  g_assert_cmpint (g_remove (existing), ==, 0);
  g_assert_cmpint (g_rmdir (dir), ==, 0);
}

static gboolean
details_offered (gpointer data)
{
  return adw_toast_get_button_label (data) != NULL;
}

static gboolean
details_withdrawn (gpointer data)
{
  return adw_toast_get_button_label (data) == NULL;
}

/* A long message (over ATTN_TOAST_DETAILS_CHARS) offers Details that only
 * repeat it just while the toast cuts it: shown whole (84 characters at
 * 1200 px), its Details dialog said the same sentence again (found by a
 * tester). Narrowed, the toast cuts it: the button comes back, and goes
 * when widened again. Details that say more stay at any width. */
static void
test_details_when_cut (Fixture       *fixture,
                       gconstpointer  data)
{
  const char *message = "Layer 2 is the input of the layers shown: select a node above it, or show layer 2 too";
  AdwToast *toast = g_object_ref (attn_toast_new (message, 60));
  AdwToast *more;

  g_assert_cmpint (g_utf8_strlen (message, -1), >, ATTN_TOAST_DETAILS_CHARS);
  attn_gtk_test_resize (fixture->window, 1200, 300);
  attn_toast_show (fixture->overlay, toast);
  wait_shown (fixture, message);
  attn_gtk_test_wait_until (details_withdrawn, toast);
  g_assert_null (adw_toast_get_action_name (toast));
  g_assert_null (adw_toast_get_action_target_value (toast));

  attn_gtk_test_resize (fixture->window, 400, 300);
  attn_gtk_test_wait_until (details_offered, toast);
  g_assert_cmpstr (adw_toast_get_button_label (toast), ==, "_Details");
  g_assert_cmpstr (adw_toast_get_action_name (toast), ==, "toast.details");
  g_assert_cmpstr (g_variant_get_string (adw_toast_get_action_target_value (toast), NULL), ==, message);
  /* it stays while the toast cuts the message */
  attn_gtk_test_run_for (200);
  g_assert_nonnull (adw_toast_get_button_label (toast));

  attn_gtk_test_resize (fixture->window, 1200, 300);
  attn_gtk_test_wait_until (details_withdrawn, toast);
  adw_toast_dismiss (toast);
  g_object_unref (toast);

  /* Details naming the whole path say more: they stay */
  more = g_object_ref (attn_toast_new_with_details ("“a.json”: no such file", "“/tmp/x/a.json”: no such file", 60));
  attn_toast_show (fixture->overlay, more);
  wait_shown (fixture, "“a.json”: no such file");
  attn_gtk_test_run_for (200);
  g_assert_cmpstr (adw_toast_get_action_name (more), ==, "toast.details");
  adw_toast_dismiss (more);
  g_object_unref (more);
}

/* A long message's Details keep its beginning and its end, cut between
 * whole escapes of the text it quotes: they cut “\u200b” after “\u”, and
 * “\x1b” before “1b”, which read as neither the character nor the text */
static void
test_details_whole_escapes (void)
{
  g_autofree char *head = g_strnfill (ATTN_TOAST_DETAILS_MAX_CHARS * 3 / 4 - 2, 'a');
  g_autofree char *middle = g_strnfill (500, 'b');
  g_autofree char *tail = g_strnfill (ATTN_TOAST_DETAILS_MAX_CHARS / 4 - 3, 'c');
  /* the cuts fall at the 3rd character of “\u200b” and of “\x1b” */
  g_autofree char *message = g_strconcat (head, "\\u200b", middle, "\\x1b", tail, NULL);
  g_autofree char *shown = attn_toast_details_text (message);
  g_autofree char *expected = g_strconcat (head, "…", tail, NULL);

  g_assert_cmpstr (shown, ==, expected);
  g_assert_cmpint (g_utf8_strlen (shown, -1), <=, ATTN_TOAST_DETAILS_MAX_CHARS);
}

int
main (int    argc,
      char **argv)
{
  int status;

  if (!attn_gtk_test_init (&argc, &argv, &status))
    return status;
  g_test_add_func ("/attn/gtk/toasts/details-whole-escapes", test_details_whole_escapes);
  g_test_add ("/attn/gtk/toasts/one-at-a-time", Fixture, NULL, fixture_set_up, test_one_at_a_time,
              fixture_tear_down);
  g_test_add ("/attn/gtk/toasts/error-first", Fixture, NULL, fixture_set_up, test_error_first,
              fixture_tear_down);
  g_test_add ("/attn/gtk/toasts/shown-again-after-escape", Fixture, NULL, fixture_set_up,
              test_shown_again_after_escape, fixture_tear_down);
  g_test_add ("/attn/gtk/toasts/escape-between", Fixture, NULL, fixture_set_up, test_escape_between,
              fixture_tear_down);
  g_test_add ("/attn/gtk/toasts/waiting-shown-again", Fixture, NULL, fixture_set_up,
              test_waiting_shown_again, fixture_tear_down);
  g_test_add ("/attn/gtk/toasts/details-when-cut", Fixture, NULL, fixture_set_up, test_details_when_cut,
              fixture_tear_down);
  g_test_add ("/attn/gtk/toasts/save-table-whole", Fixture, NULL, fixture_set_up, test_save_table_whole,
              fixture_tear_down);
  return g_test_run ();
}
