/* attn-gtk-util.h: what the windows share: toasts, saving dialogs, a heatmap's
 * values copied or saved, labels, tooltips, focus rings, settings' choices
 *
 * Copyright 2026 The attnflow authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "attn-figure.h"
#include "attn-toast.h"

G_BEGIN_DECLS

/* How long a toast stays, in seconds */
#define ATTN_TOAST_SECONDS 6

/**
 * AttnFileChosenFunc:
 * @file: the file the user chose
 * @owner: the object the dialog was opened for
 *
 * Called when the user accepts a file dialog (never when it is cancelled).
 */
typedef void (*AttnFileChosenFunc) (GFile   *file,
                                    GObject *owner);

void  attn_show_toast             (AdwToastOverlay    *overlay,
                                   char              **last_message,
                                   const char         *message);
void     attn_show_error_toast   (AdwToastOverlay    *overlay,
                                  char              **last_message,
                                  const char         *message,
                                  const char         *details);
AdwToast *attn_get_error_toast   (AdwToastOverlay    *overlay);
gboolean attn_set_string         (char              **field,
                                  const char         *value);
void     attn_cancel_and_clear   (GCancellable      **cancellable);
gboolean attn_check_figure_file  (GFile              *file,
                                  AdwToastOverlay    *overlay,
                                  char              **last_message);
void     attn_copy_figure_values (GtkWidget          *widget,
                                  const AttnFigure   *figure,
                                  AdwToastOverlay    *overlay,
                                  char              **last_message,
                                  const char         *save_action);
void     attn_save_table         (GFile              *file,
                                  const char         *table,
                                  AdwToastOverlay    *overlay,
                                  char              **last_message);
void     attn_save_figure_values (GFile              *file,
                                  const AttnFigure   *figure,
                                  AdwToastOverlay    *overlay,
                                  char              **last_message);
GFile   *attn_show_figure_saved  (GAsyncResult       *result,
                                  AdwToastOverlay    *overlay,
                                  char              **last_message);
void  attn_file_chooser_add_filter (GtkFileChooser    *chooser,
                                    const char        *name,
                                    const char        *mime,
                                    const char        *pattern);
char *attn_format_duration      (double              seconds);
GFile *attn_figure_file_for_format (GFile             *file,
                                    const char        *extension);
void   attn_settings_bind_choice  (GSettings          *settings,
                                   const char         *key,
                                   gpointer            object,
                                   const char         *property,
                                   const char * const *nicks);
char **attn_settings_list_choices (GSettings          *settings,
                                   const char         *key);
GtkFileChooserNative *attn_save_dialog_new (GtkWindow            *parent,
                                            const char           *title,
                                            GtkFileChooserAction  action);
void  attn_save_dialog_remember_folder (GFile          *folder);
void  attn_native_dialog_refocus_on_response (GtkNativeDialog *dialog);
void  attn_dialog_refocus_on_hide (GtkWindow          *dialog);
void  attn_window_join_parent     (GtkWindow          *window,
                                   GtkWindow          *parent);
double attn_png_scale             (GSettings          *settings);
GtkWidget *attn_replace_dialog_new (GtkWindow        *parent,
                                    const char       *heading,
                                    const char       *body);
void  attn_choose_save_file       (GtkWindow          *parent,
                                   const char         *title,
                                   const char         *name,
                                   gboolean            figure,
                                   AttnFileChosenFunc  chosen,
                                   GObject            *owner);
void  attn_choose_values_file     (GtkWindow          *parent,
                                   const char         *title,
                                   const char         *figure_name,
                                   AttnFileChosenFunc  chosen,
                                   GObject            *owner);

void  attn_window_detach_tooltip  (GtkWindow          *window);
void  attn_hide_tooltips_of_open_lists (GtkWidget     *widget);
void  attn_wrap_tooltips_between_words (void);
void  attn_label_set_user_text    (GtkLabel           *label,
                                   const char         *text);
void  attn_label_wrap_between_words (GtkLabel         *label);
GtkWidget *attn_sentence_label_new (int                lines);
void  attn_get_accent_color       (GtkWidget          *widget,
                                   GdkRGBA            *color);
void  attn_snapshot_focus_ring    (GtkWidget          *widget,
                                   GtkSnapshot        *snapshot);
void  attn_show_keyboard_focus    (GtkWidget          *widget);
GtkGesture *attn_click_gesture_new (GCallback         released,
                                   gpointer          user_data);

G_END_DECLS
