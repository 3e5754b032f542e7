/* attn-window-private.h: what the parts of the main window share
 *
 * Copyright 2026 The attnflow authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The window is split as gnome-text-editor splits its own: attn-window.c (the
 * object, the session's results on screen), attn-window-actions.c (actions,
 * figures, the command line), attn-window-heatmap.c (the heatmap panel),
 * attn-window-open.c (the load queue, recent files, drag and drop, the
 * bundled examples, the example picker), attn-window-settings.c (the side
 * panel) and attn-window-watch.c (the open files, watched, and Reload). The
 * work is the session's.
 */

#pragma once

#include "attn-example-picker.h"
#include "attn-figure-view.h"
#include "attn-gtk-util.h"
#include "attn-window.h"

G_BEGIN_DECLS

/* How often the progress bar pulses while a job does not say how far it got */
#define ATTN_WINDOW_PULSE_MS 100
/* A click's computation taking longer than this is named in the status line */
#define ATTN_WINDOW_PENDING_S 0.5

/* An example of an open document, and the node selected in it when
 * another was shown (selected again when it is shown again) */
typedef struct
{
  AttnDocument *document;
  guint         index;
  gboolean      selected;
  guint         layer;
  guint         position;
  int           sink;
} AttnWindowEntry;

struct _AttnWindow
{
  AdwApplicationWindow  parent_instance;

  GSettings            *settings;
  AttnSession          *session;

  /* template */
  AdwToastOverlay      *toast_overlay;
  GtkStack             *main_stack;
  AdwStatusPage        *status_page;
  AdwSplitButton       *open_button;
  AttnExamplePicker    *example_picker;
  AttnGraphView        *graph_view;
  GtkProgressBar       *progress_bar;
  AttnFigureView       *heatmap_view;
  GtkLabel             *heatmap_pending;   /* over it while it is out of date */
  GtkLabel             *selection_label;
  GtkWidget            *status_row;           /* the status line and the heatmap's controls */
  GtkCheckButton       *all_methods_check;
  GtkCheckButton       *all_weights_check;
  GtkDropDown          *weights_dropdown;
  GtkLabel             *residual_note;
  GtkWidget            *side_panel;
  GtkPaned             *heat_paned;
  GtkSpinButton        *residual_spin;
  GtkWidget            *residual_label;
  GtkLabel             *residual_error;       /* why the α typed is refused */
  GtkDropDown          *head_mix_dropdown;
  GtkEntry             *heads_entry;
  GtkLabel             *heads_error;          /* why the heads are refused */
  GtkSpinButton        *first_layer_spin;
  GtkSpinButton        *last_layer_spin;
  GtkDropDown          *colormap_dropdown;
  GtkDropDown          *color_scale_dropdown;
  GtkScale             *threshold_scale;
  GtkSpinButton        *top_k_spin;
  GtkCheckButton       *exclude_special_check;
  GtkWidget            *compute_flow_button;
  GtkLabel             *compute_flow_label;   /* wraps: the estimate must not widen the panel */

  GMenu                *recent_menu;

  /* the open documents, their examples in the picker, the one shown */
  GPtrArray            *documents;
  GArray               *entries;           /* AttnWindowEntry */
  guint                 current;
  guint                 n_loading;
  char                 *loading_name;      /* the file opening last, as shown (UTF-8), for the empty page */
  GList                *pending_files;     /* to open one after the other (Pending) */
  char                 *last_message;
  /* the files given together (a batch: attn_window_open_files()) that could
   * not be opened, since the error toast that lists them (open_error_toast)
   * came up: one toast for all, none hidden */
  guint                 n_batches;
  guint                 opening_batch;     /* of the file being opened, or 0 */
  guint                 open_errors_batch;
  GPtrArray            *open_errors;
  AdwToast             *open_error_toast;

  /* the heatmap panel's figure and saved figures */
  GCancellable         *heatmap_cancellable;
  char                 *heatmap_key;       /* what the heatmap shown is of: _attn_window_heatmap_key() */
  char                 *heatmap_building_key; /* of the one being built */
  GFile                *save_file;
  char                 *save_name;         /* the name Save suggested for it */
  guint                 n_saving;
  /* Save Figures of All Examples: its progress, cancel, and the toast with
   * the Cancel button while it runs */
  AttnProgress         *batch_progress;
  GCancellable         *batch_cancellable;
  AdwToast             *batch_toast;

  /* the open files, watched (attn-window-watch.c) */
  GPtrArray            *watches;
  GtkInfoBar           *reload_bar;
  GtkLabel             *reload_label;

  /* the weight kinds the Weights selector offers, in its order */
  AttnWeightKind        offered_weights[ATTN_N_WEIGHT_KINDS];
  guint                 n_offered_weights;

  /* what the zoom buttons and Ctrl+0 act on: the graph view or the
   * heatmap, whichever last had the keyboard focus or the pointer */
  GtkWidget            *zoom_view;
  GtkWidget            *zoom_box;     /* the zoom buttons: out, fit, in */

  guint                 pulse_id;
  /* the graph's image being drawn: since when, and the timeout that names
   * it in the status line once it takes long (a long input); whether the
   * status line names a wait (a computation, or the drawing after it) */
  gint64                drawing_since;
  guint                 drawing_id;
  gboolean              status_waits;
  guint                 label_idle_id;
  gboolean              updating_widgets;
  gboolean              paned_moved;
  gboolean              setting_paned;
  /* the window closes though Save Figures of All Examples runs; the
   * question asked, while it is shown */
  gboolean              close_confirmed;
  GtkWidget            *stop_saving_dialog;
};

/* attn-window.c */
void               _attn_window_show_toast          (AttnWindow         *self,
                                                     const char         *message);
void               _attn_window_show_file_error     (AttnWindow         *self,
                                                     const char         *path,
                                                     const char         *message);
void               _attn_window_update_actions      (AttnWindow         *self);
void               _attn_window_update_progress     (AttnWindow         *self);
void               _attn_window_update_heatmap      (AttnWindow         *self);
void               _attn_window_update_heatmap_stale (AttnWindow        *self);
char              *_attn_window_heatmap_key         (AttnWindow         *self,
                                                     const AttnFigureSettings *settings);
gboolean           _attn_window_heatmap_is_coming   (AttnWindow         *self,
                                                     AttnFigureSettings *coming);
gboolean           _attn_window_get_heatmap_request (AttnWindow         *self,
                                                     AttnFigureInput    *input,
                                                     AttnFigureSettings *settings);
const char        *_attn_window_get_path            (AttnWindow         *self);
void               _attn_window_fill_input          (AttnWindow         *self,
                                                     AttnFigureInput    *input);

/* attn-window-actions.c */
void               _attn_window_class_init_actions  (GtkWidgetClass     *widget_class);
void               _attn_window_init_step_keys      (AttnWindow         *self);
void               _attn_window_init_zoom           (AttnWindow         *self);
void               _attn_window_init_status_row     (AttnWindow         *self);
void               _attn_window_fill_figure_settings (AttnWindow        *self,
                                                     AttnFigureKind      kind,
                                                     AttnFigureSettings *settings);
void               _attn_window_fill_heatmap_settings (AttnWindow       *self,
                                                       AttnFigureSettings *settings);
void               _attn_window_save_to_file        (AttnWindow         *self,
                                                     GFile              *file);
GFile             *_attn_window_get_save_file       (AttnWindow         *self);

/* attn-window-open.c */
void               _attn_window_init_open           (AttnWindow         *self);
void               _attn_window_dispose_open        (AttnWindow         *self);
void               _attn_window_open_file           (AttnWindow         *self,
                                                     GFile              *file,
                                                     gboolean            show);
void               _attn_window_show_example        (AttnWindow         *self,
                                                     guint               index);
void               _attn_window_show_warnings       (AttnWindow         *self,
                                                     AttnDocument       *document);
void               _attn_window_open_pending        (AttnWindow         *self);
GtkWindow         *_attn_window_present_child       (AttnWindow         *self,
                                                     GType               type,
                                                     GtkWindow        *(*create) (AttnWindow *self));

/* attn-window-watch.c */
void               _attn_window_init_watch          (AttnWindow         *self);
void               _attn_window_dispose_watch       (AttnWindow         *self);
void               _attn_window_watch_document      (AttnWindow         *self,
                                                     AttnDocument       *document);
void               _attn_window_update_banner       (AttnWindow         *self);

/* attn-window-settings.c */
void               _attn_window_init_settings       (AttnWindow         *self);
AttnGraphSettings *_attn_window_graph_settings_for  (AttnWindow         *self,
                                                     AttnExample        *example);
void               _attn_window_set_weights         (AttnWindow         *self,
                                                     AttnWeightKind      weights);
void               _attn_window_update_layer_spins  (AttnWindow         *self);
void               _attn_window_update_residual     (AttnWindow         *self);
void               _attn_window_figure_style        (AttnWindow         *self,
                                                     AttnFigureStyle    *style);
void               _attn_window_shown_size          (AttnWindow         *self,
                                                     AttnFigureKind      kind,
                                                     int                *width,
                                                     int                *height);

/* Test hooks */
GCancellable      *_attn_window_get_job_cancellable (AttnWindow         *self);
const char        *_attn_window_get_last_message    (AttnWindow         *self);
void               _attn_window_get_heatmap_work    (AttnWindow         *self,
                                                     guint              *n_graphs,
                                                     guint              *n_values);

G_END_DECLS
