/* attn-threads.c: running the parts of a computation on every processor
 *
 * Copyright 2026 The attnflow authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "attn-threads-private.h"

/*
 * attn_run_parts:
 * @name: the threads' name
 * @func: what to run on each part
 * @parts: an array of @n_parts parts of @part_size bytes each
 *
 * Runs @func on every part, the first on the calling thread and each other
 * on a thread of its own, and returns when all are done. A thread that
 * cannot be started costs no result: its part then runs on the calling
 * thread.
 */
void
attn_run_parts (const char  *name,
                GThreadFunc  func,
                gpointer     parts,
                gsize        part_size,
                guint        n_parts)
{
  GThread **threads = g_newa (GThread *, MAX (n_parts, 1));

  for (guint t = 1; t < n_parts; t++)
    threads[t] = g_thread_try_new (name, func, (char *) parts + t * part_size, NULL);
  if (n_parts > 0)
    func (parts);
  for (guint t = 1; t < n_parts; t++)
    {
      if (threads[t] != NULL)
        g_thread_join (threads[t]);
      else
        func ((char *) parts + t * part_size);
    }
}
