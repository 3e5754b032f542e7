/* test-progress.c: a worker's progress reaches the main context
 *
 * Copyright 2026 The attnflow authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "attn-core.h"

static void
changed_cb (AttnProgress *progress,
            gpointer      user_data)
{
  guint *count = user_data;

  (*count)++;
}

/* always ready, as GTK's frame clock is while a progress bar pulses and a
 * frame takes longer than the frame interval (a long input's window under
 * load): its priority, GDK_PRIORITY_REDRAW */
static gboolean
frame_cb (gpointer user_data)
{
  guint *frames = user_data;

  (*frames)++;
  return G_SOURCE_CONTINUE;
}

static gpointer
report_thread (gpointer data)
{
  attn_progress_report (0.25, data);
  return NULL;
}

/* A report is announced while the window draws frame after frame: announced
 * below the frames' priority, a flow click's progress on a 2,048-token input
 * never reached the window (its bar pulsed, its status line said no
 * per cent for the whole computation) */
static void
test_announced_between_frames (void)
{
  guint count = 0, frames = 0;
  g_autoptr(AttnProgress) progress = attn_progress_new (G_CALLBACK (changed_cb), &count);
  GSource *frame = g_idle_source_new ();
  GThread *thread;

  g_source_set_priority (frame, G_PRIORITY_HIGH_IDLE + 20);
  g_source_set_callback (frame, frame_cb, &frames, NULL);
  g_source_attach (frame, NULL);

  thread = g_thread_new ("report", report_thread, progress);
  g_thread_join (thread);
  for (guint i = 0; i < 50; i++)
    g_main_context_iteration (NULL, FALSE);
  g_source_destroy (frame);
  g_source_unref (frame);

  g_assert_cmpuint (frames, >, 0);
  g_assert_cmpuint (count, ==, 1);
  g_assert_cmpfloat (attn_progress_get_fraction (progress), ==, 0.25);
  attn_progress_disconnect (progress);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/attn/core/progress/announced-between-frames", test_announced_between_frames);

  return g_test_run ();
}
