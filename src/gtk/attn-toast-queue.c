/* attn-toast-queue.c: a window's toasts, shown one at a time, each closed
 * only once it has finished showing
 *
 * Copyright 2026 The attnflow authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * libadwaita 1.2 frees a toast's state when its hide animation ends, even
 * while its show animation runs on, and then writes to it. A show lasts
 * 500 ms when another toast is still hiding, 300 ms otherwise, and a hide
 * 300 ms: a toast closed, timed out or dismissed with Escape in the first
 * 200 ms of a show that replaced another, or in the frame its show began,
 * crashed the window (Escape pressed three times with four toasts waiting
 * did). So the overlay gets a toast only when it shows none and none is
 * hiding, and a toast is dismissed (for Escape, or to give way to an error)
 * only once its show has ended, by the frame clock the animations run on
 * (a window on Wayland gets no frames while hidden: a wall clock would have
 * both animations end in the first frame back, the hide's first). A toast
 * that times out in a window that gets no frames, having begun to show
 * there, can still meet the bug. Fixed in libadwaita 1.3.
 */

#include "config.h"

#include "attn-toast.h"

typedef struct
{
  AdwToastOverlay    *overlay;
  GtkWidget          *content;     /* (owned): the overlay's, which takes Escape */
  GtkEventController *keys;        /* on the content, for Escape */
  AdwToast           *current;     /* (owned) (nullable): given to the overlay */
  GQueue              pending;     /* (owned) AdwToast: to show, first first */
  gint64              shown_frame; /* the frame time the current one began to show at */
  guint               retry_id;    /* waits for the toast before to finish hiding */
  guint               dismiss_tick; /* dismisses the current one once it has shown */
  guint               fit_tick;    /* fits the current one's Details to what it shows */
  gboolean            postpone;    /* that dismissal puts it back among the pending */
} Toasts;

#define TOASTS_KEY "attn-toasts"
#define POSTPONED_KEY "attn-toast-postponed"
/* how often a toast waiting for the one before to finish hiding looks again */
#define TOASTS_RETRY_MS 50
/* libadwaita 1.2's show of a toast while none hides */
#define TOASTS_SHOW_USEC (300 * G_TIME_SPAN_MILLISECOND)

static void toast_dismissed_cb (AdwToast *toast,
                                Toasts   *self);
static void cancel_dismissal   (Toasts   *self);
static void stop_fitting       (Toasts   *self);

static void
forget_toast (gpointer toast,
              gpointer self)
{
  g_signal_handlers_disconnect_by_func (toast, toast_dismissed_cb, self);
  g_object_set_data (G_OBJECT (toast), POSTPONED_KEY, NULL);
  g_object_unref (toast);
}

static void
toasts_free (Toasts *self)
{
  g_clear_handle_id (&self->retry_id, g_source_remove);
  cancel_dismissal (self);
  stop_fitting (self);
  if (self->current != NULL)
    forget_toast (g_steal_pointer (&self->current), self);
  g_queue_foreach (&self->pending, forget_toast, self);
  g_queue_clear (&self->pending);
  gtk_widget_remove_controller (self->content, self->keys);
  g_object_unref (self->content);
  g_free (self);
}

/* Whether the overlay holds a toast's widget: one shown, or one hiding */
static gboolean
overlay_holds_toast (AdwToastOverlay *overlay)
{
  GtkWidget *content = adw_toast_overlay_get_child (overlay);

  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (overlay)); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (child != content)
      return TRUE;
  return FALSE;
}

static void toasts_show_next (Toasts *self);

static gboolean
fit_tick_cb (GtkWidget     *widget,
             GdkFrameClock *clock,
             gpointer       data)
{
  Toasts *self = data;

  if (self->current != NULL)
    attn_toast_fit_details (self->current, self->overlay);
  return G_SOURCE_CONTINUE;
}

/* Removes the tick callback *@tick of the overlay, if any */
static void
remove_tick (Toasts *self,
             guint  *tick)
{
  if (*tick != 0)
    gtk_widget_remove_tick_callback (GTK_WIDGET (self->overlay), *tick);
  *tick = 0;
}

static void
stop_fitting (Toasts *self)
{
  remove_tick (self, &self->fit_tick);
}

static gboolean
retry_cb (gpointer data)
{
  Toasts *self = data;

  self->retry_id = 0;
  toasts_show_next (self);
  return G_SOURCE_REMOVE;
}

static void
toasts_show_next (Toasts *self)
{
  GtkWidget *overlay = GTK_WIDGET (self->overlay);

  if (self->current != NULL || self->retry_id != 0 || g_queue_is_empty (&self->pending))
    return;
  if (overlay_holds_toast (self->overlay))
    {
      self->retry_id = g_timeout_add (TOASTS_RETRY_MS, retry_cb, self);
      return;
    }
  self->current = g_queue_pop_head (&self->pending);
  g_object_set_data (G_OBJECT (self->current), POSTPONED_KEY, NULL);
  adw_toast_overlay_add_toast (self->overlay, g_object_ref (self->current));
  /* its Details, while on show, only when it does not show all they say
   * (no tick for other toasts: it keeps the frame clock running, for
   * minutes under a batch's toast) */
  if (self->fit_tick == 0 && attn_toast_repeats_details (self->current))
    self->fit_tick = gtk_widget_add_tick_callback (overlay, fit_tick_cb, self, NULL);
  /* read after its show began, so no earlier (unmapped, it shows at once) */
  self->shown_frame = gtk_widget_get_mapped (overlay)
                      ? gdk_frame_clock_get_frame_time (gtk_widget_get_frame_clock (overlay))
                      : G_MININT64 / 2;
}

static void
dismiss_now (Toasts *self)
{
  if (self->postpone)
    g_object_set_data (G_OBJECT (self->current), POSTPONED_KEY, GINT_TO_POINTER (TRUE));
  adw_toast_dismiss (self->current);
}

/* In a frame at least a show's length after the current toast's began: a
 * tick callback added after the show's runs before it, in the same frame,
 * so the show ends in this frame (or did before) and the hide begun here
 * ends a frame or more later */
static gboolean
dismiss_tick_cb (GtkWidget     *widget,
                 GdkFrameClock *clock,
                 gpointer       data)
{
  Toasts *self = data;

  if (gdk_frame_clock_get_frame_time (clock) - self->shown_frame < TOASTS_SHOW_USEC)
    return G_SOURCE_CONTINUE;
  self->dismiss_tick = 0;
  dismiss_now (self);
  return G_SOURCE_REMOVE;
}

static void
cancel_dismissal (Toasts *self)
{
  remove_tick (self, &self->dismiss_tick);
}

/* Dismisses the toast shown (put back among the pending if @postpone) as
 * soon as its show has ended; closing it wins over postponing it */
static void
toasts_dismiss_current (Toasts   *self,
                        gboolean  postpone)
{
  if (self->current == NULL)
    return;
  if (self->dismiss_tick != 0)
    {
      self->postpone = self->postpone && postpone;
      return;
    }
  self->postpone = postpone;
  /* unmapped, nothing is animated: libadwaita skips to the end */
  if (!gtk_widget_get_mapped (GTK_WIDGET (self->overlay)))
    dismiss_now (self);
  else
    self->dismiss_tick = gtk_widget_add_tick_callback (GTK_WIDGET (self->overlay), dismiss_tick_cb, self, NULL);
}

static void
toast_dismissed_cb (AdwToast *toast,
                    Toasts   *self)
{
  /* (adw_toast_dismiss() passes over a toast that waits: it has no overlay) */
  g_return_if_fail (toast == self->current);
  self->current = NULL;
  cancel_dismissal (self);
  stop_fitting (self);
  if (attn_toast_is_postponed (toast))
    /* after the toast it gave way to */
    g_queue_push_nth (&self->pending, toast, 1);
  else
    forget_toast (toast, self);
  toasts_show_next (self);
}

/* Escape dismisses the toast shown, as the overlay's own binding does, but
 * once the toast has finished showing. (Bubbling from the focus in the
 * overlay's content, it comes before that binding and after the widgets
 * that take Escape themselves, such as a search entry.) */
static gboolean
key_pressed_cb (GtkEventControllerKey *controller,
                guint                  keyval,
                guint                  keycode,
                GdkModifierType        state,
                Toasts                *self)
{
  if (keyval != GDK_KEY_Escape || (state & gtk_accelerator_get_default_mod_mask ()) != 0)
    return GDK_EVENT_PROPAGATE;
  /* between two toasts, the one before hiding and the next about to show,
   * it is theirs too: pressed again to close them, it went on to the
   * window (and cleared the selection) */
  if (self->current == NULL)
    return g_queue_is_empty (&self->pending) ? GDK_EVENT_PROPAGATE : GDK_EVENT_STOP;
  toasts_dismiss_current (self, FALSE);
  return GDK_EVENT_STOP;
}

static gboolean
is_urgent (AdwToast *toast)
{
  return adw_toast_get_priority (toast) == ADW_TOAST_PRIORITY_HIGH;
}

/* Whether the toast shown is to give way to one of high priority, first
 * among those waiting */
static gboolean
must_give_way (Toasts *self)
{
  AdwToast *first = g_queue_peek_head (&self->pending);

  return self->current != NULL && first != NULL && is_urgent (first) && !is_urgent (self->current);
}

static void
overlay_destroy_cb (AdwToastOverlay *overlay)
{
  g_object_set_data (G_OBJECT (overlay), TOASTS_KEY, NULL);
}

static Toasts *
toasts_get (AdwToastOverlay *overlay)
{
  Toasts *self = g_object_get_data (G_OBJECT (overlay), TOASTS_KEY);

  if (self != NULL)
    return self;
  self = g_new0 (Toasts, 1);
  self->overlay = overlay;
  g_queue_init (&self->pending);
  self->content = g_object_ref (adw_toast_overlay_get_child (overlay));
  self->keys = gtk_event_controller_key_new ();
  g_signal_connect (self->keys, "key-pressed", G_CALLBACK (key_pressed_cb), self);
  gtk_widget_add_controller (self->content, self->keys);
  g_object_set_data_full (G_OBJECT (overlay), TOASTS_KEY, self, (GDestroyNotify) toasts_free);
  g_signal_connect (overlay, "destroy", G_CALLBACK (overlay_destroy_cb), NULL);
  return self;
}

/**
 * attn_toast_show:
 * @overlay: the window's toasts, its content set (for good)
 * @toast: (transfer full): a toast, new or shown before
 *
 * Shows @toast on @overlay, the only way a toast reaches it: one at a time,
 * each once the one before has finished hiding. A toast of high priority
 * goes first, and one of normal priority on show gives way to it, once it
 * has finished showing, and comes back after it (attn_toast_is_postponed()).
 * A toast on show is shown for its whole timeout again; one waiting, shown
 * again, goes next after those of high priority.
 */
void
attn_toast_show (AdwToastOverlay *overlay,
                 AdwToast        *toast)
{
  Toasts *self = toasts_get (overlay);
  gboolean waiting;

  if (toast == self->current)
    {
      /* shown again (an error toast saying the next error): a close asked
       * for before, with Escape, no longer holds; giving way to an error
       * waiting still does */
      adw_toast_overlay_add_toast (overlay, toast);
      cancel_dismissal (self);
      if (must_give_way (self))
        toasts_dismiss_current (self, TRUE);
      return;
    }
  waiting = g_queue_remove (&self->pending, toast);
  if (waiting)
    g_object_unref (toast);
  else
    g_signal_connect (toast, "dismissed", G_CALLBACK (toast_dismissed_cb), self);
  if (is_urgent (toast))
    g_queue_push_head (&self->pending, toast);
  else if (waiting)
    {
      /* shown again while it waits: next after those of high priority */
      guint first = 0;

      while (first < self->pending.length &&
             is_urgent (g_queue_peek_nth (&self->pending, first)))
        first++;
      g_queue_push_nth (&self->pending, toast, first);
    }
  else
    g_queue_push_tail (&self->pending, toast);
  if (must_give_way (self))
    toasts_dismiss_current (self, TRUE);
  toasts_show_next (self);
}

/**
 * attn_toast_is_postponed:
 *
 * Returns: whether @toast, dismissed, gave way to a toast of high priority
 *   and will be shown again (attn_toast_show())
 */
gboolean
attn_toast_is_postponed (AdwToast *toast)
{
  return g_object_get_data (G_OBJECT (toast), POSTPONED_KEY) != NULL;
}

/**
 * attn_toast_withdraw:
 * @overlay: the window's toasts
 * @toast: a toast given to attn_toast_show()
 *
 * Takes @toast back, when what it says no longer holds: on show, it is
 * dismissed as Escape dismisses it (once its show has ended); waiting, it
 * is dropped, and dismissed too (its #AdwToast::dismissed handlers run).
 * A toast gone already stays gone.
 */
void
attn_toast_withdraw (AdwToastOverlay *overlay,
                     AdwToast        *toast)
{
  Toasts *self = toasts_get (overlay);

  if (toast == self->current)
    toasts_dismiss_current (self, FALSE);
  else if (g_queue_remove (&self->pending, toast))
    {
      g_object_ref (toast);
      forget_toast (toast, self);
      /* it never reached the overlay: adw_toast_dismiss() would pass over it */
      g_signal_emit_by_name (toast, "dismissed");
      g_object_unref (toast);
    }
}
