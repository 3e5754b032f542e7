/* bench-load.c: loads an attention export once and reports time and peak memory
 *
 * Copyright 2026 The attnflow authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Usage: bench-load FILE
 * Prints "seconds=S peak_rss_kb=K examples=E n=N" on success; bench/run-load-bench.sh
 * runs it repeatedly (a fresh process each time, so the peak is this load's).
 */

#include "config.h"

#include <stdio.h>
#include <sys/resource.h>

#include "attn-core.h"

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AttnDocument) document = NULL;
  struct rusage usage;
  gint64 start, end;

  if (argc != 2)
    {
      g_printerr ("usage: %s FILE\n", argv[0]);
      return 2;
    }

  start = g_get_monotonic_time ();
  document = attn_document_load (argv[1], NULL, &error);
  end = g_get_monotonic_time ();

  if (document == NULL)
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }

  getrusage (RUSAGE_SELF, &usage);
  printf ("seconds=%.4f peak_rss_kb=%ld examples=%u n=%u\n", (end - start) / 1e6,
          usage.ru_maxrss, attn_document_get_n_examples (document),
          attn_example_get_n_tokens (attn_document_get_example (document, 0)));
  return 0;
}
