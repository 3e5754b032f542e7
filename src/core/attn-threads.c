/* attn-threads.c: running the parts of a computation on every processor
 *
 * Copyright 2026 The attnflow authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The helping threads come from one pool shared by every computation, so a
 * flow that runs hundreds of rounds does not start hundreds of threads. The
 * calling thread works too: it takes parts until none is left, so the result
 * never waits for a thread that could not be started or is busy elsewhere
 * (and a part may itself run attn_run_parts() without a deadlock).
 */

#include "config.h"

#include "attn-threads-private.h"

typedef struct
{
  gatomicrefcount  ref_count;
  GThreadFunc      func;
  char            *parts;
  gsize            part_size;
  guint            n_parts;
  int              next;         /* atomic: the next part to take */
  GMutex           mutex;
  GCond            cond;
  guint            n_done;       /* under mutex */
} Batch;

static void
batch_unref (Batch *batch)
{
  if (!g_atomic_ref_count_dec (&batch->ref_count))
    return;
  g_mutex_clear (&batch->mutex);
  g_cond_clear (&batch->cond);
  g_free (batch);
}

/* Runs parts not taken yet until none is left */
static void
batch_work (Batch *batch)
{
  guint part, n_run = 0;

  while ((part = (guint) g_atomic_int_add (&batch->next, 1)) < batch->n_parts)
    {
      batch->func (batch->parts + part * batch->part_size);
      n_run++;
    }
  if (n_run == 0)
    return;
  g_mutex_lock (&batch->mutex);
  batch->n_done += n_run;
  if (batch->n_done == batch->n_parts)
    g_cond_broadcast (&batch->cond);
  g_mutex_unlock (&batch->mutex);
}

static void
pool_func (gpointer data,
           gpointer user_data)
{
  batch_work (data);
  batch_unref (data);
}

static GThreadPool *
get_pool (void)
{
  static GThreadPool *pool;
  static gsize made;

  if (g_once_init_enter (&made))
    {
      pool = g_thread_pool_new (pool_func, NULL, (int) g_get_num_processors (), FALSE, NULL);
      g_once_init_leave (&made, 1);
    }
  return pool;
}

/*
 * attn_run_parts:
 * @name: what runs, for the debugging message when a thread cannot start
 * @func: what to run on each part
 * @parts: an array of @n_parts parts of @part_size bytes each
 *
 * Runs @func on every part, on the calling thread and the shared pool's
 * threads at once, and returns when all are done. A thread that cannot be
 * started costs no result: the calling thread runs its parts.
 */
void
attn_run_parts (const char  *name,
                GThreadFunc  func,
                gpointer     parts,
                gsize        part_size,
                guint        n_parts)
{
  GThreadPool *pool;
  Batch *batch;

  if (n_parts <= 1)
    {
      if (n_parts == 1)
        func (parts);
      return;
    }

  batch = g_new0 (Batch, 1);
  g_atomic_ref_count_init (&batch->ref_count);
  batch->func = func;
  batch->parts = parts;
  batch->part_size = part_size;
  batch->n_parts = n_parts;
  g_mutex_init (&batch->mutex);
  g_cond_init (&batch->cond);

  pool = get_pool ();
  for (guint t = 1; t < n_parts; t++)
    {
      g_autoptr(GError) error = NULL;

      /* queued even when no new thread could start: a pool thread unrefs it */
      g_atomic_ref_count_inc (&batch->ref_count);
      if (!g_thread_pool_push (pool, batch, &error))
        g_debug ("%s: no helping thread (%s): running its part here", name, error->message);
    }

  batch_work (batch);
  g_mutex_lock (&batch->mutex);
  while (batch->n_done < n_parts)
    g_cond_wait (&batch->cond, &batch->mutex);
  g_mutex_unlock (&batch->mutex);
  batch_unref (batch);
}
