/* attn-gtk-util.h: what the windows share: toasts, saving dialogs, the views' zoom keys and gestures
 *
 * Copyright 2026 The attnflow authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "attn-toast.h"

G_BEGIN_DECLS

/* How long a toast stays, in seconds */
#define ATTN_TOAST_SECONDS 6

/* The zoom of one step of a view's zoom buttons and keys */
#define ATTN_ZOOM_STEP 1.25

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
void  attn_file_chooser_add_filter (GtkFileChooser    *chooser,
                                    const char        *name,
                                    const char        *mime,
                                    const char        *pattern);
char *attn_format_duration      (double              seconds);
void  attn_choose_save_file       (GtkWindow          *parent,
                                   const char         *title,
                                   const char         *name,
                                   gboolean            figure,
                                   AttnFileChosenFunc  chosen,
                                   GObject            *owner);

void  attn_window_detach_tooltip  (GtkWindow          *window);

void  attn_add_zoom_bindings      (GtkWidgetClass     *widget_class);
gboolean attn_scroll_zoom_pan     (GtkEventControllerScroll *controller,
                                   double              dx,
                                   double              dy,
                                   double             *zoom_factor,
                                   double             *pan_x,
                                   double             *pan_y);
void  attn_gesture_zoom_center    (GtkGesture         *gesture,
                                   GtkWidget          *widget,
                                   double             *x,
                                   double             *y);
void  attn_add_zoom_pan_gestures  (GtkWidget          *widget,
                                   GCallback           drag_begin,
                                   GCallback           drag_update,
                                   GCallback           zoom_begin,
                                   GCallback           zoom_scale_changed,
                                   GCallback           scroll);

G_END_DECLS
