/* gtk-test-util.h: what the GUI tests share
 *
 * Copyright 2026 The attnflow authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "attn-figure-view-private.h"
#include "attn-window.h"

G_BEGIN_DECLS

gboolean attn_gtk_test_init         (int        *argc,
                                     char     ***argv,
                                     int        *exit_status);
void     attn_gtk_test_wait_until_named (gboolean  (*done) (gpointer),
                                         gpointer    data,
                                         const char *name);
/* Spins the main loop until @done (@data) holds; a failure, naming @done,
 * after 60 s */
#define attn_gtk_test_wait_until(done, data) attn_gtk_test_wait_until_named ((done), (data), #done)
void     attn_gtk_test_run_for      (guint       ms);
void     attn_gtk_test_resize       (GtkWindow  *window,
                                     int         width,
                                     int         height);
gboolean attn_gtk_test_is_null      (gpointer    data);
gboolean attn_gtk_test_is_mapped    (gpointer    data);
gboolean attn_gtk_test_active_within (GtkWindow *window,
                                      gint64     usec);
void     attn_gtk_test_close_window (gpointer    window);
gboolean attn_gtk_test_window_idle  (gpointer    window);
void     attn_gtk_test_wait_idle    (AttnWindow *window);
gboolean attn_gtk_test_example_open (gpointer    window);
AttnWindow *attn_gtk_test_open_file (const char *path);
AttnWindow *attn_gtk_test_open_bundled (void);
AttnWindow *attn_gtk_test_app_window (void);
gpointer    attn_gtk_test_find_toplevel (GType     type);
typedef gboolean (*AttnGtkTestMatch) (GtkWidget     *widget,
                                      gconstpointer  data);
GtkWidget  *attn_gtk_test_find_widget   (GtkWidget        *widget,
                                         AttnGtkTestMatch  match,
                                         gconstpointer     data);
gboolean    attn_gtk_test_is_label_reading (GtkWidget     *widget,
                                            gconstpointer  text);
GtkWidget  *attn_gtk_test_find_descendant (GtkWidget *widget,
                                           GType      type,
                                           gboolean   mapped);
void        attn_gtk_test_collect       (GtkWidget *widget,
                                         GType      type,
                                         gboolean   mapped,
                                         GPtrArray *found);
GtkEventController *attn_gtk_test_find_capture_controller (GtkWidget  *widget,
                                                           const char *name);
GPtrArray  *attn_gtk_test_get_shortcuts (GtkWidget       *widget);
gboolean    attn_gtk_test_press_key     (GtkWidget       *widget,
                                         guint            keyval,
                                         GdkModifierType  mods);
void        attn_gtk_test_release_key   (GtkWidget       *widget,
                                         guint            keyval);
char       *attn_gtk_test_get_clipboard_text (GtkWidget  *widget);
int         attn_gtk_test_assert_lines_start_after_spaces (PangoLayout *layout,
                                                           int          width);
void        attn_gtk_test_assert_picker_reads_whole (AttnWindow *window,
                                                     guint       name_chars);
void        attn_gtk_test_assert_list_whole (GtkDropDown *dropdown,
                                             guint        line_chars);
void        attn_gtk_test_assert_lists_whole (AttnWindow *window);
gboolean    attn_gtk_test_compare_idle  (gpointer     data);
gboolean    attn_gtk_test_evaluation_idle (gpointer   data);
const AttnPinnedBand *attn_gtk_test_find_pinned (GArray         *bands,
                                                 guint           grid,
                                                 AttnFigureBand  band);

G_END_DECLS
