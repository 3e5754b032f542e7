/* gtk-test-util.c: what the GUI tests share
 *
 * Copyright 2026 The attnflow authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <adwaita.h>
#include <glib/gstdio.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#ifdef __linux__
#include <sys/prctl.h>
#endif

#include "attn-application.h"
#include "attn-compare-window.h"
#include "attn-evaluation-window.h"
#include "attn-graph-view.h"
#include "attn-window-private.h"
#include "gtk-test-util.h"

static gboolean timed_out;

static gboolean
timeout_cb (gpointer data)
{
  timed_out = TRUE;
  return G_SOURCE_REMOVE;
}

#if ADW_CHECK_VERSION (1, 7, 0)
/* libadwaita 1.7's message dialog (deprecated since 1.6) measures its
 * heading below the label's least width, and GTK 4.18 warns of it: a plain
 * AdwMessageDialog of a short heading and body does, in any program. That
 * warning is let through there; every other one still aborts the test, as
 * g_test_init() has it (which GTK's structured logging gives no handler a
 * say in, so warnings are made fatal here); on Debian 12's GTK and
 * libadwaita none is let through. */
static GLogWriterOutput
log_writer_cb (GLogLevelFlags   level,
               const GLogField *fields,
               gsize            n_fields,
               gpointer         user_data)
{
  const char *domain = NULL, *message = NULL;
  GLogWriterOutput out;

  for (gsize i = 0; i < n_fields; i++)
    if (g_str_equal (fields[i].key, "GLIB_DOMAIN"))
      domain = fields[i].value;
    else if (g_str_equal (fields[i].key, "MESSAGE"))
      message = fields[i].value;
  out = g_log_writer_default (level, fields, n_fields, user_data);
  if ((level & G_LOG_LEVEL_WARNING) &&
      !(g_strcmp0 (domain, "Gtk") == 0 && message != NULL &&
        g_str_has_prefix (message, "Trying to measure GtkLabel")))
    abort ();
  return out;
}
#endif

static GPid xvfb_pid;
static char *xauthority;

static void
stop_xvfb (void)
{
  kill (xvfb_pid, SIGTERM);
  g_unlink (xauthority);
}

static void
append_field (GByteArray   *bytes,
              const guint8 *data,
              guint16       length)
{
  guint8 be[2] = { length >> 8, length & 0xff };

  g_byte_array_append (bytes, be, 2);
  g_byte_array_append (bytes, data, length);
}

/* Writes an X authority file of one MIT-MAGIC-COOKIE-1 for any display of
 * any address (family FamilyWild, no display number, as libXau matches
 * them): Xvfb -auth admits only who shows it, and libX11 shows it through
 * XAUTHORITY. Returns the file's path (mode 0600), or NULL. */
static char *
write_xauthority (GError **error)
{
  static const char name[] = "MIT-MAGIC-COOKIE-1";
  static const guint8 family_wild[2] = { 0xff, 0xff };
  g_autoptr(GByteArray) bytes = g_byte_array_new ();
  g_autofree char *path = NULL;
  guint8 cookie[16];
  int fd;

  for (guint i = 0; i < G_N_ELEMENTS (cookie); i += 4)
    {
      guint32 r = g_random_int ();

      memcpy (cookie + i, &r, 4);
    }
  g_byte_array_append (bytes, family_wild, 2);
  append_field (bytes, NULL, 0);
  append_field (bytes, NULL, 0);
  append_field (bytes, (const guint8 *) name, strlen (name));
  append_field (bytes, cookie, sizeof cookie);

  fd = g_file_open_tmp ("attnflow-test-XXXXXX.xauth", &path, error);
  if (fd < 0)
    return NULL;
  close (fd);
  if (!g_file_set_contents_full (path, (const char *) bytes->data, bytes->len,
                                 G_FILE_SET_CONTENTS_NONE, 0600, error))
    {
      g_unlink (path);
      return NULL;
    }
  return g_steal_pointer (&path);
}

static void
xvfb_child_setup (gpointer data)
{
#ifdef __linux__
  /* it goes with the test, however the test ends (an abort too) */
  prctl (PR_SET_PDEATHSIG, SIGTERM);
#endif
}

/* Starts a private Xvfb, when there is one, and points DISPLAY at it. Tests
 * run two at a time: on one shared display, one test's clipboard owner took
 * another's text between its copy and its check, and a window of one mapping
 * under the pointer another had moved started a GTK 4.8 tooltip timer that
 * outlived its window (a critical, fatal in tests). Only the test can
 * connect: the display asks for a cookie only it has (write_xauthority()).
 * Called before any thread starts (g_setenv()). */
static void
use_own_display (void)
{
  g_autofree char *xvfb = g_find_program_in_path ("Xvfb");
  const char *args[] = { xvfb, "-displayfd", "1", "-screen", "0", "1280x800x24", "-nolisten", "tcp",
                         "-auth", NULL, NULL };
  g_autoptr(GError) error = NULL;
  g_autofree char *display = NULL;
  char number[16];
  gsize length = 0;
  GPid pid;
  int out;

  if (xvfb == NULL)
    return;
  xauthority = write_xauthority (&error);
  if (xauthority == NULL)
    {
      g_printerr ("# X authority file: %s\n", error->message);
      return;
    }
  args[G_N_ELEMENTS (args) - 2] = xauthority;
  if (!g_spawn_async_with_pipes (NULL, (char **) args, NULL, G_SPAWN_DO_NOT_REAP_CHILD | G_SPAWN_STDERR_TO_DEV_NULL,
                                 xvfb_child_setup, NULL, &pid, NULL, &out, NULL, &error))
    {
      g_printerr ("# Xvfb: %s\n", error->message);
      g_unlink (xauthority);
      return;
    }
  /* "N\n" once it takes clients */
  while (length < sizeof number - 1)
    {
      gssize got = read (out, number + length, sizeof number - 1 - length);

      if (got <= 0)
        break;
      length += got;
      if (number[length - 1] == '\n')
        break;
    }
  close (out);
  number[length] = '\0';
  g_strchomp (number);
  if (number[0] == '\0')
    {
      g_printerr ("# Xvfb did not start\n");
      kill (pid, SIGTERM);
      g_unlink (xauthority);
      return;
    }
  xvfb_pid = pid;
  atexit (stop_xvfb);
  display = g_strconcat (":", number, NULL);
  g_setenv ("DISPLAY", display, TRUE);
  g_setenv ("XAUTHORITY", xauthority, TRUE);
  g_setenv ("GDK_BACKEND", "x11", TRUE);
  g_unsetenv ("WAYLAND_DISPLAY");
}

/*
 * attn_gtk_test_init:
 * Initialises g_test, points the app at the source tree's bundled examples
 * and at a display of its own (use_own_display(); before any thread starts)
 * and initialises GTK. Returns FALSE when the test program must stop with
 * *@exit_status: no display is a skip, except with CI=true, where every test
 * must run.
 */
gboolean
attn_gtk_test_init (int     *argc,
                    char  ***argv,
                    int     *exit_status)
{
  g_autofree char *datadir = NULL;

  g_test_init (argc, argv, NULL);

  datadir = g_test_build_filename (G_TEST_DIST, "..", "data", NULL);
  g_setenv ("ATTNFLOW_DATADIR", datadir, TRUE);
  use_own_display ();

  if (!gtk_init_check ())
    {
      if (g_strcmp0 (g_getenv ("CI"), "true") == 0)
        {
          g_printerr ("CI=true and no display\n");
          *exit_status = EXIT_FAILURE;
          return FALSE;
        }
      /* TAP: the whole program is skipped */
      g_print ("1..0 # SKIP no display\n");
      *exit_status = EXIT_SUCCESS;
      return FALSE;
    }
  adw_init ();
#if ADW_CHECK_VERSION (1, 7, 0)
  g_log_set_always_fatal (G_LOG_FATAL_MASK | G_LOG_LEVEL_CRITICAL);
  g_log_set_writer_func (log_writer_cb, NULL, NULL);
#endif

  return TRUE;
}

/* Spins the main loop until @done returns TRUE (or 60 s pass: a failure
 * that names @name, what it waited for). */
void
attn_gtk_test_wait_until_named (gboolean  (*done) (gpointer),
                                gpointer    data,
                                const char *name)
{
  guint id;

  timed_out = FALSE;
  id = g_timeout_add_seconds (60, timeout_cb, NULL);
  while (!done (data) && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  if (!timed_out)
    g_source_remove (id);
  else
    g_error ("waited 60 s for %s", name);
}

static void
set_true_once_cb (gpointer data)
{
  *(gboolean *) data = TRUE;
}

/* Runs the main loop for @ms milliseconds, waiting for its events rather
 * than polling (a loop of g_main_context_iteration (NULL, FALSE) until a
 * time spun the CPU all along) */
void
attn_gtk_test_run_for (guint ms)
{
  gboolean done = FALSE;

  g_timeout_add_once (ms, set_true_once_cb, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
}

typedef struct
{
  GtkWindow *window;
  int        width, height;
} Resize;

static gboolean
resized (gpointer data)
{
  Resize *r = data;
  int width, height;

  /* a configure the window had not had yet when asked (one that maps
   * it, under load) sets the default size to its own: ask again */
  gtk_window_get_default_size (r->window, &width, &height);
  if (width != r->width || height != r->height)
    gtk_window_set_default_size (r->window, r->width, r->height);
  /* the default size holds the window's frame too, a few pixels */
  return ABS (gtk_widget_get_width (GTK_WIDGET (r->window)) - r->width) <= 16;
}

static gboolean
allocated (gpointer data)
{
  return gtk_widget_get_width (GTK_WIDGET (data)) > 0;
}

/* Resizes @window, shown, to @width x @height and waits until it is that
 * wide (give the size before gtk_window_present() for a window's first) */
void
attn_gtk_test_resize (GtkWindow *window,
                      int        width,
                      int        height)
{
  Resize r = { window, width, height };

  attn_gtk_test_wait_until (allocated, window);
  gtk_window_set_default_size (window, width, height);
  attn_gtk_test_wait_until (resized, &r);
}

gboolean
attn_gtk_test_is_null (gpointer data)
{
  return *(gpointer *) data == NULL;
}

/* For attn_gtk_test_wait_until(): @data, a widget, is mapped (a popover
 * shown) */
gboolean
attn_gtk_test_is_mapped (gpointer data)
{
  return gtk_widget_get_mapped (GTK_WIDGET (data));
}

/* Whether @window gets the keyboard within @usec microseconds, not asked */
gboolean
attn_gtk_test_active_within (GtkWindow *window,
                             gint64     usec)
{
  gint64 end = g_get_monotonic_time () + usec;

  while (!gtk_window_is_active (window) && g_get_monotonic_time () < end)
    if (!g_main_context_iteration (NULL, FALSE))
      g_usleep (10000);
  return gtk_window_is_active (window);
}

/* Destroys the window and checks that it is finalized once its jobs are
 * done: nothing keeps it alive (no leaked reference in a callback). */
void
attn_gtk_test_close_window (gpointer window)
{
  gpointer weak = window;

  g_object_add_weak_pointer (G_OBJECT (window), &weak);
  gtk_window_destroy (GTK_WINDOW (window));
  attn_gtk_test_wait_until (attn_gtk_test_is_null, &weak);
}

/* The window has no job and a drawn graph. */
gboolean
attn_gtk_test_window_idle (gpointer data)
{
  AttnWindow *window = data;

  return !attn_window_is_busy (window) &&
         attn_graph_view_get_layout (attn_window_get_graph_view (window)) != NULL;
}

/* Waits until the window has no job and a drawn graph, and for the idle
 * callbacks that may start more work (a resize, a re-render). */
void
attn_gtk_test_wait_idle (AttnWindow *window)
{
  do
    {
      attn_gtk_test_wait_until (attn_gtk_test_window_idle, window);
      while (g_main_context_iteration (NULL, FALSE))
        ;
    }
  while (!attn_gtk_test_window_idle (window));
}

/* The window shows an example, drawn, and has no job. */
gboolean
attn_gtk_test_example_open (gpointer window)
{
  return attn_window_get_example (window) != NULL && attn_gtk_test_window_idle (window);
}

/* A 1000 x 700 window, presented, that has started to open @path. */
AttnWindow *
attn_gtk_test_open_file (const char *path)
{
  AttnWindow *window = attn_window_new (NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);

  gtk_window_set_default_size (GTK_WINDOW (window), 1000, 700);
  gtk_window_present (GTK_WINDOW (window));
  attn_window_open_file (window, file);
  return window;
}

/* A 1000 x 700 main window, presented, of a registered application (one for
 * the test program), whose startup set the application's shortcuts: Ctrl+Q,
 * Ctrl+W */
AttnWindow *
attn_gtk_test_app_window (void)
{
  static AttnApplication *app;
  AttnWindow *window;

  if (app == NULL)
    {
      g_autoptr(GError) error = NULL;

      app = attn_application_new ();
      g_application_set_flags (G_APPLICATION (app), G_APPLICATION_HANDLES_OPEN | G_APPLICATION_NON_UNIQUE);
      g_assert_true (g_application_register (G_APPLICATION (app), NULL, &error));
      g_assert_no_error (error);
    }
  window = attn_window_new (GTK_APPLICATION (app));
  gtk_window_set_default_size (GTK_WINDOW (window), 1000, 700);
  gtk_window_present (GTK_WINDOW (window));
  return window;
}

/* A 1000 x 700 window, presented, that has opened the bundled examples
 * (BERT-base's, then MiniLM's) and shows the first */
AttnWindow *
attn_gtk_test_open_bundled (void)
{
  AttnWindow *window = attn_window_new (NULL);

  gtk_window_set_default_size (GTK_WINDOW (window), 1000, 700);
  gtk_window_present (GTK_WINDOW (window));
  attn_window_open_bundled (window);
  attn_gtk_test_wait_idle (window);
  return window;
}

/* The shortcuts of @widget's shortcut controllers (its class's key
 * bindings among them): (element-type GtkShortcut) */
GPtrArray *
attn_gtk_test_get_shortcuts (GtkWidget *widget)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (widget);
  GPtrArray *shortcuts = g_ptr_array_new_with_free_func (g_object_unref);

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GObject) controller = g_list_model_get_item (controllers, i);

      if (GTK_IS_SHORTCUT_CONTROLLER (controller))
        for (guint j = 0; j < g_list_model_get_n_items (G_LIST_MODEL (controller)); j++)
          g_ptr_array_add (shortcuts, g_list_model_get_item (G_LIST_MODEL (controller), j));
    }
  return shortcuts;
}

/* What the key (@keyval, @mods) does on @widget, as the widget's class binds
 * it: activates it, and returns whether it was handled; FALSE when the class
 * binds no such key (it goes on to the window) */
gboolean
attn_gtk_test_press_key (GtkWidget       *widget,
                         guint            keyval,
                         GdkModifierType  mods)
{
  g_autoptr(GPtrArray) shortcuts = attn_gtk_test_get_shortcuts (widget);
  g_autoptr(GtkShortcutTrigger) key = gtk_keyval_trigger_new (keyval, mods);

  for (guint i = 0; i < shortcuts->len; i++)
    {
      GtkShortcut *shortcut = g_ptr_array_index (shortcuts, i);

      if (gtk_shortcut_trigger_equal (gtk_shortcut_get_trigger (shortcut), key))
        return gtk_shortcut_action_activate (gtk_shortcut_get_action (shortcut), 0, widget,
                                             gtk_shortcut_get_arguments (shortcut));
    }
  return FALSE;
}

/* A key let go over @widget: what its key controllers do with it (GTK
 * delivers the release to the focus after the window has seen it) */
void
attn_gtk_test_release_key (GtkWidget *widget,
                           guint      keyval)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (widget);

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GObject) controller = g_list_model_get_item (controllers, i);

      if (GTK_IS_EVENT_CONTROLLER_KEY (controller))
        g_signal_emit_by_name (controller, "key-released", keyval, 0, 0);
    }
}

/* The text on @widget's clipboard, which this process put there */
char *
attn_gtk_test_get_clipboard_text (GtkWidget *widget)
{
  GdkContentProvider *content = gdk_clipboard_get_content (gtk_widget_get_clipboard (widget));
  g_autoptr(GError) error = NULL;
  GValue value = G_VALUE_INIT;
  char *text;

  g_assert_nonnull (content);
  g_value_init (&value, G_TYPE_STRING);
  g_assert_true (gdk_content_provider_get_value (content, &value, &error));
  g_assert_no_error (error);
  text = g_value_dup_string (&value);
  g_value_unset (&value);
  return text;
}

/* The last toplevel window of @type (the one just presented), or %NULL */
gpointer
attn_gtk_test_find_toplevel (GType type)
{
  GListModel *toplevels = gtk_window_get_toplevels ();
  gpointer found = NULL;

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) item = g_list_model_get_item (toplevels, i);

      if (G_TYPE_CHECK_INSTANCE_TYPE (item, type))
        found = item;
    }
  return found;
}

/* For attn_gtk_test_find_widget(): @widget is a label that reads @text */
gboolean
attn_gtk_test_is_label_reading (GtkWidget     *widget,
                                gconstpointer  text)
{
  return GTK_IS_LABEL (widget) && g_strcmp0 (gtk_label_get_text (GTK_LABEL (widget)), text) == 0;
}

/* The first widget in @widget (itself included) that @match says is the
 * one, given @data */
GtkWidget *
attn_gtk_test_find_widget (GtkWidget        *widget,
                           AttnGtkTestMatch  match,
                           gconstpointer     data)
{
  if (match (widget, data))
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = attn_gtk_test_find_widget (child, match, data);

      if (found != NULL)
        return found;
    }
  return NULL;
}

typedef struct
{
  GType    type;
  gboolean mapped;
} TypeMatch;

static gboolean
is_of_type (GtkWidget     *widget,
            gconstpointer  data)
{
  const TypeMatch *want = data;

  return G_TYPE_CHECK_INSTANCE_TYPE (widget, want->type) && (!want->mapped || gtk_widget_get_mapped (widget));
}

/* The first widget of @type in @widget (itself included), or only a mapped
 * one when @mapped (a drop-down's hidden popover holds a search entry too) */
GtkWidget *
attn_gtk_test_find_descendant (GtkWidget *widget,
                               GType      type,
                               gboolean   mapped)
{
  return attn_gtk_test_find_widget (widget, is_of_type, &(TypeMatch) { type, mapped });
}

/* Appends every widget of @type in @widget (itself included) to @found,
 * or only the mapped ones when @mapped */
void
attn_gtk_test_collect (GtkWidget *widget,
                       GType      type,
                       gboolean   mapped,
                       GPtrArray *found)
{
  if (mapped && !gtk_widget_get_mapped (widget))
    return;
  if (G_TYPE_CHECK_INSTANCE_TYPE (widget, type))
    g_ptr_array_add (found, widget);
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    attn_gtk_test_collect (child, type, mapped, found);
}

/* @widget's controller named @name that handles events in the capture
 * phase, ahead of the widgets under the pointer, or NULL */
GtkEventController *
attn_gtk_test_find_capture_controller (GtkWidget  *widget,
                                       const char *name)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (widget);

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GtkEventController) controller = g_list_model_get_item (controllers, i);

      if (g_strcmp0 (gtk_event_controller_get_name (controller), name) == 0 &&
          gtk_event_controller_get_propagation_phase (controller) == GTK_PHASE_CAPTURE)
        return controller;      /* @widget holds it */
    }
  return NULL;
}

/* Each line of @layout, @width px wide, starts after a space: none starts
 * inside a word. Returns how many lines it has. */
int
attn_gtk_test_assert_lines_start_after_spaces (PangoLayout *layout,
                                               int          width)
{
  const char *text = pango_layout_get_text (layout);

  g_assert_cmpint (pango_layout_get_width (layout), ==, width * PANGO_SCALE);
  for (int i = 1; i < pango_layout_get_line_count (layout); i++)
    {
      PangoLayoutLine *line = pango_layout_get_line_readonly (layout, i);
      int start = line->start_index;

      if (!g_unichar_isspace (g_utf8_get_char (g_utf8_prev_char (text + start))))
        g_error ("%d px: line %d starts inside a word: “%.*s”", width, i + 1, line->length, text + start);
    }
  return pango_layout_get_line_count (layout);
}

/* The band of labels @band of grid @grid in @bands (those a figure view
 * keeps in sight, _attn_figure_view_get_pinned_bands()), or NULL */
const AttnPinnedBand *
attn_gtk_test_find_pinned (GArray         *bands,
                           guint           grid,
                           AttnFigureBand  band)
{
  for (guint i = 0; i < bands->len; i++)
    if (g_array_index (bands, AttnPinnedBand, i).grid == grid && g_array_index (bands, AttnPinnedBand, i).band == band)
      return &g_array_index (bands, AttnPinnedBand, i);
  return NULL;
}

/* The arrow of the picker's button (@box its content) left of its lines,
 * or right of them */
static gboolean
arrow_beside_lines (GtkWidget *box,
                    gboolean   left)
{
  graphene_rect_t lines, arrow;

  if (!gtk_widget_compute_bounds (gtk_widget_get_first_child (box), box, &lines) ||
      !gtk_widget_compute_bounds (gtk_widget_get_last_child (box), box, &arrow))
    return FALSE;
  return left ? arrow.origin.x + arrow.size.width <= lines.origin.x
              : lines.origin.x + lines.size.width <= arrow.origin.x;
}

static gboolean
arrow_on_left (gpointer box)
{
  return arrow_beside_lines (box, TRUE);
}

static gboolean
arrow_on_right (gpointer box)
{
  return arrow_beside_lines (box, FALSE);
}

/* At 900 x 600, every example of @window chosen in turn: the example
 * picker's button shows the example's name over its file's, the file's
 * whole, and the example's whole when it has at most @name_chars
 * characters, else (if cut) cut in its middle, and whole in the button's tooltip
 * (as the README says: it said every bundled name read whole, and
 * lawyer-hairdresser-bad-job read "lawyer-hair…er-bad-job"); the button is
 * no taller than the Open button beside it (the header bar grew by 6 px);
 * and right to left, the arrow comes before the lines */
void
attn_gtk_test_assert_picker_reads_whole (AttnWindow *window,
                                         guint       name_chars)
{
  GtkWidget *button = gtk_widget_get_first_child (GTK_WIDGET (window->example_picker));
  GtkWidget *box = gtk_menu_button_get_child (GTK_MENU_BUTTON (button));
  GtkLabel *name = NULL, *file = NULL;
  guint n_long = 0;
  int min;

  gtk_widget_measure (GTK_WIDGET (window), GTK_ORIENTATION_HORIZONTAL, -1, &min, NULL, NULL, NULL);
  g_assert_cmpint (min, <=, 900);
  attn_gtk_test_resize (GTK_WINDOW (window), 900, 600);
  for (guint i = 0; i < attn_window_get_n_examples (window); i++)
    {
      const char *title = attn_example_item_get_title (attn_example_picker_get_item (window->example_picker, i));
      const char *id;
      g_autofree char *file_name = NULL;
      int height, other_height;

      attn_window_set_example (window, i);
      attn_gtk_test_wait_idle (window);
      /* "file — id" */
      id = attn_example_get_id (attn_window_get_example (window));
      g_assert_true (g_str_has_suffix (title, id));
      file_name = g_strndup (title, strlen (title) - strlen (id) - strlen (" — "));
      name = GTK_LABEL (attn_gtk_test_find_widget (box, attn_gtk_test_is_label_reading, id));
      file = GTK_LABEL (attn_gtk_test_find_widget (box, attn_gtk_test_is_label_reading, file_name));
      g_assert_nonnull (name);
      g_assert_nonnull (file);
      gtk_widget_measure (gtk_widget_get_first_child (button), GTK_ORIENTATION_VERTICAL, -1, &height,
                          NULL, NULL, NULL);
      gtk_widget_measure (attn_gtk_test_find_descendant (GTK_WIDGET (window->open_button), GTK_TYPE_BUTTON, FALSE),
                          GTK_ORIENTATION_VERTICAL, -1, &other_height, NULL, NULL, NULL);
      g_test_message ("%s: %d px wide, %d px tall at least (Open: %d px)", title,
                      gtk_widget_get_width (GTK_WIDGET (file)), height, other_height);
      g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (file)));
      g_assert_false (pango_layout_is_ellipsized (gtk_label_get_layout (file)));
      if (g_utf8_strlen (id, -1) <= name_chars)
        g_assert_false (pango_layout_is_ellipsized (gtk_label_get_layout (name)));
      else
        {
          const char *tooltip = gtk_widget_get_tooltip_text (button);

          g_assert_cmpint (gtk_label_get_ellipsize (name), ==, PANGO_ELLIPSIZE_MIDDLE);
          g_assert_nonnull (tooltip);
          g_assert_true (g_str_has_prefix (tooltip, title));
          n_long++;
        }
      g_assert_cmpint (height, <=, other_height);
    }
  g_assert_cmpint (gtk_widget_get_width (GTK_WIDGET (window)), <=, 900);
  g_test_message ("%u names over %u characters", n_long, name_chars);

  for (int rtl = 0; rtl <= 1; rtl++)
    {
      graphene_rect_t lines, mark;

      gtk_widget_set_default_direction (rtl ? GTK_TEXT_DIR_RTL : GTK_TEXT_DIR_LTR);
      attn_gtk_test_wait_until (rtl ? arrow_on_left : arrow_on_right, box);
      g_assert_true (gtk_widget_compute_bounds (GTK_WIDGET (name), box, &lines));
      g_assert_true (gtk_widget_compute_bounds (GTK_WIDGET (file), box, &mark));
      g_assert_cmpfloat (mark.origin.x, ==, lines.origin.x);
      g_assert_cmpfloat (mark.origin.y, >=, lines.origin.y + lines.size.height);
    }
  gtk_widget_set_default_direction (GTK_TEXT_DIR_LTR);
}


/* A drop-down's list mapped and laid out: its rows made, each label given
 * its width */
static gboolean
list_laid_out (gpointer popover)
{
  GtkWidget *list = attn_gtk_test_find_descendant (popover, GTK_TYPE_LIST_VIEW, TRUE);
  g_autoptr(GPtrArray) labels = g_ptr_array_new ();

  if (list == NULL || !gtk_widget_get_mapped (popover) || gtk_widget_get_height (list) == 0)
    return FALSE;
  /* (a list's rows out of view are not mapped) */
  attn_gtk_test_collect (list, GTK_TYPE_LABEL, TRUE, labels);
  for (guint i = 0; i < labels->len; i++)
    if (gtk_widget_get_width (labels->pdata[i]) == 0)
      return FALSE;
  return labels->len > 0;
}

/* @dropdown's list, opened: each item's label at least as wide as its text
 * on one line up to the label's max-width-chars, and on one line where the
 * text has at most @line_chars characters (the list took its button's
 * width: "Attent-ion", "GlobE-nc", a Korean syllable a line); every item in
 * view, or the list scrolls, its scroll bar shown, at the popover's 400 px
 * or where the screen ends (rows taller than measured left the last ones
 * out of view). The list is closed again. */
void
attn_gtk_test_assert_list_whole (GtkDropDown *dropdown,
                                 guint        line_chars)
{
  GtkWidget *popover = attn_gtk_test_find_descendant (GTK_WIDGET (dropdown), GTK_TYPE_POPOVER, FALSE);
  g_autoptr(GPtrArray) labels = g_ptr_array_new ();
  GtkWidget *scrolled;
  GtkAdjustment *v;
  gboolean scrolls;

  g_assert_nonnull (popover);
  g_signal_emit_by_name (dropdown, "activate");
  attn_gtk_test_wait_until (list_laid_out, popover);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  scrolled = attn_gtk_test_find_descendant (popover, GTK_TYPE_SCROLLED_WINDOW, TRUE);
  v = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (scrolled));
  scrolls = gtk_adjustment_get_upper (v) > gtk_adjustment_get_page_size (v) + 0.5;
  g_test_message ("a list of %u items, %d px wide: %g px of %g in view",
                  g_list_model_get_n_items (gtk_drop_down_get_model (dropdown)), gtk_widget_get_width (scrolled),
                  gtk_adjustment_get_page_size (v), gtk_adjustment_get_upper (v));
  /* a list cut short scrolls, and says so; only where a popover of 400 px
   * does not fit the screen is it shorter, and not by much */
  g_assert_true (!scrolls || gtk_adjustment_get_page_size (v) >= 300.);
  g_assert_cmpint (gtk_widget_get_mapped (gtk_scrolled_window_get_vscrollbar (GTK_SCROLLED_WINDOW (scrolled))), ==,
                   scrolls);

  attn_gtk_test_collect (scrolled, GTK_TYPE_LABEL, TRUE, labels);
  if (!scrolls)
    g_assert_cmpuint (labels->len, ==, g_list_model_get_n_items (gtk_drop_down_get_model (dropdown)));
  for (guint i = 0; i < labels->len; i++)
    {
      GtkLabel *label = labels->pdata[i];
      const char *text = gtk_label_get_text (label);
      PangoLayout *layout = gtk_label_get_layout (label);
      graphene_rect_t bounds;
      int natural;

      gtk_widget_measure (GTK_WIDGET (label), GTK_ORIENTATION_HORIZONTAL, -1, NULL, &natural, NULL, NULL);
      g_test_message ("“%s”: %d px wide (%d natural), %d lines", text, gtk_widget_get_width (GTK_WIDGET (label)),
                      natural, pango_layout_get_line_count (layout));
      g_assert_cmpint (gtk_widget_get_width (GTK_WIDGET (label)), >=, natural);
      if (g_utf8_strlen (text, -1) <= line_chars)
        g_assert_cmpint (pango_layout_get_line_count (layout), ==, 1);
      g_assert_true (gtk_widget_compute_bounds (GTK_WIDGET (label), scrolled, &bounds));
      if (!scrolls)
        {
          g_assert_cmpfloat (bounds.origin.y, >=, 0.);
          g_assert_cmpfloat (bounds.origin.y + bounds.size.height, <=, gtk_widget_get_height (scrolled));
        }
    }
  gtk_popover_popdown (GTK_POPOVER (popover));
  g_assert_false (gtk_widget_get_mapped (popover));
}

/* Every drop-down shown in @window that can be opened, its list checked by
 * attn_gtk_test_assert_list_whole(); returns how many */
static guint
assert_lists_whole_in (GtkWidget *window)
{
  g_autoptr(GPtrArray) dropdowns = g_ptr_array_new ();
  guint n = 0;

  attn_gtk_test_collect (window, GTK_TYPE_DROP_DOWN, TRUE, dropdowns);
  for (guint i = 0; i < dropdowns->len; i++)
    if (gtk_widget_get_sensitive (dropdowns->pdata[i]))
      {
        attn_gtk_test_assert_list_whole (dropdowns->pdata[i], 40);
        n++;
      }
  return n;
}

/* For attn_gtk_test_wait_until(): @data, a Compare window, has drawn */
gboolean
attn_gtk_test_compare_idle (gpointer data)
{
  return !attn_compare_window_is_busy (data);
}

/* For attn_gtk_test_wait_until(): @data, an Evaluation window, has its
 * result */
gboolean
attn_gtk_test_evaluation_idle (gpointer data)
{
  return !attn_evaluation_window_is_busy (data);
}

/* The lists of every drop-down of @window (its example of the pronouns, a
 * choice of every weight kind), its Compare and its Evaluation window, at
 * 1280 x 800 and 900 x 600: attn_gtk_test_assert_list_whole() */
void
attn_gtk_test_assert_lists_whole (AttnWindow *window)
{
  const int sizes[][2] = { { 1280, 800 }, { 900, 600 } };
  AttnCompareWindow *compare;
  AttnEvaluationWindow *evaluation;

  g_assert_cmpuint (g_list_model_get_n_items (gtk_drop_down_get_model (window->weights_dropdown)), ==,
                    ATTN_N_WEIGHT_KINDS);
  gtk_widget_activate_action (GTK_WIDGET (window), "win.compare", NULL);
  gtk_widget_activate_action (GTK_WIDGET (window), "win.evaluation", NULL);
  compare = attn_gtk_test_find_toplevel (ATTN_TYPE_COMPARE_WINDOW);
  evaluation = attn_gtk_test_find_toplevel (ATTN_TYPE_EVALUATION_WINDOW);
  g_assert_nonnull (compare);
  g_assert_nonnull (evaluation);
  attn_gtk_test_wait_until (attn_gtk_test_compare_idle, compare);
  attn_gtk_test_wait_until (attn_gtk_test_evaluation_idle, evaluation);
  for (guint s = 0; s < G_N_ELEMENTS (sizes); s++)
    {
      attn_gtk_test_resize (GTK_WINDOW (window), sizes[s][0], sizes[s][1]);
      attn_gtk_test_resize (GTK_WINDOW (compare), sizes[s][0], sizes[s][1]);
      attn_gtk_test_resize (GTK_WINDOW (evaluation), sizes[s][0], sizes[s][1]);
      /* Weights, head mixing, colour map, colour scale */
      g_assert_cmpuint (assert_lists_whole_in (GTK_WIDGET (window)), >=, 4);
      /* its method */
      g_assert_cmpuint (assert_lists_whole_in (GTK_WIDGET (compare)), >=, 1);
      /* file, reference, example */
      g_assert_cmpuint (assert_lists_whole_in (GTK_WIDGET (evaluation)), >=, 2);
    }
  gtk_window_destroy (GTK_WINDOW (compare));
  gtk_window_destroy (GTK_WINDOW (evaluation));
}
