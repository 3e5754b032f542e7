/* bench-common.c: the statistics and clocks every benchmark shares
 *
 * Copyright 2026 The attnflow authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <stdlib.h>
#include <time.h>

#include "bench-common.h"

static int
compare_doubles (const void *a,
                 const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return x < y ? -1 : x > y;
}

/* The median of the @count values of @v (sorts @v in place). */
double
bench_median (double *v,
              guint   count)
{
  qsort (v, count, sizeof (double), compare_doubles);
  return count % 2 ? v[count / 2] : 0.5 * (v[count / 2 - 1] + v[count / 2]);
}

/* Wall-clock milliseconds since @start (a g_get_monotonic_time () value). */
double
bench_ms_since (gint64 start)
{
  return (g_get_monotonic_time () - start) / 1000.;
}

/* CPU time of the whole process (every thread), in ms. */
double
bench_cpu_ms (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_PROCESS_CPUTIME_ID, &ts);
  return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}
